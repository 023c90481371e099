package dev.crmkit.hubspot.internal;

import dev.crmkit.Customer;
import dev.crmkit.CustomerDraft;
import dev.crmkit.CustomerField;
import dev.crmkit.CustomerUpdate;
import dev.crmkit.MergeResult;
import dev.crmkit.error.ConflictException;
import dev.crmkit.error.NotFoundException;
import dev.crmkit.error.ValidationException;
import dev.crmkit.hubspot.HubSpotContactMapping;
import dev.crmkit.identity.NormalizedPhone;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Writes one contact at a time: create, update, archive and merge, with the phone-uniqueness check
 * HubSpot does not make (under the account's per-number lock) and HubSpot's email conflicts named.
 * Thread-safe.
 */
public final class ContactWriter {
  private static final List<String> STAGE_ORDER = List.of("subscriber", "lead", "marketingqualifiedlead",
      "salesqualifiedlead", "opportunity", "customer", "evangelist");

  private final ContactReader contacts;
  private final HubSpotApi api;
  private final HubSpotContactMapping mapping;
  private final AccountState account;
  private final Engagements engagements;

  public ContactWriter(ContactReader contacts, AccountState account, Engagements engagements) {
    this.contacts = contacts;
    this.api = contacts.api();
    this.mapping = contacts.mapping();
    this.account = account;
    this.engagements = engagements;
  }

  /** {@code POST} of a new contact, after checking no live contact holds its phone. */
  public Customer create(CustomerDraft draft) {
    if (draft == null) {
      throw ValidationException.of("draft", null, "must not be null");
    }
    Map<String, String> properties = mapping.toProperties(draft);
    NormalizedPhone phone = draft.phone() == null ? null : contacts.phoneNumbers().normalize(draft.phone());
    return account.locked(phone == null ? null : "phone:" + phone.matchKey(), () -> {
      requirePhoneFree(phone, null);
      try {
        return contacts.read(api.createContact(properties));
      } catch (ConflictException e) {
        throw HubSpotErrors.emailConflict(e, draft.email());
      }
    });
  }

  /**
   * {@code PATCH} of only the properties the update touches; a lifecycle stage moved backwards is
   * cleared first, since HubSpot refuses to move it back otherwise.
   */
  public Customer update(String id, CustomerUpdate update) {
    if (update == null) {
      throw ValidationException.of("update", null, "must not be null");
    }
    Map<String, Object> contact = contacts.requireLive(id, "id");
    Customer current = contacts.read(contact);
    Map<String, String> properties = mapping.toProperties(update);
    if (properties.isEmpty()) {
      return current;
    }
    String phoneText = update.touches(CustomerField.PHONE) ? (String) update.valueOf(CustomerField.PHONE) : null;
    NormalizedPhone phone = phoneText == null ? null : contacts.phoneNumbers().normalize(phoneText);
    return account.locked(phone == null ? null : "phone:" + phone.matchKey(), () -> {
      requirePhoneFree(phone, current.id());
      String stage = properties.get(HubSpotContactMapping.LIFECYCLE_STAGE);
      String currentStage = HubSpotApi.properties(contact).get(HubSpotContactMapping.LIFECYCLE_STAGE);
      try {
        if (stage != null && currentStage != null && STAGE_ORDER.indexOf(stage) >= 0
            && STAGE_ORDER.indexOf(stage) < STAGE_ORDER.indexOf(currentStage.toLowerCase(Locale.ROOT))) {
          api.updateContact(current.id(), Map.of(HubSpotContactMapping.LIFECYCLE_STAGE, ""));
        }
        return contacts.read(api.updateContact(current.id(), properties));
      } catch (ConflictException e) {
        throw HubSpotErrors.emailConflict(e, (String) update.valueOf(CustomerField.EMAIL));
      } catch (NotFoundException e) {
        throw new NotFoundException(HubSpotApi.PROVIDER, "customer", id);
      }
    });
  }

  /** Archives a live contact; an archived one is left as it is; an unknown id is not found. */
  public void delete(String id) {
    if (id == null) {
      throw ValidationException.of("id", null, "must not be null");
    }
    boolean isId = ContactReader.isId(id);
    Optional<Map<String, Object>> live = isId ? contacts.fetch(id, false) : Optional.empty();
    if (live.isPresent()) {
      api.archiveContact(HubSpotApi.string(live.get().get("id")));
    } else if (!isId || contacts.fetch(id, true).isEmpty()) {
      throw new NotFoundException(HubSpotApi.PROVIDER, "customer", id);
    }
  }

  /**
   * HubSpot's merge, then a {@code PATCH} that unites tags and custom fields and fills what HubSpot's
   * merge left blank, so the survivor follows {@link dev.crmkit.CustomerSystem#merge}'s rule.
   */
  public MergeResult merge(String survivorId, String mergedId) {
    Customer survivor = contacts.read(contacts.requireLive(survivorId, "survivorId"));
    Customer merged = contacts.read(contacts.requireLive(mergedId, "mergedId"));
    if (survivor.id().equals(merged.id())) {
      throw ValidationException.of("mergedId", mergedId, "is the same customer as survivorId " + survivorId);
    }
    int notes = engagements.countNotes(merged.id());
    int activities = engagements.countActivities(merged.id());
    Customer target = survivor.absorbing(merged);
    Map<String, Object> result = api.mergeContacts(survivor.id(), merged.id());
    String survivorNow = result.get("id") == null ? survivor.id() : HubSpotApi.string(result.get("id"));
    Customer after = contacts.read(contacts.requireLive(survivorNow, "survivorId"));
    CustomerUpdate rest = CustomerUpdate.between(after, target.toBuilder().id(after.id()).build());
    if (!rest.isEmpty()) {
      after = contacts.read(api.updateContact(after.id(), mapping.toProperties(rest)));
    }
    return new MergeResult(after, merged.id(), notes, activities);
  }

  private void requirePhoneFree(NormalizedPhone phone, String selfId) {
    if (phone == null) {
      return;
    }
    Customer holder = contacts.findByPhones(List.of(phone)).get(phone.matchKey());
    if (holder != null && !holder.id().equals(selfId)) {
      throw new ConflictException(HubSpotApi.PROVIDER, "phone", holder.id(),
          "phone '" + phone.value() + "' belongs to customer " + holder.id());
    }
  }
}
