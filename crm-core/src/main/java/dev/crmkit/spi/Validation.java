package dev.crmkit.spi;

import dev.crmkit.Address;
import dev.crmkit.Customer;
import dev.crmkit.CustomerDraft;
import dev.crmkit.Money;
import dev.crmkit.error.FieldError;
import dev.crmkit.error.ValidationException;
import dev.crmkit.identity.EmailAddresses;
import dev.crmkit.identity.NormalizedPhone;
import dev.crmkit.identity.PhoneNumbers;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.IllformedLocaleException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Every limit of an input value, and its check, in one place. The input types' builders and compact
 * constructors and the systems' boundaries call these, so a value reaches a store only when every
 * column it goes to holds it on each dialect (H2, SQLite, PostgreSQL, MariaDB); the limits match the
 * native store's columns ({@code db/crmkit/<dialect>/V1__crmkit_native_store.sql}).
 *
 * <p>Lengths count UTF-16 units ({@link String#length()}), never fewer than the characters a database
 * counts, so a value within a limit fits a {@code VARCHAR} of that size everywhere. Text holds no
 * {@code U+0000} (PostgreSQL refuses it) and no unpaired surrogate (no encoding can store one: drivers
 * write {@code ?} instead). Times lie in years 0001 to 9999 (stored as epoch milliseconds). Each check
 * adds {@link FieldError}s to a list instead of throwing, so that one exception names every bad field;
 * the value in an error is cut by {@link #abbreviate}.
 */
public final class Validation {
  /** Longest name, company, address part, author, metadata key or order id, {@value}. */
  public static final int MAX_TEXT = 255;
  /** Longest note, activity description, metadata value or custom field value, {@value}. */
  public static final int MAX_LONG_TEXT = 65_536;
  /** Longest phone as typed, extension included, {@value}. */
  public static final int MAX_PHONE = 64;
  /** Longest tag, {@value}. */
  public static final int MAX_TAG = 100;
  /** Longest BCP 47 language tag, {@value}. */
  public static final int MAX_LANGUAGE = 64;
  /** Longest activity idempotency key, {@value}. */
  public static final int MAX_IDEMPOTENCY_KEY = 200;
  /** Most digits before the decimal point of an order amount, {@value} (the column is {@code DECIMAL(19,4)}). */
  public static final int MAX_AMOUNT_INTEGER_DIGITS = 15;
  /** Most digits after the decimal point of an order amount, {@value}: every ISO 4217 currency's minor unit fits. */
  public static final int MAX_AMOUNT_SCALE = 4;
  /** Earliest time accepted, {@code 0001-01-01T00:00:00Z}. */
  public static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
  /** Latest time accepted, {@code 9999-12-31T23:59:59.999Z}. */
  public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");
  /**
   * How far ahead of the system's clock the time of an event (a message, an activity, a last contact,
   * an order, a note) may be: one day. A sender's clock that is wrong by its time-zone offset (at most
   * 14 hours) or a few minutes of skew stays within it; a typed year such as 2999 does not, and would
   * otherwise pin {@code lastContactAt}, which only moves forward, for good.
   */
  public static final Duration MAX_AHEAD = Duration.ofDays(1);

  private static final int SHOWN = 80;
  private static final Pattern CUSTOM_FIELD_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,63}");
  private static final BigDecimal AMOUNT_BOUND = BigDecimal.TEN.pow(MAX_AMOUNT_INTEGER_DIGITS);

  private Validation() {}

  /** Trimmed text or {@code null} when blank; an error when longer than {@link #MAX_TEXT} or holding a bad character. */
  public static String text(String v, String field, List<FieldError> errors) {
    return text(v, field, MAX_TEXT, errors);
  }

  /** Trimmed text or {@code null} when blank; an error when longer than {@code max} or holding a bad character. */
  public static String text(String v, String field, int max, List<FieldError> errors) {
    if (v == null || v.isBlank()) {
      return null;
    }
    String s = v.strip();
    check(s, field, max, errors);
    return s;
  }

  /**
   * Checks a value as it is (no trimming): at most {@code max} UTF-16 units, no {@code U+0000}, no
   * unpaired surrogate. {@code null} passes.
   *
   * @return true when the value passed
   */
  public static boolean check(String v, String field, int max, List<FieldError> errors) {
    if (v == null) {
      return true;
    }
    if (v.length() > max) {
      errors.add(new FieldError(field, abbreviate(v), "longer than " + max + " characters"));
      return false;
    }
    int bad = badCharacter(v);
    if (bad >= 0) {
      errors.add(new FieldError(field, abbreviate(v), (v.charAt(bad) == 0 ? "holds a NUL character (U+0000)"
          : "holds an unpaired surrogate (U+" + hex(v.charAt(bad)) + ")") + " at index " + bad
          + "; text must be valid Unicode without U+0000"));
      return false;
    }
    return true;
  }

  /** Like {@link #check} for a required value: an error when {@code null} or blank as well. */
  public static boolean require(String v, String field, int max, List<FieldError> errors) {
    if (v == null || v.isBlank()) {
      errors.add(new FieldError(field, abbreviate(v), "must not be blank"));
      return false;
    }
    return check(v, field, max, errors);
  }

  /** The index of the first {@code U+0000} or unpaired surrogate, or -1. */
  private static int badCharacter(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == 0) {
        return i;
      }
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
        } else {
          return i;
        }
      } else if (Character.isLowSurrogate(c)) {
        return i;
      }
    }
    return -1;
  }

  /** Normalized email or {@code null}; an error when malformed. */
  public static String email(String v, String field, List<FieldError> errors) {
    if (!check(v, field, Integer.MAX_VALUE, errors)) {
      return null;
    }
    try {
      return EmailAddresses.normalize(v, field);
    } catch (ValidationException e) {
      addCut(e, errors);
      return null;
    }
  }

  /** The phone normalized by the tenant's rules, or {@code null}; an error when it has no digits or is too long. */
  public static NormalizedPhone phone(String v, String field, PhoneNumbers phones, List<FieldError> errors) {
    try {
      return phones.normalize(v, field);
    } catch (ValidationException e) {
      addCut(e, errors);
      return null;
    }
  }

  /** The errors of a check made elsewhere, their values cut: a megabyte-long email is shown by its prefix. */
  private static void addCut(ValidationException e, List<FieldError> errors) {
    for (FieldError f : e.fieldErrors()) {
      errors.add(new FieldError(f.field(), abbreviate(f.value()), f.message()));
    }
  }

  /** BCP 47 tag in canonical case, or {@code null}; an error when malformed or longer than {@link #MAX_LANGUAGE}. */
  public static String language(String v, String field, List<FieldError> errors) {
    if (v == null || v.isBlank()) {
      return null;
    }
    try {
      Locale locale = new Locale.Builder().setLanguageTag(v.strip().replace('_', '-')).build();
      String tag = locale.toLanguageTag();
      return check(tag, field, MAX_LANGUAGE, errors) ? tag : null;
    } catch (IllformedLocaleException e) {
      errors.add(new FieldError(field, abbreviate(v), "not a BCP 47 language tag such as 'en' or 'pt-BR'"));
      return null;
    }
  }

  /** Trimmed, non-blank tags of at most {@link #MAX_TAG} characters; an error per bad tag. */
  public static Set<String> tags(Set<String> tags, List<FieldError> errors) {
    Set<String> out = new TreeSet<>();
    for (String t : tags) {
      if (t == null || t.isBlank()) {
        errors.add(new FieldError("tags", abbreviate(t), "a tag must not be blank"));
      } else if (check(t.strip(), "tags", MAX_TAG, errors)) {
        out.add(t.strip());
      }
    }
    return out;
  }

  /**
   * Custom fields with checked names (a letter, then at most 63 letters, digits, {@code _ . -}) and
   * non-null values of at most {@link #MAX_LONG_TEXT} characters; an error per bad entry.
   */
  public static Map<String, String> customFields(Map<String, String> fields, List<FieldError> errors) {
    Map<String, String> out = new TreeMap<>();
    for (Map.Entry<String, String> e : fields.entrySet()) {
      String name = e.getKey();
      if (name == null || !CUSTOM_FIELD_NAME.matcher(name).matches()) {
        errors.add(new FieldError("customFields", name == null ? null : abbreviate(name),
            "a custom field name must start with a letter and hold at most 64 letters, digits, '_', '.' or '-'"));
      } else if (e.getValue() == null) {
        errors.add(new FieldError("customFields." + name, null, "a custom field value must not be null"));
      } else if (check(e.getValue(), "customFields." + name, MAX_LONG_TEXT, errors)) {
        out.put(name, e.getValue());
      }
    }
    return out;
  }

  /**
   * Activity metadata: keys 1 to {@link #MAX_TEXT} characters, values non-null and at most
   * {@link #MAX_LONG_TEXT} characters; an error per bad entry.
   *
   * @return the valid entries, sorted by key
   */
  public static Map<String, String> metadata(Map<String, String> metadata, List<FieldError> errors) {
    Map<String, String> out = new TreeMap<>();
    for (Map.Entry<String, String> e : metadata.entrySet()) {
      String key = e.getKey();
      if (key == null || key.isEmpty()) {
        errors.add(new FieldError("metadata", key, "a metadata key must not be null or empty"));
      } else if (!check(key, "metadata", MAX_TEXT, errors)) {
        continue;
      } else if (e.getValue() == null) {
        errors.add(new FieldError("metadata." + abbreviate(key), null, "a metadata value must not be null"));
      } else if (check(e.getValue(), "metadata." + abbreviate(key), MAX_LONG_TEXT, errors)) {
        out.put(key, e.getValue());
      }
    }
    return out;
  }

  /** Each part of an address at most {@link #MAX_TEXT} characters, without bad characters; {@code null} passes. */
  public static void address(Address a, List<FieldError> errors) {
    if (a == null) {
      return;
    }
    check(a.line1(), "address.line1", MAX_TEXT, errors);
    check(a.line2(), "address.line2", MAX_TEXT, errors);
    check(a.city(), "address.city", MAX_TEXT, errors);
    check(a.region(), "address.region", MAX_TEXT, errors);
    check(a.postalCode(), "address.postalCode", MAX_TEXT, errors);
    check(a.country(), "address.country", MAX_TEXT, errors);
  }

  /** An error when the time lies outside {@link #EARLIEST} to {@link #LATEST}; {@code null} passes. */
  public static boolean instant(Instant t, String field, List<FieldError> errors) {
    if (t != null && (t.isBefore(EARLIEST) || t.isAfter(LATEST))) {
      errors.add(new FieldError(field, t.toString(), "must lie between " + EARLIEST + " and " + LATEST));
      return false;
    }
    return true;
  }

  /**
   * An error when an event's time lies more than {@link #MAX_AHEAD} after {@code now}; {@code null} passes.
   *
   * @param now the system's clock reading, never the machine's own
   */
  public static void notAhead(Instant t, String field, Instant now, List<FieldError> errors) {
    if (instant(t, field, errors) && t != null && t.isAfter(now.plus(MAX_AHEAD))) {
      errors.add(new FieldError(field, t.toString(),
          "more than " + MAX_AHEAD.toHours() + " hours ahead of the system's clock (" + now + ")"));
    }
  }

  /**
   * An error when an order amount has more than {@link #MAX_AMOUNT_INTEGER_DIGITS} digits before the
   * point or more than {@link #MAX_AMOUNT_SCALE} after it (trailing zeros do not count).
   */
  public static void amount(Money m, String field, List<FieldError> errors) {
    BigDecimal a = m.amount();
    if (a.abs().compareTo(AMOUNT_BOUND) >= 0) {
      errors.add(new FieldError(field, abbreviate(m.toString()),
          "must be less than 10^" + MAX_AMOUNT_INTEGER_DIGITS + " (at most " + MAX_AMOUNT_INTEGER_DIGITS
              + " digits before the decimal point)"));
    } else if (a.signum() != 0 && a.stripTrailingZeros().scale() > MAX_AMOUNT_SCALE) {
      errors.add(new FieldError(field, abbreviate(m.toString()),
          "has more than " + MAX_AMOUNT_SCALE + " digits after the decimal point; round it before recording"));
    }
  }

  /**
   * Every value of a draft, for a system's boundary (a draft made with the canonical constructor
   * skips the builder's checks). The email is checked by {@link #email}, the phone's length and
   * digits by the system's phone normalization.
   *
   * @param now the system's clock reading, for {@code createdAt} and {@code lastContactAt}
   */
  public static void draft(CustomerDraft d, Instant now, List<FieldError> errors) {
    check(d.firstName(), "firstName", MAX_TEXT, errors);
    check(d.lastName(), "lastName", MAX_TEXT, errors);
    check(d.company(), "company", MAX_TEXT, errors);
    check(d.phone(), "phone", Integer.MAX_VALUE, errors);
    check(d.language(), "language", MAX_LANGUAGE, errors);
    tags(d.tags(), errors);
    customFields(d.customFields(), errors);
    address(d.address(), errors);
    notAhead(d.createdAt(), "createdAt", now, errors);
    notAhead(d.lastContactAt(), "lastContactAt", now, errors);
  }

  /**
   * The values a write changes, from the customer as stored to the customer about to be written by
   * an update, merge or order (an update made by {@link dev.crmkit.CustomerUpdate#between} skips the
   * builder's checks). Values already stored are not checked again, so a record stored under older,
   * looser limits can still be updated.
   *
   * @param before the customer as stored
   * @param after the customer to write
   */
  public static void changes(Customer before, Customer after, List<FieldError> errors) {
    changed(before.firstName(), after.firstName(), "firstName", MAX_TEXT, errors);
    changed(before.lastName(), after.lastName(), "lastName", MAX_TEXT, errors);
    changed(before.company(), after.company(), "company", MAX_TEXT, errors);
    changed(before.email(), after.email(), "email", Integer.MAX_VALUE, errors);
    changed(before.phone(), after.phone(), "phone", Integer.MAX_VALUE, errors);
    changed(before.language(), after.language(), "language", MAX_LANGUAGE, errors);
    for (String tag : after.tags()) {
      if (!before.tags().contains(tag)) {
        check(tag, "tags", MAX_TAG, errors);
      }
    }
    // Names are checked for size only: a synced update may carry a name the builder's pattern would refuse.
    after.customFields().forEach((name, value) -> {
      if (!value.equals(before.customFields().get(name)) && check(name, "customFields", 64, errors)) {
        check(value, "customFields." + name, MAX_LONG_TEXT, errors);
      }
    });
    if (!Objects.equals(before.address(), after.address())) {
      address(after.address(), errors);
    }
    if (!Objects.equals(before.lastContactAt(), after.lastContactAt())) {
      instant(after.lastContactAt(), "lastContactAt", errors);
    }
    Money revenue = after.stats().totalRevenue();
    if (revenue != null && !revenue.equals(before.stats().totalRevenue())) {
      amount(revenue, "amount", errors);
    }
  }

  private static void changed(String before, String after, String field, int max, List<FieldError> errors) {
    if (!Objects.equals(before, after)) {
      check(after, field, max, errors);
    }
  }

  /** Throws the collected errors, if any, as raised outside any provider. */
  public static void throwIfAny(List<FieldError> errors) {
    throwIfAny(null, errors);
  }

  /** Throws the collected errors, if any, naming the provider. */
  public static void throwIfAny(String provider, List<FieldError> errors) {
    if (!errors.isEmpty()) {
      throw new ValidationException(provider, errors);
    }
  }

  /**
   * A value as shown in an error: its first 77 UTF-16 units and {@code "..."} when longer than 80,
   * cut between code points, with {@code U+0000}, other control characters and unpaired surrogates
   * written as a backslash, {@code u} and four hex digits (NUL as {@code \}{@code u0000}), so that no
   * error text or log line carries them.
   */
  public static String abbreviate(String s) {
    if (s == null) {
      return null;
    }
    int end = s.length();
    if (end > SHOWN) {
      end = SHOWN - 3;
      if (Character.isHighSurrogate(s.charAt(end - 1)) && Character.isLowSurrogate(s.charAt(end))) {
        end--;
      }
    }
    StringBuilder b = new StringBuilder(end + 3);
    for (int i = 0; i < end; i++) {
      char c = s.charAt(i);
      boolean paired = Character.isHighSurrogate(c) ? i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))
          : Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
      if (Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\r'
          || Character.isSurrogate(c) && !paired) {
        b.append("\\u").append(hex(c));
      } else {
        b.append(c);
      }
    }
    return end < s.length() ? b.append("...").toString() : b.toString();
  }

  private static String hex(char c) {
    return String.format("%04X", (int) c);
  }
}
