package dev.crmkit.salesforce.internal;

import dev.crmkit.Capability;
import dev.crmkit.Deal;
import dev.crmkit.DealDraft;
import dev.crmkit.DealStage;
import dev.crmkit.DealStatus;
import dev.crmkit.DealUpdate;
import dev.crmkit.Money;
import dev.crmkit.Page;
import dev.crmkit.PageRequest;
import dev.crmkit.Pipeline;
import dev.crmkit.error.ConfigurationException;
import dev.crmkit.error.ConflictException;
import dev.crmkit.error.FieldError;
import dev.crmkit.error.NotFoundException;
import dev.crmkit.error.UnsupportedCapabilityException;
import dev.crmkit.error.ValidationException;
import dev.crmkit.http.CursorCodec;
import dev.crmkit.spi.Validation;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Currency;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Deals as Salesforce Opportunities, each linked to its customer (a Contact) by an
 * OpportunityContactRole marked primary. Thread-safe: the only mutable state is the describe result
 * (read once) and the cached pipeline, each replaced whole.
 *
 * <table>
 *   <caption>Deal fields and Opportunity fields</caption>
 *   <tr><th>field</th><th>Opportunity</th></tr>
 *   <tr><td>title</td><td>{@code Name} (at most its describe length, 120)</td></tr>
 *   <tr><td>amount</td><td>{@code Amount} (at most its describe scale, 2, digits after the point) with
 *       {@code CurrencyIsoCode} in a multi-currency org (an active currency of the org); in a
 *       single-currency org the amount's currency must be the provider's {@code currency}</td></tr>
 *   <tr><td>pipelineId</td><td>always {@value #PIPELINE_ID}: an org has one {@code StageName} picklist</td></tr>
 *   <tr><td>stageId</td><td>{@code StageName}, the picklist value (API name)</td></tr>
 *   <tr><td>status</td><td>{@code IsWon} (WON), else {@code IsClosed} (LOST), else OPEN: Salesforce
 *       derives both from the stage's OpportunityStage</td></tr>
 *   <tr><td>expectedCloseDate</td><td>{@code CloseDate}, 1700-01-01 to 4000-12-30; Salesforce requires
 *       one, so a deal without is written with {@link #NO_CLOSE_DATE}, which reads back as none</td></tr>
 *   <tr><td>owner</td><td>{@code OwnerId}, a User id ({@code 005...}); Salesforce requires an owner, so
 *       an opportunity still owned by the user who created it (the connected user, for deals crmkit
 *       creates) reads as no owner, and clearing the owner hands it back to that user</td></tr>
 *   <tr><td>customFields</td><td>the text fields mapped by {@code dealCustomField.<name>} settings;
 *       an unmapped field is rejected</td></tr>
 *   <tr><td>customerId</td><td>the primary OpportunityContactRole's {@code ContactId} (else the
 *       earliest role's; {@code ""} without one); created with {@code IsPrimary} true and the
 *       {@code dealContactRole} setting as {@code Role}</td></tr>
 *   <tr><td>idempotency key</td><td>a unique external-id text field, by default {@value #DEFAULT_KEY_FIELD}</td></tr>
 * </table>
 *
 * @see <a href="https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_opportunity.htm">Salesforce: Opportunity</a>
 * @see <a href="https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_opportunitycontactrole.htm">Salesforce: OpportunityContactRole</a>
 */
public final class Opportunities {
  /** How long {@link #pipelines()} answers from its cache. */
  public static final Duration PIPELINES_TTL = Duration.ofSeconds(60);
  /** The id of the org's one pipeline. */
  public static final String PIPELINE_ID = "default";
  /** The default idempotency key field. */
  public static final String DEFAULT_KEY_FIELD = "Crmkit_Idempotency_Key__c";
  /** The close date written for a deal without one: Salesforce's latest date, which reads back as none. */
  public static final LocalDate NO_CLOSE_DATE = LocalDate.of(4000, 12, 31);
  /** Salesforce's earliest date. */
  public static final LocalDate FIRST_DATE = LocalDate.of(1700, 1, 1);
  private static final int IN_CHUNK = 200;
  private static final int MAX_MERGE_HOPS = 10;
  private static final Set<String> TEXT_TYPES = Set.of("string", "textarea", "picklist", "email", "phone", "url");
  private static final CursorCodec<DealsCursor> CURSORS = CursorCodec.of(SalesforceApi.PROVIDER, "sf1", "deals",
      c -> Map.of("t", c.createdAt(), "i", c.id()),
      s -> new DealsCursor(s.requiredLong("t"), s.requiredString("i")));

  /** Where a customer's deal list goes on: after this (created, id), newest first. */
  record DealsCursor(long createdAt, String id) {
    DealsCursor {
      if (!Soql.isId(id)) {
        throw new IllegalArgumentException("not an opportunity id");
      }
    }
  }

  private record Schema(boolean multiCurrency, Set<String> currencies, int amountScale, int nameLength) {}

  private record Cached(List<Pipeline> pipelines, Instant until) {}

  private final SalesforceApi api;
  private final boolean contacts;
  private final Clock clock;
  private final Currency orgCurrency;
  private final String keyField;
  private final String contactRole;
  private final Map<String, String> customFieldToField;
  private volatile Schema schema;
  private volatile Cached cached;

  /**
   * @param api the org's API
   * @param customerObject {@code Contact} or {@code Lead}: Leads cannot hold opportunities
   * @param clock for the pipeline cache
   * @param orgCurrency the org's currency, for amounts in a single-currency org
   * @param keyField the unique external-id text field holding the idempotency key
   * @param contactRole the {@code Role} of the contact roles crmkit creates, or {@code null} for none
   * @param customFieldToField deal custom field name to Opportunity field API name
   */
  public Opportunities(SalesforceApi api, String customerObject, Clock clock, Currency orgCurrency, String keyField,
      String contactRole, Map<String, String> customFieldToField) {
    this.api = api;
    this.contacts = customerObject.equals("Contact");
    this.clock = clock;
    this.orgCurrency = orgCurrency;
    this.keyField = keyField;
    this.contactRole = contactRole;
    this.customFieldToField = Map.copyOf(customFieldToField);
  }

  /** False when customers are Leads, which cannot hold opportunities. */
  public boolean available() {
    return contacts;
  }

  private void requireContacts() {
    if (!contacts) {
      throw new UnsupportedCapabilityException(SalesforceApi.PROVIDER, Capability.DEALS);
    }
  }

  // ------------------------------------------------------------------------------------ describe

  /**
   * Checks once, against describe, that Opportunity has the key field and every mapped custom field
   * (writable text), and reads the org's currencies, the Amount scale and the Name length.
   */
  private Schema schema() {
    Schema s = schema;
    if (s != null) {
      return s;
    }
    Map<String, Map<String, Object>> fields = fields(api.describe("Opportunity"));
    List<String> problems = new ArrayList<>();
    Map<String, Object> key = fields.get(keyField.toLowerCase(Locale.ROOT));
    if (key == null) {
      problems.add(keyField + " (the idempotency key: a unique external-id text field) does not exist");
    } else if (!Boolean.TRUE.equals(key.get("unique"))) {
      problems.add(keyField + " (the idempotency key) is not unique");
    }
    new TreeMap<>(customFieldToField).forEach((name, api) -> {
      Map<String, Object> f = fields.get(api.toLowerCase(Locale.ROOT));
      if (f == null) {
        problems.add(api + " (dealCustomField." + name + ") does not exist");
      } else if (!TEXT_TYPES.contains(String.valueOf(f.get("type"))) || !Boolean.TRUE.equals(f.get("createable"))
          || !Boolean.TRUE.equals(f.get("updateable"))) {
        problems.add(api + " (dealCustomField." + name + ") is not a writable text field");
      }
    });
    if (contactRole != null && !picklist(fields(api.describe("OpportunityContactRole")).get("role")).contains(contactRole)) {
      problems.add("OpportunityContactRole.Role has no value '" + contactRole + "' (dealContactRole)");
    }
    if (!problems.isEmpty()) {
      throw new ConfigurationException("provider 'salesforce': Opportunity setup: " + String.join("; ", problems)
          + "; create the fields in Setup or fix the settings");
    }
    Map<String, Object> currency = fields.get("currencyisocode");
    Map<String, Object> amount = fields.get("amount");
    Map<String, Object> name = fields.get("name");
    s = new Schema(currency != null, currency == null ? Set.of(orgCurrency.getCurrencyCode()) : picklist(currency),
        amount != null && amount.get("scale") instanceof Number n ? n.intValue() : 2,
        name != null && name.get("length") instanceof Number n && n.intValue() > 0 ? n.intValue() : 120);
    schema = s;
    return s;
  }

  private static Map<String, Map<String, Object>> fields(Map<String, Object> describe) {
    Map<String, Map<String, Object>> out = new HashMap<>();
    if (describe.get("fields") instanceof List<?> list) {
      for (Object o : list) {
        if (o instanceof Map<?, ?> m && m.get("name") instanceof String name) {
          @SuppressWarnings("unchecked")
          Map<String, Object> field = (Map<String, Object>) m;
          out.put(name.toLowerCase(Locale.ROOT), field);
        }
      }
    }
    return out;
  }

  /** The active values of a picklist field, in order; labels by value in {@code labels} when given. */
  private static Set<String> picklist(Map<String, Object> field) {
    return picklist(field, null);
  }

  private static Set<String> picklist(Map<String, Object> field, Map<String, String> labels) {
    Set<String> values = new LinkedHashSet<>();
    if (field != null && field.get("picklistValues") instanceof List<?> list) {
      for (Object o : list) {
        if (o instanceof Map<?, ?> v && !Boolean.FALSE.equals(v.get("active")) && v.get("value") instanceof String value) {
          values.add(value);
          if (labels != null) {
            labels.put(value, v.get("label") instanceof String l ? l : value);
          }
        }
      }
    }
    return values;
  }

  // ------------------------------------------------------------------------------------ pipelines

  /**
   * The org's one pipeline: the active values of {@code Opportunity.StageName} (describe) in picklist
   * order, each with the status of its OpportunityStage ({@code IsWon}, {@code IsClosed}); from the cache
   * when read less than {@link #PIPELINES_TTL} ago.
   *
   * @throws ConfigurationException when the picklist has no open, won or lost stage
   */
  public List<Pipeline> pipelines() {
    requireContacts();
    Cached c = cached;
    Instant now = clock.instant();
    if (c != null && now.isBefore(c.until())) {
      return c.pipelines();
    }
    Map<String, String> labels = new LinkedHashMap<>();
    Set<String> values = picklist(fields(api.describe("Opportunity")).get("stagename"), labels);
    Map<String, DealStatus> statuses = new HashMap<>();
    for (Map<String, Object> stage : api.queryAllPages(
        "SELECT ApiName, MasterLabel, IsClosed, IsWon FROM OpportunityStage WHERE IsActive = true", false)) {
      String name = stage.get("ApiName") instanceof String a ? a : String.valueOf(stage.get("MasterLabel"));
      statuses.put(name, Boolean.TRUE.equals(stage.get("IsWon")) ? DealStatus.WON
          : Boolean.TRUE.equals(stage.get("IsClosed")) ? DealStatus.LOST : DealStatus.OPEN);
    }
    List<DealStage> stages = new ArrayList<>();
    for (String value : values) {
      DealStatus status = statuses.get(value);
      // A picklist value without an active OpportunityStage has no status Salesforce would give it: left out.
      if (status != null) {
        stages.add(new DealStage(value, labels.get(value), status));
      }
    }
    Pipeline pipeline;
    try {
      if (stages.stream().noneMatch(s -> s.status() == DealStatus.OPEN)) {
        throw new IllegalArgumentException("no open stage");
      }
      pipeline = new Pipeline(PIPELINE_ID, "Opportunities", stages);
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException("provider 'salesforce': the org's Opportunity stages (StageName picklist "
          + "joined with OpportunityStage) need an open, a won and a lost stage: " + e.getMessage(), e);
    }
    List<Pipeline> fresh = List.of(pipeline);
    cached = new Cached(fresh, now.plus(PIPELINES_TTL));
    return fresh;
  }

  // ------------------------------------------------------------------------------------ create

  /**
   * Creates the Opportunity and its primary OpportunityContactRole in one {@code /composite} request
   * with {@code allOrNone}, so neither exists without the other. With an idempotency key, the key field
   * is queried first and an earlier deal returned as it is; a concurrent create under the same key fails
   * on the field's uniqueness, and the deal it made is returned.
   */
  public Deal create(String customerId, DealDraft draft) {
    requireContacts();
    if (draft == null) {
      throw ValidationException.of("deal", null, "must not be null");
    }
    Schema s = schema();
    Map<String, Object> contact = liveContact(customerId);
    String cid = (String) contact.get("Id");
    Deal resolved = draft.toDeal("0", cid, pipelines(), clock.instant());
    List<FieldError> errors = new ArrayList<>();
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("Name", title(resolved.title(), s, errors));
    fields.put("StageName", resolved.stageId());
    fields.put("CloseDate", closeDate(draft.expectedCloseDate(), errors));
    if (draft.amount() != null) {
      amount(draft.amount(), s, fields, errors);
    }
    if (draft.owner() != null) {
      fields.put("OwnerId", owner(draft.owner(), errors));
    }
    if (contact.get("AccountId") instanceof String account && !account.isBlank()) {
      fields.put("AccountId", account);
    }
    customFields(draft.customFields(), fields, errors);
    if (!errors.isEmpty()) {
      throw new ValidationException(SalesforceApi.PROVIDER, errors);
    }
    String key = draft.idempotencyKey();
    if (key != null) {
      Optional<Deal> earlier = findByKey(key);
      if (earlier.isPresent()) {
        return earlier.get();
      }
      fields.put(keyField, key);
    }
    String id;
    try {
      id = createWithRole(fields, cid);
    } catch (ConflictException e) {
      if (key != null && (keyField.equalsIgnoreCase(e.field()) || String.valueOf(e.getMessage()).contains(keyField))) {
        return findByKey(key).orElseThrow(() -> new ConflictException(SalesforceApi.PROVIDER, "idempotencyKey",
            e.existingId(), "idempotency key '" + Validation.abbreviate(key) + "' belongs to deleted opportunity "
                + e.existingId()));
      }
      throw e;
    }
    return row(id).map(r -> read(r, cid))
        .orElseThrow(() -> new NotFoundException(SalesforceApi.PROVIDER, "deal", id));
  }

  private String createWithRole(Map<String, Object> fields, String contactId) {
    Map<String, Object> role = new LinkedHashMap<>();
    role.put("OpportunityId", "@{opportunity.id}");
    role.put("ContactId", contactId);
    role.put("IsPrimary", true);
    if (contactRole != null) {
      role.put("Role", contactRole);
    }
    String sobjects = api.data() + "/sobjects/";
    List<Map<String, Object>> answers = api.compositeAllOrNone(List.of(
        Map.of("method", "POST", "url", sobjects + "Opportunity", "referenceId", "opportunity", "body", fields),
        Map.of("method", "POST", "url", sobjects + "OpportunityContactRole", "referenceId", "contactRole", "body", role)));
    return answers.get(0).get("body") instanceof Map<?, ?> body ? String.valueOf(body.get("id")) : null;
  }

  /** The live deal created under an idempotency key (Salesforce compares the key field case-insensitively). */
  private Optional<Deal> findByKey(String key) {
    List<Map<String, Object>> rows = api.query("SELECT " + selectList() + " FROM Opportunity WHERE " + keyField + " = "
        + Soql.literal(key) + " ORDER BY CreatedDate ASC LIMIT 1", false, 200).items();
    return rows.isEmpty() ? Optional.empty() : Optional.of(read(rows.get(0), customerOf((String) rows.get(0).get("Id"))));
  }

  // ------------------------------------------------------------------------------------ read

  /** The live opportunity with this id; empty for an id that is not an opportunity's. */
  public Optional<Deal> get(String dealId) {
    requireContacts();
    return row(dealId).map(r -> read(r, customerOf((String) r.get("Id"))));
  }

  private Optional<Map<String, Object>> row(String dealId) {
    if (!Soql.isId(dealId) || !dealId.startsWith("006")) {
      return Optional.empty();
    }
    schema();
    List<Map<String, Object>> rows = api.queryAllPages("SELECT " + selectList() + " FROM Opportunity WHERE Id = "
        + Soql.literal(dealId), false);
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
  }

  /** The contact of the primary role, else of the earliest one; {@code ""} when the opportunity has none. */
  private String customerOf(String opportunityId) {
    List<Map<String, Object>> roles = new ArrayList<>(api.queryAllPages("SELECT Id, ContactId, IsPrimary, CreatedDate "
        + "FROM OpportunityContactRole WHERE OpportunityId = " + Soql.literal(opportunityId), false));
    roles.sort(Comparator.comparing((Map<String, Object> r) -> !Boolean.TRUE.equals(r.get("IsPrimary")))
        .thenComparing(r -> String.valueOf(r.get("CreatedDate"))).thenComparing(r -> String.valueOf(r.get("Id"))));
    return roles.stream().map(r -> r.get("ContactId")).filter(String.class::isInstance).map(String.class::cast)
        .findFirst().orElse("");
  }

  /**
   * The contact's opportunities (through its contact roles), newest created first, then by id; each page
   * is one SOQL query per 200 opportunities continued after the last (created, id) listed, so a deal
   * created between pages does not shift the ones after it.
   */
  public Page<Deal> list(String customerId, PageRequest page) {
    requireContacts();
    PageRequest request = page == null ? PageRequest.first() : page;
    DealsCursor after = request.cursor() == null ? null : CURSORS.decode(request.cursor());
    String cid = (String) liveContact(customerId).get("Id");
    schema();
    Set<String> ids = new TreeSet<>();
    for (Map<String, Object> role : api.queryAllPages("SELECT OpportunityId FROM OpportunityContactRole WHERE ContactId = "
        + Soql.literal(cid), false)) {
      if (role.get("OpportunityId") instanceof String id) {
        ids.add(id);
      }
    }
    List<String> all = new ArrayList<>(ids);
    List<Map<String, Object>> rows = new ArrayList<>();
    String keyset = after == null ? "" : " AND (CreatedDate < " + Soql.dateTime(Instant.ofEpochMilli(after.createdAt()))
        + " OR (CreatedDate = " + Soql.dateTime(Instant.ofEpochMilli(after.createdAt())) + " AND Id < "
        + Soql.literal(after.id()) + "))";
    for (int i = 0; i < all.size(); i += IN_CHUNK) {
      rows.addAll(api.query("SELECT " + selectList() + " FROM Opportunity WHERE Id IN "
          + Soql.list(all.subList(i, Math.min(all.size(), i + IN_CHUNK))) + keyset
          + " ORDER BY CreatedDate DESC, Id DESC LIMIT " + (request.limit() + 1), false, 200).items());
    }
    List<Deal> deals = new ArrayList<>();
    rows.forEach(r -> deals.add(read(r, cid)));
    deals.sort(Comparator.comparing(Deal::createdAt, Comparator.reverseOrder())
        .thenComparing(Deal::id, Comparator.reverseOrder()));
    boolean more = deals.size() > request.limit();
    List<Deal> items = more ? List.copyOf(deals.subList(0, request.limit())) : List.copyOf(deals);
    String cursor = null;
    if (more) {
      Deal last = items.get(items.size() - 1);
      cursor = CURSORS.encode(new DealsCursor(last.createdAt().toEpochMilli(), last.id()));
    }
    return new Page<>(items, cursor, c -> list(customerId, request.at(c)));
  }

  // ------------------------------------------------------------------------------------ update

  /**
   * Reads the opportunity, applies the update against {@link #pipelines()} (refusing an unknown
   * pipeline or stage, or a status that disagrees with the stage, before any write), then PATCHes only
   * the fields that change and reads it back.
   */
  public Deal update(String dealId, DealUpdate update) {
    requireContacts();
    if (update == null) {
      throw ValidationException.of("update", null, "must not be null");
    }
    Map<String, Object> row = row(dealId).orElseThrow(() -> new NotFoundException(SalesforceApi.PROVIDER, "deal", dealId));
    String id = (String) row.get("Id");
    Deal before = read(row, customerOf(id));
    Deal after = update.applyTo(before, pipelines(), clock.instant());
    Schema s = schema();
    List<FieldError> errors = new ArrayList<>();
    Map<String, Object> fields = new LinkedHashMap<>();
    if (update.title() != null) {
      fields.put("Name", title(after.title(), s, errors));
    }
    if (update.touchesAmount()) {
      if (after.amount() == null) {
        fields.put("Amount", null);
      } else {
        amount(after.amount(), s, fields, errors);
      }
    }
    if (!after.stageId().equals(before.stageId())) {
      fields.put("StageName", after.stageId());
    }
    if (update.touchesExpectedCloseDate()) {
      fields.put("CloseDate", closeDate(after.expectedCloseDate(), errors));
    }
    if (update.touchesOwner()) {
      fields.put("OwnerId", after.owner() == null ? row.get("CreatedById") : owner(after.owner(), errors));
    }
    customFields(update.customFields(), fields, errors);
    if (!errors.isEmpty()) {
      throw new ValidationException(SalesforceApi.PROVIDER, errors);
    }
    if (fields.isEmpty()) {
      return before;
    }
    api.update("Opportunity", id, fields);
    return row(id).map(r -> read(r, before.customerId()))
        .orElseThrow(() -> new NotFoundException(SalesforceApi.PROVIDER, "deal", dealId));
  }

  // ------------------------------------------------------------------------------------ mapping

  /** The live Contact ({@code Id}, {@code AccountId}), following merges. */
  private Map<String, Object> liveContact(String customerId) {
    String current = customerId;
    for (int hop = 0; hop < MAX_MERGE_HOPS && Soql.isId(current) && current.startsWith("003"); hop++) {
      List<Map<String, Object>> rows = api.queryAllPages("SELECT Id, AccountId, IsDeleted, MasterRecordId FROM Contact "
          + "WHERE Id = " + Soql.literal(current), true);
      if (rows.isEmpty()) {
        break;
      }
      Map<String, Object> row = rows.get(0);
      if (row.get("MasterRecordId") instanceof String master && !master.isBlank()) {
        current = master;
        continue;
      }
      if (Boolean.TRUE.equals(row.get("IsDeleted"))) {
        throw new NotFoundException("customer '" + customerId + "' is deleted", SalesforceApi.PROVIDER, "customer",
            customerId, 404, "ENTITY_IS_DELETED", null);
      }
      return row;
    }
    throw new NotFoundException(SalesforceApi.PROVIDER, "customer", customerId);
  }

  private String selectList() {
    List<String> fields = new ArrayList<>(List.of("Id", "Name", "StageName", "CloseDate", "Amount", "OwnerId",
        "CreatedById", "IsClosed", "IsWon", "CreatedDate", "LastModifiedDate", keyField));
    if (schema().multiCurrency()) {
      fields.add("CurrencyIsoCode");
    }
    new TreeMap<>(customFieldToField).values().forEach(f -> {
      if (!fields.contains(f)) {
        fields.add(f);
      }
    });
    return String.join(", ", fields);
  }

  private static String title(String title, Schema s, List<FieldError> errors) {
    if (title.length() > s.nameLength()) {
      errors.add(new FieldError("title", Validation.abbreviate(title),
          "Salesforce's Opportunity Name holds at most " + s.nameLength() + " characters"));
    }
    return title;
  }

  private static String closeDate(LocalDate date, List<FieldError> errors) {
    if (date == null) {
      return NO_CLOSE_DATE.toString();
    }
    if (date.isBefore(FIRST_DATE) || !date.isBefore(NO_CLOSE_DATE)) {
      errors.add(new FieldError("expectedCloseDate", date.toString(), "Salesforce takes dates from " + FIRST_DATE
          + " to " + NO_CLOSE_DATE.minusDays(1) + " (" + NO_CLOSE_DATE + " stands for no close date)"));
    }
    return date.toString();
  }

  private void amount(Money amount, Schema s, Map<String, Object> fields, List<FieldError> errors) {
    BigDecimal value = amount.amount();
    String code = amount.currency().getCurrencyCode();
    if (value.stripTrailingZeros().scale() > s.amountScale()) {
      errors.add(new FieldError("amount", Validation.abbreviate(amount.toString()),
          "Salesforce's Opportunity Amount holds at most " + s.amountScale() + " digits after the point"));
    }
    if (s.multiCurrency()) {
      if (!s.currencies().contains(code)) {
        errors.add(new FieldError("amount", Validation.abbreviate(amount.toString()),
            "not an active currency of the org; active: " + String.join(", ", s.currencies())));
      }
      fields.put("CurrencyIsoCode", code);
    } else if (!code.equals(orgCurrency.getCurrencyCode())) {
      errors.add(new FieldError("amount", Validation.abbreviate(amount.toString()),
          "the org has one currency, " + orgCurrency.getCurrencyCode() + " (setting currency)"));
    }
    fields.put("Amount", value);
  }

  private static String owner(String owner, List<FieldError> errors) {
    if (!Soql.isId(owner) || !owner.startsWith("005")) {
      errors.add(new FieldError("owner", Validation.abbreviate(owner),
          "Salesforce keeps an opportunity's owner as a User id (OwnerId, 15 or 18 characters starting 005)"));
    }
    return owner;
  }

  private void customFields(Map<String, String> values, Map<String, Object> fields, List<FieldError> errors) {
    new TreeMap<>(values).forEach((name, value) -> {
      String field = customFieldToField.get(name);
      if (field == null) {
        errors.add(new FieldError("customFields." + name, Validation.abbreviate(value),
            "no Opportunity field is mapped to this custom field (configure dealCustomField." + name + ")"));
      } else {
        fields.put(field, value);
      }
    });
  }

  /** An Opportunity row as a {@link Deal} of a customer. */
  private Deal read(Map<String, Object> r, String customerId) {
    Money amount = null;
    if (r.get("Amount") != null) {
      String code = r.get("CurrencyIsoCode") instanceof String c && !c.isBlank() ? c : orgCurrency.getCurrencyCode();
      amount = new Money(new BigDecimal(String.valueOf(r.get("Amount"))), Money.currency(code));
    }
    LocalDate close = r.get("CloseDate") instanceof String d && !d.isBlank() ? LocalDate.parse(d) : null;
    if (NO_CLOSE_DATE.equals(close)) {
      close = null;
    }
    String owner = r.get("OwnerId") instanceof String o && !o.equals(r.get("CreatedById")) ? o : null;
    DealStatus status = Boolean.TRUE.equals(r.get("IsWon")) ? DealStatus.WON
        : Boolean.TRUE.equals(r.get("IsClosed")) ? DealStatus.LOST : DealStatus.OPEN;
    Map<String, String> custom = new LinkedHashMap<>();
    new TreeMap<>(customFieldToField).forEach((name, field) -> {
      Object v = value(r, field);
      if (v != null && !String.valueOf(v).isEmpty()) {
        custom.put(name, String.valueOf(v));
      }
    });
    Instant created = ContactMapping.instant(r.get("CreatedDate"));
    Instant updated = ContactMapping.instant(r.get("LastModifiedDate"));
    return new Deal((String) r.get("Id"), customerId, String.valueOf(r.get("Name")), amount, PIPELINE_ID,
        String.valueOf(r.get("StageName")), status, close, owner, custom,
        created == null ? clock.instant() : created, updated == null ? clock.instant() : updated);
  }

  /** A field's value, its name matched case-insensitively as Salesforce's are. */
  private static Object value(Map<String, Object> row, String field) {
    if (row.containsKey(field)) {
      return row.get(field);
    }
    for (Map.Entry<String, Object> e : row.entrySet()) {
      if (e.getKey().equalsIgnoreCase(field)) {
        return e.getValue();
      }
    }
    return null;
  }
}
