package dev.crmkit.testkit.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The org's records and the rules a save follows: field validation, required fields, defaults,
 * derived fields, the duplicate rule, the recycle bin, merge and undelete. Timestamps have whole
 * seconds, as Salesforce's do. Thread-safe: every method holds the lock on this object, which
 * callers may also hold to make several calls one transaction (see {@link #snapshot()}).
 */
final class OrgState {
  static final String DUPLICATE_RULE = "Standard_Contact_Duplicate_Rule";
  static final String MATCH_RULE = "Standard_Contact_Match_Rule_v1_1";

  private final Clock clock;
  private final String userId;
  private final String apiVersion;
  private final boolean contactEmailDuplicateRule;
  private final boolean multiCurrency;
  private final long firstRecordNumber;
  private final boolean auditFieldsOnCreate;
  /** Custom fields the org defines beyond {@link SObjectType}'s, by type and lower-case name. */
  private final Map<SObjectType, Map<String, FieldDef>> customFields;
  private Map<String, SObjectRecord> records = new LinkedHashMap<>();
  private Map<SObjectType, Long> nextNumber = new EnumMap<>(SObjectType.class);
  /** Records purged from the recycle bin: gone from queries, still in the delete log. */
  private final List<SObjectRecord> purged = new ArrayList<>();
  /** Ids of records created or updated since the last {@link #drainSaved()}, for outbound messages. */
  private List<String> saved = new ArrayList<>();
  /** Who creates and modifies records right now: the API session's user, or the UI user during a test hook. */
  private String actingUser;

  /**
   * @param multiCurrency whether the org has multiple currencies: only then do records have {@code CurrencyIsoCode}
   * @param firstRecordNumber the sequence number of each type's first record
   * @param auditFieldsOnCreate whether a create may set {@code CreatedDate}
   * @param customFields the org's custom fields per type
   */
  OrgState(Clock clock, String userId, String apiVersion, boolean contactEmailDuplicateRule, boolean multiCurrency,
      long firstRecordNumber, boolean auditFieldsOnCreate, Map<SObjectType, List<FieldDef>> customFields) {
    this.clock = clock;
    this.userId = userId;
    this.actingUser = userId;
    this.apiVersion = apiVersion;
    this.contactEmailDuplicateRule = contactEmailDuplicateRule;
    this.multiCurrency = multiCurrency;
    this.firstRecordNumber = firstRecordNumber;
    this.auditFieldsOnCreate = auditFieldsOnCreate;
    Map<SObjectType, Map<String, FieldDef>> custom = new EnumMap<>(SObjectType.class);
    customFields.forEach((type, defs) -> {
      Map<String, FieldDef> byName = new LinkedHashMap<>();
      defs.forEach(d -> byName.put(d.name().toLowerCase(Locale.ROOT), d));
      custom.put(type, byName);
    });
    this.customFields = custom;
    seedStages();
  }

  /** @return whether the org has this field: {@code CurrencyIsoCode} only in a multi-currency org */
  boolean has(FieldDef field) {
    return multiCurrency || !field.name().equals(SObjectType.CURRENCY_ISO_CODE);
  }

  /** @return the field of the type, standard or custom, matched case-insensitively; null when none */
  FieldDef field(SObjectType type, String name) {
    FieldDef standard = type.field(name);
    if (standard != null) {
      return standard;
    }
    Map<String, FieldDef> custom = customFields.get(type);
    return custom == null ? null : custom.get(name.toLowerCase(Locale.ROOT));
  }

  /** @return the type's fields in describe order: standard ones, then the org's custom ones */
  List<FieldDef> fields(SObjectType type) {
    Map<String, FieldDef> custom = customFields.get(type);
    if (custom == null) {
      return type.fields();
    }
    List<FieldDef> all = new ArrayList<>(type.fields());
    all.addAll(custom.values());
    return all;
  }

  private long nextNumber(SObjectType type) {
    return nextNumber.merge(type, firstRecordNumber, (a, b) -> a + 1);
  }

  /** A copy of every record, to put back with {@link #restore(Object)} when a transaction fails. */
  synchronized Object snapshot() {
    Map<String, SObjectRecord> copy = new LinkedHashMap<>();
    records.forEach((id, record) -> copy.put(id, record.copy()));
    return new Object[] {copy, new EnumMap<>(nextNumber), new ArrayList<>(saved)};
  }

  @SuppressWarnings("unchecked")
  synchronized void restore(Object snapshot) {
    Object[] parts = (Object[]) snapshot;
    records = (Map<String, SObjectRecord>) parts[0];
    nextNumber = (Map<SObjectType, Long>) parts[1];
    saved = (List<String>) parts[2];
  }

  /** @return the ids of records created or updated since the last call, in order, and forgets them */
  synchronized List<String> drainSaved() {
    List<String> out = saved;
    saved = new ArrayList<>();
    return out;
  }

  Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.SECONDS);
  }

  /**
   * Creates a record.
   *
   * @param input field names to JSON values; an {@code attributes} key is ignored
   * @return the new record
   * @throws SfError for an unknown, read-only or invalid field, a missing required field, or a duplicate
   */
  synchronized SObjectRecord create(SObjectType type, Map<String, JsonNode> input) {
    requireWritable(type);
    Map<String, Object> values = new LinkedHashMap<>();
    for (FieldDef field : fields(type)) {
      if (has(field)) {
        values.put(field.name(), field.defaultValue());
      }
    }
    Instant now = now();
    Map<String, JsonNode> rest = new LinkedHashMap<>(input);
    Instant created = auditFieldsOnCreate ? auditCreatedDate(type, rest) : null;
    applyInput(type, values, rest, true);
    long number = nextNumber(type);
    String id = SalesforceIds.of(type.keyPrefix, number);
    values.put("Id", id);
    if (type.field("OwnerId") != null && values.get("OwnerId") == null) {
      values.put("OwnerId", actingUser);
    }
    values.put("IsDeleted", false);
    values.put("CreatedDate", created == null ? now : created);
    values.put("CreatedById", actingUser);
    values.put("LastModifiedDate", now);
    values.put("LastModifiedById", actingUser);
    values.put("SystemModstamp", now);
    derive(type, values);
    checkRequired(type, values);
    checkUnique(type, values, null);
    checkDuplicates(type, values, null);
    SObjectRecord record = new SObjectRecord(type, id, values);
    if (type == SObjectType.CONTENT_VERSION) {
      publish(record, now);
    }
    records.put(id, record);
    saved.add(id);
    return record;
  }

  /**
   * What a ContentVersion insert does besides storing the version: its file type and size from
   * {@code PathOnClient} and {@code VersionData}; without {@code ContentDocumentId} a new ContentDocument
   * (and, for a {@code FirstPublishLocationId}, a ContentDocumentLink to that record); with one, the
   * version becomes the document's latest.
   */
  private void publish(SObjectRecord version, Instant now) {
    Map<String, Object> v = version.values;
    String path = (String) v.get("PathOnClient");
    int dot = path.lastIndexOf('.');
    String extension = dot < 0 ? null : path.substring(dot + 1).toLowerCase(Locale.ROOT);
    v.put("FileExtension", extension);
    v.put("FileType", extension == null ? "UNKNOWN" : extension.toUpperCase(Locale.ROOT));
    v.put("ContentSize", BigDecimal.valueOf(java.util.Base64.getMimeDecoder().decode((String) v.get("VersionData")).length));
    v.put("IsLatest", true);
    String documentId = (String) v.get("ContentDocumentId");
    SObjectRecord document;
    if (documentId == null) {
      Map<String, Object> d = new LinkedHashMap<>();
      documentId = SalesforceIds.of(SObjectType.CONTENT_DOCUMENT.keyPrefix, nextNumber(SObjectType.CONTENT_DOCUMENT));
      d.put("Id", documentId);
      d.put("OwnerId", v.get("OwnerId"));
      d.put("IsDeleted", false);
      d.put("CreatedDate", v.get("CreatedDate"));
      d.put("CreatedById", actingUser);
      d.put("LastModifiedDate", now);
      d.put("LastModifiedById", actingUser);
      d.put("SystemModstamp", now);
      document = new SObjectRecord(SObjectType.CONTENT_DOCUMENT, documentId, d);
      records.put(documentId, document);
      v.put("ContentDocumentId", documentId);
      v.put("VersionNumber", "1");
      if (v.get("FirstPublishLocationId") != null) {
        Map<String, Object> link = new LinkedHashMap<>();
        String linkId = SalesforceIds.of(SObjectType.CONTENT_DOCUMENT_LINK.keyPrefix,
            nextNumber(SObjectType.CONTENT_DOCUMENT_LINK));
        link.put("Id", linkId);
        link.put("ContentDocumentId", documentId);
        link.put("LinkedEntityId", v.get("FirstPublishLocationId"));
        link.put("ShareType", "I");
        link.put("Visibility", "AllUsers");
        link.put("IsDeleted", false);
        link.put("CreatedDate", now);
        link.put("CreatedById", actingUser);
        link.put("LastModifiedDate", now);
        link.put("LastModifiedById", actingUser);
        link.put("SystemModstamp", now);
        records.put(linkId, new SObjectRecord(SObjectType.CONTENT_DOCUMENT_LINK, linkId, link));
      }
    } else {
      document = live(SObjectType.CONTENT_DOCUMENT, documentId);
      int versions = 1;
      for (SObjectRecord other : records.values()) {
        if (other.type == SObjectType.CONTENT_VERSION && documentId.equals(other.get("ContentDocumentId"))) {
          other.values.put("IsLatest", false);
          versions++;
        }
      }
      v.put("VersionNumber", Integer.toString(versions));
    }
    document.values.put("Title", v.get("Title"));
    document.values.put("FileType", v.get("FileType"));
    document.values.put("FileExtension", extension);
    document.values.put("LatestPublishedVersionId", version.id);
    document.values.put("LastModifiedDate", now);
    document.values.put("SystemModstamp", now);
  }

  /**
   * Updates a live record.
   *
   * @throws SfError NOT_FOUND, ENTITY_IS_DELETED, or as {@link #create}
   */
  synchronized SObjectRecord update(SObjectType type, String id, Map<String, JsonNode> input) {
    requireWritable(type);
    SObjectRecord record = live(type, id);
    Map<String, Object> values = new LinkedHashMap<>(record.values);
    applyInput(type, values, input, false);
    derive(type, values);
    checkRequired(type, values);
    checkUnique(type, values, record.id);
    checkDuplicates(type, values, record.id);
    Instant now = now();
    values.put("LastModifiedDate", now);
    values.put("LastModifiedById", actingUser);
    values.put("SystemModstamp", now);
    record.values.clear();
    record.values.putAll(values);
    saved.add(record.id);
    return record;
  }

  /**
   * Moves a live record to the recycle bin: {@code IsDeleted} true, still readable by queryAll.
   *
   * @throws SfError NOT_FOUND or ENTITY_IS_DELETED
   */
  synchronized SObjectRecord delete(SObjectType type, String id) {
    requireWritable(type);
    SObjectRecord record = live(type, id);
    markDeleted(record);
    return record;
  }

  /**
   * Brings a record back from the recycle bin, as SOAP {@code undelete()} or Apex does.
   *
   * @throws SfError NOT_FOUND when no record has the id, UNDELETE_FAILED when it is not deleted
   */
  synchronized SObjectRecord undelete(String id) {
    SObjectRecord record = find(id);
    if (record == null) {
      throw SfError.notFound();
    }
    if (!record.deleted()) {
      throw SfError.field("UNDELETE_FAILED", "Entity is not in the recycle bin", List.of());
    }
    record.deletedAt = null;
    Instant now = now();
    record.values.put("IsDeleted", false);
    if (field(record.type, "MasterRecordId") != null) {
      record.values.put("MasterRecordId", null);
    }
    record.values.put("LastModifiedDate", now);
    record.values.put("LastModifiedById", actingUser);
    record.values.put("SystemModstamp", now);
    return record;
  }

  /**
   * Merges {@code loserId} into {@code masterId} the way the emulator's test hook does: fields blank on
   * the master take the loser's values (as a person merging in the UI might choose), then {@link
   * #merge(String, List, Map)}.
   */
  synchronized SObjectRecord merge(String masterId, String loserId) {
    SObjectRecord master = find(masterId);
    SObjectRecord loser = find(loserId);
    if (master == null || loser == null) {
      throw SfError.notFound();
    }
    Map<String, Object> fill = new LinkedHashMap<>();
    if (master.type == loser.type) {
      for (FieldDef field : fields(master.type)) {
        if (field.writable() && master.values.get(field.name()) == null && loser.values.get(field.name()) != null) {
          fill.put(field.name(), loser.values.get(field.name()));
        }
      }
    }
    return merge(masterId, List.of(loserId), fill, true).master();
  }

  /** A merge's master and the ids of the records re-parented to it ({@code updatedRelatedIds}). */
  record Merged(SObjectRecord master, List<String> updatedRelatedIds) {}

  /**
   * Merges up to two records into the master, as SOAP {@code merge()} does: the master keeps its own
   * values except the fields given (set like an update, as the MergeRequest's {@code masterRecord} sets
   * them), records pointing at a loser are moved to the master, each loser goes to the recycle bin with
   * {@code MasterRecordId} set to the master. Duplicate rules do not run on a merge.
   *
   * @param masterFields field values for the master, by API name, as JSON values
   * @throws SfError NOT_FOUND, ENTITY_IS_DELETED, INVALID_ID_FIELD when a loser is the master, differs in
   *     type or the type cannot be merged, LIMIT_EXCEEDED past two losers, or as {@link #update}
   */
  synchronized Merged merge(String masterId, List<String> loserIds, Map<String, JsonNode> masterFields) {
    return merge(masterId, loserIds, new LinkedHashMap<>(masterFields), false);
  }

  private Merged merge(String masterId, List<String> loserIds, Map<String, ?> masterFields, boolean converted) {
    SObjectRecord master = find(masterId);
    if (master == null) {
      throw SfError.notFound();
    }
    if (loserIds.isEmpty() || loserIds.size() > 2) {
      throw SfError.field("LIMIT_EXCEEDED", "A merge request merges one or two records into the master",
          List.of("recordToMergeIds"));
    }
    List<SObjectRecord> losers = new ArrayList<>();
    for (String loserId : loserIds) {
      SObjectRecord loser = find(loserId);
      if (loser == null) {
        throw SfError.notFound();
      }
      if (master.type != loser.type || master.id.equals(loser.id) || field(master.type, "MasterRecordId") == null
          || losers.contains(loser)) {
        throw SfError.field("INVALID_ID_FIELD", "Invalid merge: the records must be two different records of one "
            + "type that can be merged (Account, Contact, Lead)", List.of());
      }
      losers.add(loser);
    }
    live(master.type, master.id);
    for (SObjectRecord loser : losers) {
      live(loser.type, loser.id);
    }
    Map<String, Object> values = new LinkedHashMap<>(master.values);
    if (converted) {
      values.putAll(masterFields);
    } else {
      @SuppressWarnings("unchecked")
      Map<String, JsonNode> input = (Map<String, JsonNode>) masterFields;
      input.remove("Id");
      applyInput(master.type, values, input, false);
    }
    derive(master.type, values);
    checkRequired(master.type, values);
    Instant now = now();
    master.values.clear();
    master.values.putAll(values);
    master.values.put("LastModifiedDate", now);
    master.values.put("LastModifiedById", actingUser);
    master.values.put("SystemModstamp", now);
    List<String> related = new ArrayList<>();
    for (SObjectRecord loser : losers) {
      for (SObjectRecord other : records.values()) {
        for (FieldDef field : fields(other.type)) {
          if (field.type() == FieldType.REFERENCE && field.writable() && loser.id.equals(other.values.get(field.name()))) {
            other.values.put(field.name(), master.id);
            other.values.put("SystemModstamp", now);
            if (!related.contains(other.id)) {
              related.add(other.id);
            }
          }
        }
      }
      markDeleted(loser);
      loser.values.put("MasterRecordId", master.id);
    }
    saved.add(master.id);
    return new Merged(master, List.copyOf(related));
  }

  /**
   * Runs {@code change} as {@code user}: records it creates are owned, created and last modified by that
   * user, records it updates last modified by it.
   */
  synchronized <T> T as(String user, Supplier<T> change) {
    String before = actingUser;
    actingUser = user;
    try {
      return change.get();
    } finally {
      actingUser = before;
    }
  }

  /** @return the record with the id (15 or 18 characters), live or deleted; null when none */
  synchronized SObjectRecord find(String id) {
    String normalized = SalesforceIds.normalize(id);
    return normalized == null ? null : records.get(normalized);
  }

  /** @return the records of a type in creation order, deleted ones too when asked */
  synchronized List<SObjectRecord> all(SObjectType type, boolean includeDeleted) {
    List<SObjectRecord> out = new ArrayList<>();
    for (SObjectRecord record : records.values()) {
      if (record.type == type && (includeDeleted || !record.deleted())) {
        out.add(record);
      }
    }
    return out;
  }

  /**
   * Empties a deleted record out of the recycle bin, as {@code Database.emptyRecycleBin} or the 15-day purge
   * does: queries no longer see it, the delete log still lists it.
   *
   * @throws SfError NOT_FOUND when no record has the id, INVALID_ID_FIELD when it is not deleted
   */
  synchronized void purge(String id) {
    SObjectRecord record = find(id);
    if (record == null) {
      throw SfError.notFound();
    }
    if (!record.deleted()) {
      throw SfError.field("INVALID_ID_FIELD", "only a record in the recycle bin can be purged", List.of());
    }
    records.remove(record.id);
    purged.add(record);
  }

  /** @return the deleted records of a type, in the recycle bin or purged from it */
  synchronized List<SObjectRecord> deleteLog(SObjectType type) {
    List<SObjectRecord> out = new ArrayList<>();
    for (SObjectRecord record : records.values()) {
      if (record.type == type && record.deleted()) {
        out.add(record);
      }
    }
    for (SObjectRecord record : purged) {
      if (record.type == type) {
        out.add(record);
      }
    }
    return out;
  }

  /** @throws SfError NOT_FOUND when no record of the type has the id, ENTITY_IS_DELETED when deleted */
  synchronized SObjectRecord live(SObjectType type, String id) {
    SObjectRecord record = find(id);
    if (record == null || record.type != type) {
      throw SfError.notFound();
    }
    if (record.deleted()) {
      throw new SfError(404, "ENTITY_IS_DELETED", "entity is deleted", List.of(), null);
    }
    return record;
  }

  private void markDeleted(SObjectRecord record) {
    Instant now = now();
    record.deletedAt = now;
    record.values.put("IsDeleted", true);
    record.values.put("LastModifiedDate", now);
    record.values.put("SystemModstamp", now);
  }

  private static void requireWritable(SObjectType type) {
    if (!type.writable) {
      throw new SfError(400, "INVALID_TYPE_FOR_OPERATION", "entity type " + type.apiName + " does not support this operation");
    }
  }

  /**
   * With "Set Audit Fields upon Record Creation" on, a create may set {@code CreatedDate} (whole seconds,
   * not in the future); the input entry is consumed.
   */
  private Instant auditCreatedDate(SObjectType type, Map<String, JsonNode> input) {
    String key = input.keySet().stream().filter(k -> k.equalsIgnoreCase("CreatedDate")).findFirst().orElse(null);
    if (key == null) {
      return null;
    }
    JsonNode value = input.remove(key);
    Instant created = (Instant) Values.fromJson(type, type.field("CreatedDate"), value);
    if (created == null || created.isAfter(now())) {
      throw SfError.field("INVALID_FIELD_FOR_INSERT_UPDATE", "CreatedDate must be set and not in the future",
          List.of("CreatedDate"));
    }
    return created.truncatedTo(ChronoUnit.SECONDS);
  }

  private void applyInput(SObjectType type, Map<String, Object> values, Map<String, JsonNode> input, boolean create) {
    for (Map.Entry<String, JsonNode> entry : input.entrySet()) {
      String name = entry.getKey();
      if (name.equals("attributes")) {
        continue;
      }
      FieldDef field = field(type, name);
      if (field == null || !has(field)) {
        throw new SfError(400, "INVALID_FIELD", "No such column '" + name + "' on sobject of type " + type.apiName);
      }
      if (!field.writable()) {
        String verb = create ? "create" : "update";
        throw SfError.field("INVALID_FIELD_FOR_INSERT_UPDATE", "Unable to " + verb + " fields: " + field.name()
            + ". Please check the security settings of this field and verify that it is read/write for your profile"
            + " or permission set.", List.of(field.name()));
      }
      values.put(field.name(), Values.fromJson(type, field, entry.getValue()));
    }
  }

  private static void derive(SObjectType type, Map<String, Object> values) {
    switch (type) {
      case CONTACT:
      case LEAD:
        String name = join((String) values.get("FirstName"), (String) values.get("LastName"));
        values.put("Name", name);
        break;
      case OPPORTUNITY:
        String stage = (String) values.get("StageName");
        SObjectType.Stage known = SObjectType.STAGES.stream().filter(s -> s.label().equals(stage)).findFirst().orElse(null);
        values.put("IsClosed", known != null && known.closed());
        values.put("IsWon", known != null && known.won());
        if (values.get("Probability") == null && known != null) {
          values.put("Probability", BigDecimal.valueOf(known.probability()));
        }
        break;
      case TASK:
        values.put("IsClosed", "Completed".equals(values.get("Status")));
        break;
      case EVENT:
        Instant start = (Instant) values.get("StartDateTime");
        Instant end = (Instant) values.get("EndDateTime");
        BigDecimal minutes = (BigDecimal) values.get("DurationInMinutes");
        if (start != null && end == null && minutes != null) {
          values.put("EndDateTime", start.plus(Duration.ofMinutes(minutes.longValue())));
        } else if (start != null && end != null) {
          values.put("DurationInMinutes", BigDecimal.valueOf(Duration.between(start, end).toMinutes()));
        }
        values.put("ActivityDateTime", start);
        break;
      default:
        break;
    }
  }

  private static String join(String first, String last) {
    if (first == null) {
      return last;
    }
    return last == null ? first : first + " " + last;
  }

  private void checkRequired(SObjectType type, Map<String, Object> values) {
    List<String> missing = new ArrayList<>();
    for (FieldDef field : fields(type)) {
      if (field.required() && values.get(field.name()) == null) {
        missing.add(field.name());
      }
    }
    if (type == SObjectType.EVENT) {
      if (values.get("StartDateTime") == null) {
        missing.add("StartDateTime");
      }
      if (values.get("EndDateTime") == null) {
        missing.add("DurationInMinutes");
      }
    }
    if (!missing.isEmpty()) {
      throw SfError.field("REQUIRED_FIELD_MISSING", "Required fields are missing: " + missing, missing);
    }
    if (type == SObjectType.EVENT
        && ((Instant) values.get("EndDateTime")).isBefore((Instant) values.get("StartDateTime"))) {
      throw SfError.field("FIELD_INTEGRITY_EXCEPTION", "End Date/Time: End Date/Time cannot be before Start Date/Time",
          List.of("EndDateTime"));
    }
  }

  /**
   * A unique field's value held by another record, deleted ones included (Salesforce keeps unique
   * values of records in the recycle bin): DUPLICATE_VALUE naming the field and the holder. Unique
   * text compares case-insensitively.
   */
  private void checkUnique(SObjectType type, Map<String, Object> values, String selfId) {
    for (FieldDef field : type.fields()) {
      if (!SObjectType.uniqueExternalId(type, field) || !(values.get(field.name()) instanceof String value)) {
        continue;
      }
      for (SObjectRecord record : records.values()) {
        if (record.type == type && !Objects.equals(record.id, selfId)
            && record.values.get(field.name()) instanceof String other && other.equalsIgnoreCase(value)) {
          throw SfError.field("DUPLICATE_VALUE", "duplicate value found: " + field.name()
              + " duplicates value on record with id: " + record.id, List.of(field.name()));
        }
      }
    }
  }

  /** The duplicate rule, when on: a live Contact with the same Email (case-insensitive) blocks the save. */
  private void checkDuplicates(SObjectType type, Map<String, Object> values, String selfId) {
    if (!contactEmailDuplicateRule || type != SObjectType.CONTACT || values.get("Email") == null) {
      return;
    }
    String email = ((String) values.get("Email")).toLowerCase(Locale.ROOT);
    List<String> matches = new ArrayList<>();
    for (SObjectRecord record : records.values()) {
      if (record.type == SObjectType.CONTACT && !record.deleted() && !Objects.equals(record.id, selfId)
          && record.values.get("Email") != null
          && ((String) record.values.get("Email")).toLowerCase(Locale.ROOT).equals(email)) {
        matches.add(record.id);
      }
    }
    if (!matches.isEmpty()) {
      throw new SfError(400, "DUPLICATES_DETECTED", "Use one of these records?", List.of(), duplicateResult(matches));
    }
  }

  /** The {@code duplicateResult} Salesforce adds to a DUPLICATES_DETECTED error. */
  private ObjectNode duplicateResult(List<String> matchIds) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode result = f.objectNode();
    result.put("allowSave", false);
    result.put("duplicateRule", DUPLICATE_RULE);
    result.put("duplicateRuleEntityType", "Contact");
    result.put("errorMessage", "You're creating a duplicate record. We recommend you use an existing record instead.");
    ObjectNode match = result.putArray("matchResults").addObject();
    match.put("entityType", "Contact");
    match.putArray("errors");
    match.put("matchEngine", "ExactMatchEngine");
    for (String id : matchIds) {
      ObjectNode matchRecord = match.withArray("matchRecords").addObject();
      matchRecord.putArray("additionalInformation");
      matchRecord.putArray("fieldDiffs");
      matchRecord.put("matchConfidence", 100.0);
      ObjectNode record = matchRecord.putObject("record");
      ObjectNode attributes = record.putObject("attributes");
      attributes.put("type", "Contact");
      attributes.put("url", "/services/data/" + apiVersion + "/sobjects/Contact/" + id);
      record.put("Id", id);
    }
    match.put("rule", MATCH_RULE);
    match.put("size", matchIds.size());
    match.put("success", true);
    ObjectNode extra = f.objectNode();
    extra.set("duplicateResult", result);
    return extra;
  }

  private void seedStages() {
    Instant now = now();
    int order = 1;
    for (SObjectType.Stage stage : SObjectType.STAGES) {
      Map<String, Object> values = new LinkedHashMap<>();
      long number = nextNumber(SObjectType.OPPORTUNITY_STAGE);
      String id = SalesforceIds.of(SObjectType.OPPORTUNITY_STAGE.keyPrefix, number);
      values.put("Id", id);
      values.put("MasterLabel", stage.label());
      values.put("ApiName", stage.label());
      values.put("IsActive", true);
      values.put("IsClosed", stage.closed());
      values.put("IsWon", stage.won());
      values.put("DefaultProbability", BigDecimal.valueOf(stage.probability()));
      values.put("SortOrder", BigDecimal.valueOf(order++));
      values.put("IsDeleted", false);
      values.put("CreatedDate", now);
      values.put("CreatedById", userId);
      values.put("LastModifiedDate", now);
      values.put("LastModifiedById", userId);
      values.put("SystemModstamp", now);
      records.put(id, new SObjectRecord(SObjectType.OPPORTUNITY_STAGE, id, values));
    }
  }
}
