package dev.crmkit.testkit.hubspot;

import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything the emulator stores: one {@link ObjectStore} per type, the associations between
 * records, and the contact events each change produces for webhook delivery. Writes that touch
 * more than one store (creates with associations, merges, permanent deletes) are atomic: every
 * write holds this object's lock. Reads go to the stores, which are thread-safe themselves.
 */
final class CrmState {
  /** One entry of a create request's {@code associations} array. */
  record AssociationInput(String toId, String category, int typeId) {}

  private final Map<ObjectType, ObjectStore> stores = new EnumMap<>(ObjectType.class);
  private final Associations associations = new Associations();
  private final DealPipelines pipelines = new DealPipelines();
  private final HubSpotWebhooks webhooks;
  /** The account's deal currencies (ISO codes), or null to accept any three-letter code. */
  private volatile java.util.Set<String> dealCurrencies;

  CrmState(Clock clock, HubSpotWebhooks webhooks, long firstObjectId) {
    for (ObjectType type : ObjectType.values()) {
      stores.put(type, new ObjectStore(type, clock, firstObjectId));
    }
    this.webhooks = webhooks;
  }

  ObjectStore store(ObjectType type) {
    return stores.get(type);
  }

  Associations associations() {
    return associations;
  }

  DealPipelines pipelines() {
    return pipelines;
  }

  void dealCurrencies(java.util.Set<String> codes) {
    dealCurrencies = codes == null ? null : java.util.Set.copyOf(codes);
  }

  /**
   * HubSpot's checks of a deal write, on the deal as it would be after the write: {@code pipeline}
   * (the default when unset) must exist, {@code dealstage} must be one of its stages and is
   * required on create, {@code amount} a number, {@code deal_currency_code} one of the account's
   * currencies, {@code hubspot_owner_id} a numeric owner id.
   */
  private void checkDeal(Map<String, String> before, Map<String, String> changes) {
    Map<String, String> after = new LinkedHashMap<>(before);
    changes.forEach((k, v) -> {
      if (v == null || v.isEmpty()) {
        after.remove(k);
      } else {
        after.put(k, v);
      }
    });
    if (after.get("dealstage") == null) {
      throw new ApiError(400, "VALIDATION_ERROR",
          "Property values were not valid: [{\"isValid\":false,\"message\":\"dealstage is required\","
              + "\"error\":\"REQUIRED_PROPERTY\",\"name\":\"dealstage\"}]",
          Map.of("dealstage", List.of("")));
    }
    pipelines.check(after.get("pipeline"), after.get("dealstage"));
    String amount = changes.get("amount");
    if (amount != null && !amount.isEmpty() && !amount.trim().matches("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?")) {
      throw invalid("amount", amount, amount + " was not a valid number", "INVALID_DECIMAL");
    }
    String currency = changes.get("deal_currency_code");
    java.util.Set<String> currencies = dealCurrencies;
    if (currency != null && !currency.isEmpty()
        && (currencies == null ? !currency.matches("[A-Z]{3}") : !currencies.contains(currency))) {
      throw invalid("deal_currency_code", currency,
          "\\\"" + currency + "\\\" is not a part of the current effective currency codes for portal", "INVALID_OPTION");
    }
    String owner = changes.get("hubspot_owner_id");
    if (owner != null && !owner.isEmpty() && !owner.matches("\\d{1,18}")) {
      throw invalid("hubspot_owner_id", owner, owner + " is not a valid owner id", "INVALID_OPTION");
    }
  }

  private static ApiError invalid(String property, String value, String message, String error) {
    return new ApiError(400, "VALIDATION_ERROR",
        "Property values were not valid: [{\"isValid\":false,\"message\":\"" + message + "\",\"error\":\""
            + error + "\",\"name\":\"" + property + "\"}]",
        Map.of(property, List.of(value)));
  }

  /**
   * @throws ApiError 400 when an association names an unknown type id or record, or the
   *     properties are invalid; 409 for a taken contact email
   */
  synchronized CrmObject create(
      ObjectType type, Map<String, String> properties, List<AssociationInput> links, ChangeSource source) {
    Map<Long, ObjectType> targets = new LinkedHashMap<>();
    for (AssociationInput link : links) {
      ObjectType to = targetOf(type, link);
      CrmObject target = link.toId() == null || !link.toId().matches("\\d{1,18}")
          ? null : store(to).get(Long.parseLong(link.toId()), false);
      if (target == null) {
        throw new ApiError(400, "VALIDATION_ERROR",
            "One or more associations are invalid: no " + to.singular + " with ID " + link.toId() + " exists",
            Map.of("toObjectId", List.of(String.valueOf(link.toId()))));
      }
      // A merged-away id reads as its survivor, so the association goes to the survivor too.
      targets.put(target.id(), to);
    }
    if (type == ObjectType.DEALS) {
      checkDeal(Map.of(), properties);
      if (properties.get("pipeline") == null || properties.get("pipeline").isEmpty()) {
        // HubSpot puts a deal without a pipeline in the default one.
        properties = new LinkedHashMap<>(properties);
        properties.put("pipeline", DealPipelines.DEFAULT.id());
      }
    }
    CrmObject created = store(type).create(properties);
    if (type == ObjectType.CONTACTS) {
      webhooks.contactEvent("contact.creation", created.id(), source, Map.of());
      for (String name : properties.keySet()) {
        if (created.property(name) != null) {
          propertyChange(created.id(), name, created.property(name), source);
        }
      }
    }
    targets.forEach((toId, to) -> associate(type, created.id(), to, toId, source));
    return created;
  }

  /** @return the updated object, or null when no live object has the id */
  synchronized CrmObject update(ObjectType type, long id, Map<String, String> properties, ChangeSource source) {
    CrmObject before = store(type).get(id, false);
    if (before != null && type == ObjectType.DEALS) {
      checkDeal(before.properties(), properties);
    }
    CrmObject after = before == null ? null : store(type).update(before.id(), properties);
    if (after != null && type == ObjectType.CONTACTS) {
      for (String name : properties.keySet()) {
        String value = after.property(name);
        if (!Objects.equals(before.property(name), value)) {
          propertyChange(id, name, value, source);
        }
      }
    }
    return after;
  }

  /** @return false when no live object has the id */
  synchronized boolean archive(ObjectType type, long id, ChangeSource source) {
    boolean archived = store(type).archive(id);
    if (archived && type == ObjectType.CONTACTS) {
      webhooks.contactEvent("contact.deletion", id, source, Map.of());
    }
    return archived;
  }

  /** @return the live contact, or null when no archived contact has the id */
  synchronized CrmObject restore(long id, ChangeSource source) {
    CrmObject restored = store(ObjectType.CONTACTS).restore(id);
    if (restored != null) {
      webhooks.contactEvent("contact.restore", id, source, Map.of());
    }
    return restored;
  }

  /** Deletes a contact permanently with its associations. @return false when none has the id */
  synchronized boolean gdprDelete(long id, ChangeSource source) {
    CrmObject deleted = store(ObjectType.CONTACTS).delete(id);
    if (deleted == null) {
      return false;
    }
    associations.removeAll(ObjectType.CONTACTS, id);
    webhooks.contactEvent("contact.privacyDeletion", id, source, Map.of());
    return true;
  }

  /**
   * @return the survivor, which keeps {@code primaryId}
   * @throws ApiError 400 for equal ids, 404 when either is not a live contact
   */
  synchronized CrmObject merge(long primaryId, long mergedId, ChangeSource source) {
    CrmObject survivor = store(ObjectType.CONTACTS).merge(primaryId, mergedId);
    associations.move(ObjectType.CONTACTS, mergedId, primaryId);
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("primaryObjectId", primaryId);
    fields.put("mergedObjectIds", List.of(mergedId));
    fields.put("newObjectId", primaryId);
    webhooks.contactEvent("contact.merge", primaryId, source, fields);
    return survivor;
  }

  /**
   * Associates two live records with the default type.
   *
   * @return false when they were associated already
   * @throws ApiError 404 when either record is not live, 400 when the types have no default
   */
  synchronized boolean associate(ObjectType from, long fromId, ObjectType to, long toId, ChangeSource source) {
    long fromLive = requireLive(from, fromId).id();
    long toLive = requireLive(to, toId).id();
    boolean added = associations.associate(from, fromLive, to, toLive);
    if (added) {
      associationChange(from, fromLive, to, toLive, false, source);
    }
    return added;
  }

  /** @return false when they were not associated; merged-away ids stand for their survivors */
  synchronized boolean disassociate(ObjectType from, long fromId, ObjectType to, long toId, ChangeSource source) {
    long fromLive = store(from).resolve(fromId);
    long toLive = store(to).resolve(toId);
    boolean removed = associations.remove(from, fromLive, to, toLive);
    if (removed) {
      associationChange(from, fromLive, to, toLive, true, source);
    }
    return removed;
  }

  /** @return the records of type {@code to} associated to the record, by id; a merged-away id lists its survivor's */
  List<Associations.Link> links(ObjectType from, long fromId, ObjectType to) {
    return associations.links(from, store(from).resolve(fromId), to);
  }

  /** @return the live engagements of every type associated to the contact, by type then id */
  List<HubSpotEngagement> engagements(long contactId) {
    List<HubSpotEngagement> found = new ArrayList<>();
    for (ObjectType type : ObjectType.values()) {
      if (type.isEngagement()) {
        for (Associations.Link link : associations.links(ObjectType.CONTACTS, contactId, type)) {
          CrmObject engagement = store(type).get(link.toId(), false);
          if (engagement != null) {
            found.add(new HubSpotEngagement(type.path, Long.toString(engagement.id()), engagement.properties()));
          }
        }
      }
    }
    return found;
  }

  /** @return the live record, the survivor for a merged-away id */
  private CrmObject requireLive(ObjectType type, long id) {
    CrmObject live = store(type).get(id, false);
    if (live == null) {
      throw new ApiError(404, "OBJECT_NOT_FOUND", type.singular + " " + id + " does not exist",
          Map.of("id", List.of(Long.toString(id))));
    }
    return live;
  }

  private static ObjectType targetOf(ObjectType type, AssociationInput link) {
    for (ObjectType to : ObjectType.values()) {
      if (type.typeIdTo(to) == link.typeId() && link.typeId() != 0) {
        if (!"HUBSPOT_DEFINED".equals(link.category())) {
          break;
        }
        return to;
      }
    }
    throw new ApiError(400, "VALIDATION_ERROR",
        "One or more associations are invalid: association type " + link.category() + " " + link.typeId()
            + " is not defined from " + type.singular,
        Map.of("associationTypeId", List.of(Integer.toString(link.typeId()))));
  }

  private void propertyChange(long id, String name, String value, ChangeSource source) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("propertyName", name);
    fields.put("propertyValue", value == null ? "" : value);
    webhooks.contactEvent("contact.propertyChange", id, source, fields);
  }

  private void associationChange(
      ObjectType from, long fromId, ObjectType to, long toId, boolean removed, ChangeSource source) {
    if (from != ObjectType.CONTACTS && to != ObjectType.CONTACTS) {
      return;
    }
    boolean contactFirst = from == ObjectType.CONTACTS;
    long contactId = contactFirst ? fromId : toId;
    ObjectType other = contactFirst ? to : from;
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("associationType", "CONTACT_TO_" + other.singular);
    fields.put("fromObjectId", contactId);
    fields.put("toObjectId", contactFirst ? toId : fromId);
    fields.put("associationRemoved", removed);
    fields.put("isPrimaryAssociation", false);
    webhooks.contactEvent("contact.associationChange", contactId, source, fields);
  }
}
