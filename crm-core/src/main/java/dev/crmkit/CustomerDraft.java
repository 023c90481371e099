package dev.crmkit;

import dev.crmkit.error.FieldError;
import dev.crmkit.error.ValidationException;
import dev.crmkit.identity.NormalizedPhone;
import dev.crmkit.spi.Validation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The input to create a customer. Built with {@link #builder()}; every part is optional, but a draft
 * must carry at least one of first name, last name, email, phone or company.
 *
 * <p>The email is validated and normalized when the draft is built; the phone is kept as typed and
 * normalized by the {@link CustomerSystem} with its tenant's default region.
 *
 * <p><b>Limits</b>, checked by {@link Builder#build()} and again by the native store's and the
 * memory provider's {@code create}, {@code upsert} and {@code bulkWrite} (a draft made with the
 * canonical constructor skips the builder): lengths count UTF-16 units (an emoji counts 2); no text
 * holds {@code U+0000} or an unpaired surrogate; times lie in years 0001 to 9999, and those systems
 * reject a {@code createdAt} or {@code lastContactAt} more than one day ahead of their clock. A value
 * over a limit is rejected with a {@link ValidationException} naming the field, the limit and the
 * value (cut), never cut or stored partly.
 *
 * @param firstName given name, 1 to 255 characters, or {@code null}
 * @param lastName family name, 1 to 255 characters, or {@code null}
 * @param email normalized email, at most 254 characters, or {@code null}
 * @param phone phone as typed (extension included), at most 64 characters, or {@code null}
 * @param company company, 1 to 255 characters, or {@code null}
 * @param preferredChannel preferred channel, or {@code null}
 * @param language BCP 47 tag of at most 64 characters, or {@code null}
 * @param segment segment, or {@code null} for the system's default ({@link Segment#PROSPECT})
 * @param tags labels of 1 to 100 characters each; never null; {@code null} given becomes empty
 * @param address address, each part at most 255 characters, or {@code null}
 * @param contactPreferences opt-ins; never null
 * @param customFields host-defined fields: names start with a letter and hold at most 64 letters,
 *     digits, {@code _ . -}; values at most 65,536 characters; never null
 * @param createdAt creation time to record (for imports of older records), or {@code null} for now
 * @param lastContactAt last interaction, or {@code null}
 */
public record CustomerDraft(
    String firstName,
    String lastName,
    String email,
    String phone,
    String company,
    Channel preferredChannel,
    String language,
    Segment segment,
    Set<String> tags,
    Address address,
    ContactPreferences contactPreferences,
    Map<String, String> customFields,
    Instant createdAt,
    Instant lastContactAt) {

  /** @throws ValidationException naming {@code tags} or {@code customFields} when one holds {@code null} */
  public CustomerDraft {
    // TreeSet and TreeMap would throw a bare NullPointerException on a null element.
    if (tags != null && tags.stream().anyMatch(Objects::isNull)) {
      throw ValidationException.of("tags", null, "a tag must not be null");
    }
    if (customFields != null && customFields.keySet().stream().anyMatch(Objects::isNull)) {
      throw ValidationException.of("customFields", null, "a custom field name must not be null");
    }
    tags = tags == null ? Set.of() : Collections.unmodifiableSet(new TreeSet<>(tags));
    contactPreferences = contactPreferences == null ? ContactPreferences.UNKNOWN : contactPreferences;
    customFields = customFields == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(customFields));
  }

  /**
   * The upsert rule every provider follows: the stored customer after this draft is applied to it.
   * The draft's non-null values win; tags and custom fields are added to the stored ones; opt-ins
   * the draft gives replace the stored ones per channel. Id, tenant, stats, {@code createdAt},
   * {@code updatedAt} and {@code deletedAt} are kept: the provider sets {@code updatedAt} when the
   * result differs from {@code current}.
   *
   * @param current the stored customer; not null
   * @param email this draft's email as the provider normalized it, or {@code null} to keep the stored one
   * @param phone this draft's phone as the provider normalized it, or {@code null} to keep the stored one
   * @return the merged record; equal to {@code current} when the draft changes nothing
   */
  public Customer applyTo(Customer current, String email, NormalizedPhone phone) {
    Customer.Builder b = current.toBuilder();
    if (firstName != null) {
      b.firstName(firstName);
    }
    if (lastName != null) {
      b.lastName(lastName);
    }
    if (email != null) {
      b.email(email);
    }
    if (phone != null) {
      b.phone(phone.value()).phoneExtension(phone.extension());
    }
    if (company != null) {
      b.company(company);
    }
    if (preferredChannel != null) {
      b.preferredChannel(preferredChannel);
    }
    if (language != null) {
      b.language(language);
    }
    if (segment != null) {
      b.segment(segment);
    }
    if (address != null && !address.isEmpty()) {
      b.address(address);
    }
    if (lastContactAt != null) {
      b.lastContactAt(lastContactAt);
    }
    Set<String> mergedTags = new TreeSet<>(current.tags());
    mergedTags.addAll(tags);
    Map<String, String> mergedFields = new TreeMap<>(current.customFields());
    mergedFields.putAll(customFields);
    ContactPreferences prefs = current.contactPreferences();
    for (Map.Entry<Channel, OptInStatus> e : contactPreferences.optIns().entrySet()) {
      prefs = prefs.with(e.getKey(), e.getValue());
    }
    return b.tags(mergedTags).customFields(mergedFields).contactPreferences(prefs).build();
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this draft's values. */
  public Builder toBuilder() {
    return new Builder()
        .firstName(firstName).lastName(lastName).email(email).phone(phone).company(company)
        .preferredChannel(preferredChannel).language(language).segment(segment).tags(tags).address(address)
        .contactPreferences(contactPreferences).customFields(customFields).createdAt(createdAt)
        .lastContactAt(lastContactAt);
  }

  /** Builds drafts; not thread-safe. Strings are trimmed; blank strings count as absent. */
  public static final class Builder {
    private String firstName;
    private String lastName;
    private String email;
    private String phone;
    private String company;
    private Channel preferredChannel;
    private String language;
    private Segment segment;
    // Insertion-ordered, not sorted: a null tag or name must reach validation, not throw here.
    private final Set<String> tags = new LinkedHashSet<>();
    private Address address;
    private ContactPreferences contactPreferences = ContactPreferences.UNKNOWN;
    private final Map<String, String> customFields = new LinkedHashMap<>();
    private Instant createdAt;
    private Instant lastContactAt;

    private Builder() {}

    public Builder firstName(String v) { firstName = v; return this; }
    public Builder lastName(String v) { lastName = v; return this; }
    public Builder email(String v) { email = v; return this; }
    public Builder phone(String v) { phone = v; return this; }
    public Builder company(String v) { company = v; return this; }
    public Builder preferredChannel(Channel v) { preferredChannel = v; return this; }
    public Builder language(String v) { language = v; return this; }
    public Builder segment(Segment v) { segment = v; return this; }
    /** Replaces the tags. */
    public Builder tags(Set<String> v) { tags.clear(); if (v != null) { tags.addAll(v); } return this; }
    /** Adds one tag. */
    public Builder tag(String v) { tags.add(v); return this; }
    public Builder address(Address v) { address = v; return this; }
    /** Replaces the opt-ins; {@code null} makes every channel unknown. */
    public Builder contactPreferences(ContactPreferences v) {
      contactPreferences = v == null ? ContactPreferences.UNKNOWN : v;
      return this;
    }
    /** Sets one opt-in. */
    public Builder optIn(Channel channel, OptInStatus status) {
      contactPreferences = contactPreferences.with(channel, status);
      return this;
    }
    /** Replaces the custom fields. */
    public Builder customFields(Map<String, String> v) {
      customFields.clear();
      if (v != null) {
        customFields.putAll(v);
      }
      return this;
    }
    /** Sets one custom field. */
    public Builder customField(String name, String value) { customFields.put(name, value); return this; }
    public Builder createdAt(Instant v) { createdAt = v; return this; }
    public Builder lastContactAt(Instant v) { lastContactAt = v; return this; }

    /**
     * Validates and builds.
     *
     * @throws ValidationException listing every bad field: a malformed email, language tag, tag or
     *     custom field name, a value over its limit or holding {@code U+0000} or an unpaired
     *     surrogate, a time outside years 0001 to 9999, or no identifying field at all
     */
    public CustomerDraft build() {
      List<FieldError> errors = new ArrayList<>();
      String fn = Validation.text(firstName, "firstName", errors);
      String ln = Validation.text(lastName, "lastName", errors);
      String em = Validation.email(email, "email", errors);
      String ph = Validation.text(phone, "phone", Validation.MAX_PHONE, errors);
      String co = Validation.text(company, "company", errors);
      String lang = Validation.language(language, "language", errors);
      Set<String> t = Validation.tags(tags, errors);
      Map<String, String> cf = Validation.customFields(customFields, errors);
      Validation.address(address, errors);
      Validation.instant(createdAt, "createdAt", errors);
      Validation.instant(lastContactAt, "lastContactAt", errors);
      if (fn == null && ln == null && em == null && ph == null && co == null && errors.isEmpty()) {
        errors.add(new FieldError("firstName", null,
            "a customer needs at least one of firstName, lastName, email, phone or company"));
      }
      Validation.throwIfAny(errors);
      return new CustomerDraft(fn, ln, em, ph, co, preferredChannel, lang, segment, t,
          address == null || address.isEmpty() ? null : address, contactPreferences, cf, createdAt, lastContactAt);
    }
  }
}
