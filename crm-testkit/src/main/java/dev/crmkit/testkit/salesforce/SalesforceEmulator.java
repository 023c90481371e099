package dev.crmkit.testkit.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crmkit.error.NotFoundException;
import dev.crmkit.error.ValidationException;
import dev.crmkit.testkit.internal.Loopback;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import mockwebserver3.MockWebServer;

/**
 * A stateful fake of Salesforce's REST API on loopback, for tests of code that talks to
 * Salesforce. The base URL plays the {@code instance_url}; API paths are {@code
 * /services/data/vXX.X/...} (any two-digit version is accepted; URLs the emulator writes use the
 * configured one).
 *
 * <p>Resources:
 * <ul>
 *   <li>sObjects Account, Contact, Lead, Opportunity, OpportunityContactRole, Task, Event, Note
 *       (read-write) and OpportunityStage (read-only, the ten standard stages with {@code
 *       IsClosed}, {@code IsWon} and {@code DefaultProbability}): {@code POST /sobjects/{type}}
 *       (201 {@code {id, success, errors}}), {@code GET|PATCH|DELETE /sobjects/{type}/{id}} (GET
 *       takes {@code ?fields=}; PATCH and DELETE answer 204), {@code GET /sobjects/{type}/describe},
 *       {@code GET /sobjects}.
 *   <li>{@code GET /query?q=} and {@code /queryAll?q=} (which also returns records in the recycle
 *       bin) with the SOQL subset described in {@link Soql}'s grammar (comparisons, LIKE, IN, NOT
 *       IN, AND/OR/NOT, date and date-time literals, TODAY, LAST_N_DAYS:n, ORDER BY with NULLS
 *       FIRST/LAST, LIMIT, OFFSET, COUNT()); pages of {@link Builder#pageSize(int)} records (or the
 *       {@code Sforce-Query-Options: batchSize=n} header, 200 to 2,000) with {@code
 *       nextRecordsUrl} {@code /services/data/vXX.X/query/01g...-2000}; a locator idle for 15
 *       minutes answers INVALID_QUERY_LOCATOR.
 *   <li>{@code GET /sobjects/{type}/updated/?start=&end=} ({@code {ids, latestDateCovered}}, at
 *       most 30 days back) and {@code /deleted/} ({@code {deletedRecords:[{id, deletedDate}],
 *       earliestDateAvailable, latestDateCovered}}, at most 15 days back); seconds are ignored.
 *   <li>{@code POST|PATCH /composite/sobjects} ({@code {allOrNone, records}}, up to 200 records,
 *       results in request order) and {@code DELETE /composite/sobjects?ids=&allOrNone=}; {@code
 *       POST /composite} (up to 25 subrequests, at most 5 of them sObject Collections or query,
 *       queryAll or next-page operations, else 400 LIMIT_EXCEEDED; {@code @{ref.path}} references,
 *       {@code allOrNone} rolling everything back with PROCESSING_HALTED for the other subrequests). A
 *       composite request is one request and one call of daily API usage; its subrequests are counted
 *       apart in {@link SalesforceCounters#subrequests(String)}.
 *   <li>Bulk API 2.0 ingest jobs under {@code /jobs/ingest}: see {@link BulkJobs}.
 *   <li>{@code GET /limits} ({@code DailyApiRequests}) and {@code GET /services/data} (versions,
 *       no session needed, not counted).
 *   <li>{@code POST /services/oauth2/token}: {@code authorization_code} and {@code refresh_token}
 *       once {@link Builder#oauthClient(String, String)} is set, the JWT bearer grant once {@link
 *       Builder#jwtBearer(String, PublicKey)} is. Codes are single-use, live 15 minutes and are bound to
 *       the redirect URI and the PKCE challenge: a used, unknown or expired code, or a {@code
 *       code_verifier} whose S256 is not the challenge, is 400 {@code invalid_grant}; another redirect
 *       URI {@code redirect_uri_mismatch}.
 *   <li>The web-server flow a browser clicks through: {@code GET /services/oauth2/authorize?response_type=code
 *       &client_id&redirect_uri&state&code_challenge&code_challenge_method=S256} shows an HTML form whose
 *       "Allow" button posts to {@code POST /services/oauth2/authorize}, answered 302 to {@code
 *       redirect_uri?code=...&state=...} ("Deny": {@code ?error=access_denied}); an unknown client id or
 *       no redirect URI gets an error page. See {@link dev.crmkit.testkit.OAuthConsent}.
 * </ul>
 *
 * <p>Records: 18-character ids with the real key prefixes (Account 001, Contact 003, Lead 00Q,
 * Opportunity 006, OpportunityContactRole 00K, Task 00T, Event 00U, Note 002, ContentVersion 068,
 * ContentDocument 069, ContentDocumentLink 06A); 15-character ids are accepted everywhere. Salesforce Files
 * and Lightning notes: a ContentVersion insert ({@code Title}, {@code PathOnClient}, {@code VersionData} in
 * base64, required) derives {@code FileType} (the upper-case extension, {@code SNOTE} for {@code .snote}),
 * {@code FileExtension}, {@code ContentSize}, {@code VersionNumber} and {@code IsLatest}; without a
 * {@code ContentDocumentId} it creates the ContentDocument (which the API cannot create directly) and, for a
 * {@code FirstPublishLocationId}, a ContentDocumentLink (ShareType I) to that record, queryable by
 * {@code LinkedEntityId}; with one it becomes that document's latest version. A query shows a base64 field as
 * the URL of {@code GET /sobjects/ContentVersion/{id}/VersionData}, which serves the bytes (as UTF-8 text, so
 * text content only). Every record has {@code Id, IsDeleted, CreatedDate, CreatedById,
 * LastModifiedDate, LastModifiedById, SystemModstamp} (whole seconds, {@code
 * 2024-01-01T00:00:00.000+0000}). Required fields: Contact LastName; Lead LastName and Company;
 * Account Name; Opportunity Name, StageName, CloseDate; OpportunityContactRole OpportunityId and
 * ContactId; Note ParentId and Title; ContentDocumentLink ContentDocumentId and LinkedEntityId; Event StartDateTime and EndDateTime or DurationInMinutes.
 * Defaults: Task Status "Not Started", Priority "Normal", TaskSubtype "Task"; Lead Status "Open -
 * Not Contacted"; checkboxes false; OwnerId the emulator's user. Derived: Contact and Lead {@code
 * Name}; Opportunity {@code IsClosed}, {@code IsWon}, {@code Probability} from the stage; Task
 * {@code IsClosed}; Event {@code EndDateTime}/{@code DurationInMinutes} from each other. Contact's
 * custom fields: {@code Customer_Segment__c} (text 255), {@code Total_Orders__c} (double), {@code
 * Total_Revenue__c} (currency), {@code Preferred_Channel__c} (picklist Email, SMS, WhatsApp,
 * Phone), and the checkboxes {@code Email_Opt_In__c}, {@code SMS_Opt_In__c}, {@code
 * WhatsApp_Opt_In__c}, {@code Phone_Opt_In__c}. Opportunity's custom fields: {@code
 * Crmkit_Idempotency_Key__c} (text 255, a unique external id: a value another record holds, in the
 * recycle bin too, answers DUPLICATE_VALUE "duplicate value found: ... on record with id: ...") and
 * {@code Deal_Source__c} (text 255); {@code CurrencyIsoCode} in a multi-currency org ({@link
 * Builder#multiCurrency(boolean)}). Describe lists every field with its type, length, {@code unique},
 * {@code externalId}, and precision 18 and scale 2 for currency fields.
 *
 * <p>Errors have Salesforce's body {@code [{"message", "errorCode", "fields"}]}: 400
 * REQUIRED_FIELD_MISSING, INVALID_FIELD, INVALID_FIELD_FOR_INSERT_UPDATE, STRING_TOO_LONG,
 * INVALID_EMAIL_ADDRESS, INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST, MALFORMED_ID (a reference or an
 * id of the wrong type), JSON_PARSER_ERROR, MALFORMED_QUERY, INVALID_QUERY_FILTER_OPERATOR,
 * DUPLICATES_DETECTED (with {@code duplicateResult}); 404 NOT_FOUND (also for a path id that is not
 * an id, read as an external id) and ENTITY_IS_DELETED (PATCH or DELETE of a deleted record; GET
 * of one answers NOT_FOUND); 401 INVALID_SESSION_ID; 403 REQUEST_LIMIT_EXCEEDED.
 *
 * <p>Each request is, in order: counted in {@link #counters()}, answered by a pending fault from
 * {@link #faults()}, checked for a live session ({@code Authorization: Bearer} the configured
 * access token or one issued by the token endpoint), counted against the daily API allocation
 * (rolling 24 hours; {@code Sforce-Limit-Info: api-usage=used/max} on every API answer; a
 * collection or composite request is one call), then served.
 *
 * <p>Test hooks act without HTTP, counting or faults: {@link #insert(String, Map)}, {@link
 * #record(String)}, {@link #update(String, Map)}, {@link #delete(String)}, {@link
 * #undelete(String)}, {@link #purge(String)}, {@link #merge(String, String)}, {@link #apiUsage()}, {@link
 * #expireSessions()}, {@link #authorizationCode(String)}, {@link #newRefreshToken()}. Salesforce's
 * REST API has no merge or undelete resource: both are partner SOAP API calls, which the emulator
 * serves at {@code POST /services/Soap/u/XX.X} ({@code undelete(ids)}, {@code merge(request)}; the
 * session from the envelope's {@code SessionHeader}, expired or unknown answered with the fault
 * {@code sf:INVALID_SESSION_ID}, each call counted, XML read with no DTD or entities). The merge hook
 * fills the master's blank fields from the loser; the SOAP call, like Salesforce, keeps the master's
 * values and sets only the fields its {@code masterRecord} names. Hooks act as a UI user
 * ({@link #uiUserId()}), requests as the integration user ({@link #userId()}), as {@code LastModifiedById} shows.
 *
 * <p>Record creates and updates of one watched type become SOAP outbound messages, delivered on
 * {@link SalesforceOutboundMessages#flush()} with retries, duplicates and reordering on demand:
 * see {@link #outboundMessages()}.
 *
 * <p>Not emulated: relationship queries, SOSL, upsert by external id, composite graph and tree,
 * Bulk query jobs, field-level security, sharing, triggers and validation rules other than those
 * above.
 *
 * <p>Thread-safe. See <a href="https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/">the
 * REST API developer guide</a> and <a
 * href="https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/errorcodes.htm">its
 * status codes and error responses</a>.
 */
public final class SalesforceEmulator implements AutoCloseable {
  private static final String PROVIDER = "salesforce";

  private final MockWebServer server;
  private final String accessToken;
  private final String apiVersion;
  private final String orgId;
  private final String userId;
  private final String uiUserId;
  private final SalesforceFaults faults = new SalesforceFaults();
  private final SalesforceCounters counters = new SalesforceCounters();
  private final OrgState state;
  private final SessionServer sessions;
  private final ApiUsage usage;
  private final SalesforceOutboundMessages outbound;

  private SalesforceEmulator(Builder builder) {
    this.accessToken = builder.accessToken;
    this.apiVersion = builder.apiVersion;
    this.orgId = SalesforceIds.to18(builder.orgId.length() == 18 ? builder.orgId.substring(0, 15) : builder.orgId);
    this.userId = SalesforceIds.of("005", 1);
    this.uiUserId = SalesforceIds.of("005", 2);
    this.state = new OrgState(builder.clock, userId, apiVersion, builder.contactEmailDuplicateRule,
        builder.multiCurrency, builder.firstRecordNumber, builder.auditFieldsOnCreate, builder.customFields);
    this.sessions = new SessionServer(builder.clock, accessToken, builder.clientId, builder.clientSecret,
        builder.sessionLifetime, orgId, userId);
    if (builder.jwtKey != null) {
      sessions.jwtBearer(builder.jwtConsumerKey, builder.jwtKey);
    }
    this.usage = new ApiUsage(builder.clock, builder.dailyApiLimit);
    RestApi api = new RestApi(state, builder.clock, apiVersion, builder.pageSize, usage);
    api.countSubrequestsIn(counters);
    this.outbound = new SalesforceOutboundMessages(state, orgId, apiVersion);
    this.server = new MockWebServer();
    SoapApi soap = new SoapApi(state, sessions, usage, counters);
    server.setDispatcher(new SalesforceDispatcher(api, soap, sessions, usage, faults, counters, outbound));
    try {
      server.start(Loopback.ADDRESS, builder.port);
    } catch (IOException e) {
      throw new UncheckedIOException("could not start the Salesforce emulator on loopback port " + builder.port, e);
    }
    sessions.instanceUrl(baseUrl());
    outbound.instanceUrl(baseUrl());
  }

  /**
   * Starts an emulator with every default (see {@link Builder}).
   *
   * @return a running emulator; close it when done
   * @throws UncheckedIOException when no loopback port can be bound
   */
  public static SalesforceEmulator start() {
    return builder().build();
  }

  /** @return a builder holding every default */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * @return the instance URL, such as {@code http://127.0.0.1:54321}, without a trailing slash;
   *     {@code /services/data/v59.0/...} goes after it
   */
  public String baseUrl() {
    return Loopback.baseUrl(server.getPort());
  }

  /** @return the access token (session id) the emulator accepts until {@link #expireSessions()} */
  public String accessToken() {
    return accessToken;
  }

  /** @return the API version, such as {@code v59.0} */
  public String apiVersion() {
    return apiVersion;
  }

  /** @return the 18-character organization id ({@code 00D...}) */
  public String orgId() {
    return orgId;
  }

  /**
   * @return the 18-character id of the user every session acts as (the integration user): records
   *     created or changed through the API carry it in {@code CreatedById} and {@code LastModifiedById}
   */
  public String userId() {
    return userId;
  }

  /**
   * @return the 18-character id of the user the test hooks act as (a person in the Salesforce UI):
   *     records created or changed by {@link #insert}, {@link #update}, {@link #undelete} and {@link
   *     #merge} carry it in {@code LastModifiedById} (and a created one in {@code CreatedById} and
   *     {@code OwnerId}), so a test can tell the integration's writes from a user's
   */
  public String uiUserId() {
    return uiUserId;
  }

  /**
   * Counts the live records of a type, without a request.
   *
   * @param type an sObject type name such as {@code "Contact"}; case-insensitive
   * @return how many records of the type are not in the recycle bin
   * @throws NullPointerException naming {@code type} when null
   * @throws IllegalArgumentException naming {@code type} when it is not an emulated type
   */
  public int liveCount(String type) {
    return state.all(requireType(type), false).size();
  }

  /** @return the faults to inject into the next responses */
  public SalesforceFaults faults() {
    return faults;
  }

  /** @return the request counters */
  public SalesforceCounters counters() {
    return counters;
  }

  /** @return the outbound messages; set their target to start queueing notifications */
  public SalesforceOutboundMessages outboundMessages() {
    return outbound;
  }

  /** @return API calls counted in the last 24 hours, as {@code Sforce-Limit-Info} reports them */
  public int apiUsage() {
    return usage.used();
  }

  /**
   * Stores a record directly, as a data load or a user in the UI would: no request, no counting,
   * no faults; the same validation as {@code POST /sobjects/{type}}.
   *
   * @param type an sObject type name such as {@code "Contact"}; case-insensitive
   * @param fields field names to values: strings, booleans, numbers, or ISO-8601 text for dates and
   *     date-times; not null
   * @return the new record's 18-character id
   * @throws NullPointerException naming {@code type} or {@code fields} when null
   * @throws IllegalArgumentException naming {@code type} when it is not an emulated type
   * @throws ValidationException naming the field when Salesforce would reject the record
   */
  public String insert(String type, Map<String, ?> fields) {
    SObjectType sObjectType = requireType(type);
    Map<String, JsonNode> input = json(fields);
    String id = hook(() -> state.create(sObjectType, input).id, fields);
    outbound.collect();
    return id;
  }

  /**
   * Reads a record without a request, live or in the recycle bin.
   *
   * @param id a 15- or 18-character id; not null
   * @return every field by name: String, Boolean, {@link java.math.BigDecimal}, {@link
   *     java.time.LocalDate} or {@link java.time.Instant}, null values included; unmodifiable;
   *     empty when no record has the id
   */
  public Optional<Map<String, Object>> record(String id) {
    Objects.requireNonNull(id, "id");
    SObjectRecord record = state.find(id);
    if (record == null) {
      return Optional.empty();
    }
    synchronized (state) {
      return Optional.of(Collections.unmodifiableMap(new LinkedHashMap<>(record.values)));
    }
  }

  /**
   * Changes a live record as a user in the UI would: no request or counting; {@code
   * LastModifiedDate} and {@code SystemModstamp} move to now.
   *
   * @param id a live record's id; not null
   * @param fields field names to new values (null clears); not null
   * @throws NotFoundException when no live record has the id
   * @throws ValidationException naming the field when Salesforce would reject the change
   */
  public void update(String id, Map<String, ?> fields) {
    SObjectRecord record = requireRecord(id);
    Map<String, JsonNode> input = json(fields);
    hook(() -> state.update(record.type, record.id, input), fields);
    outbound.collect();
  }

  /**
   * Deletes a live record to the recycle bin, as a user in the UI would.
   *
   * @param id a live record's id; not null
   * @throws NotFoundException when no live record has the id
   */
  public void delete(String id) {
    SObjectRecord record = requireRecord(id);
    hook(() -> state.delete(record.type, record.id), Map.of());
  }

  /**
   * Empties a deleted record out of the recycle bin (hard delete), as {@code Database.emptyRecycleBin} or the
   * org's 15-day purge does: query and queryAll no longer return it; {@code getDeleted} still lists it.
   *
   * @param id a deleted record's id; not null
   * @throws NotFoundException when no record has the id
   * @throws ValidationException naming {@code id} when the record is not in the recycle bin
   */
  public void purge(String id) {
    Objects.requireNonNull(id, "id");
    if (state.find(id) == null) {
      throw new NotFoundException(PROVIDER, "record", id);
    }
    try {
      state.purge(id);
    } catch (SfError error) {
      throw ValidationException.of("id", id, error.getMessage());
    }
  }

  /**
   * Restores a record from the recycle bin, as SOAP {@code undelete()} or Apex {@code
   * Database.undelete} does (REST has no undelete resource). {@code IsDeleted} goes back to false,
   * {@code MasterRecordId} is cleared, and the record leaves the get-deleted feed.
   *
   * @param id a deleted record's id; not null
   * @throws NotFoundException when no record has the id
   * @throws ValidationException naming {@code id} when the record is not deleted
   * @see <a href="https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_undelete.htm">SOAP undelete()</a>
   */
  public void undelete(String id) {
    Objects.requireNonNull(id, "id");
    if (state.find(id) == null) {
      throw new NotFoundException(PROVIDER, "record", id);
    }
    try {
      state.as(uiUserId, () -> state.undelete(id));
    } catch (SfError error) {
      throw ValidationException.of("id", id, error.getMessage());
    }
  }

  /**
   * Merges two live records of one type (Account, Contact or Lead), as SOAP {@code merge()} does
   * when its {@code masterRecord} carries the loser's values for the master's blank fields: blank
   * fields of the master take the loser's values, references
   * to the loser (a Task's WhoId, a Note's ParentId, ...) move to the master, and the loser goes to
   * the recycle bin with {@code MasterRecordId} set to the master, where queryAll and get-deleted
   * see it.
   *
   * @param masterId the record that survives; not null
   * @param loserId the record merged into it; not null
   * @throws NotFoundException when either is not a live record
   * @throws ValidationException naming {@code loserId} when the two are the same record, differ in
   *     type, or are of a type that cannot be merged
   * @see <a href="https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_merge.htm">SOAP merge()</a>
   */
  public void merge(String masterId, String loserId) {
    requireRecord(masterId);
    requireRecord(loserId);
    try {
      state.as(uiUserId, () -> state.merge(masterId, loserId));
    } catch (SfError error) {
      throw ValidationException.of("loserId", loserId, error.getMessage());
    }
    outbound.collect();
  }

  /**
   * Ends every session: the configured access token and every issued one now answer 401
   * INVALID_SESSION_ID. Refresh tokens stay valid.
   */
  public void expireSessions() {
    sessions.expireAll();
  }

  /**
   * Issues an authorization code, as Salesforce does when a user approves the connected app and
   * is sent back to {@code redirectUri}. Single use.
   *
   * @param redirectUri the redirect URI the token request must repeat; not blank
   * @return the code for {@code grant_type=authorization_code}
   * @throws IllegalStateException when no OAuth client is configured
   * @throws NullPointerException naming {@code redirectUri} when null
   * @throws IllegalArgumentException naming {@code redirectUri} when blank
   */
  public String authorizationCode(String redirectUri) {
    requireOAuth();
    Objects.requireNonNull(redirectUri, "redirectUri");
    if (redirectUri.isBlank()) {
      throw new IllegalArgumentException("redirectUri must not be blank: '" + redirectUri + "'");
    }
    return sessions.newAuthorizationCode(redirectUri, null);
  }

  /**
   * Issues an authorization code for a request that carried a PKCE {@code code_challenge} (method
   * S256): the token request must then send the {@code code_verifier} whose SHA-256, Base64url
   * without padding, is the challenge, or it fails with 400 {@code invalid_grant}.
   *
   * @param redirectUri the redirect URI the token request must repeat; not blank
   * @param codeChallenge the authorization URL's {@code code_challenge}; not blank
   * @return the code for {@code grant_type=authorization_code}
   * @throws IllegalStateException when no OAuth client is configured
   * @throws NullPointerException naming {@code redirectUri} or {@code codeChallenge} when null
   * @throws IllegalArgumentException naming {@code redirectUri} or {@code codeChallenge} when blank
   * @see <a href="https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_pkce.htm">Salesforce: PKCE</a>
   */
  public String authorizationCode(String redirectUri, String codeChallenge) {
    requireOAuth();
    Objects.requireNonNull(redirectUri, "redirectUri");
    Objects.requireNonNull(codeChallenge, "codeChallenge");
    if (redirectUri.isBlank() || codeChallenge.isBlank()) {
      throw new IllegalArgumentException(redirectUri.isBlank() ? "redirectUri must not be blank: '" + redirectUri + "'"
          : "codeChallenge must not be blank");
    }
    return sessions.newAuthorizationCode(redirectUri, codeChallenge);
  }

  /**
   * @return a refresh token for {@code grant_type=refresh_token}, as if the app had been approved
   * @throws IllegalStateException when no OAuth client is configured
   */
  public String newRefreshToken() {
    requireOAuth();
    return sessions.newRefreshToken();
  }

  /** Stops the server and closes its connections. Idempotent. */
  @Override
  public void close() {
    server.close();
  }

  private void requireOAuth() {
    if (!sessions.oauthConfigured()) {
      throw new IllegalStateException("no OAuth client is configured; use Builder.oauthClient(clientId, clientSecret)");
    }
  }

  private static SObjectType requireType(String type) {
    Objects.requireNonNull(type, "type");
    SObjectType sObjectType = SObjectType.fromName(type);
    if (sObjectType == null || !sObjectType.writable) {
      throw new IllegalArgumentException("type must be a writable emulated sObject type: '" + type + "'");
    }
    return sObjectType;
  }

  private SObjectRecord requireRecord(String id) {
    Objects.requireNonNull(id, "id");
    SObjectRecord record = state.find(id);
    if (record == null || record.deleted()) {
      throw new NotFoundException(PROVIDER, "record", id);
    }
    return record;
  }

  private static Map<String, JsonNode> json(Map<String, ?> fields) {
    Objects.requireNonNull(fields, "fields");
    Map<String, JsonNode> input = new LinkedHashMap<>();
    fields.forEach((name, value) -> input.put(name, RestApi.MAPPER.valueToTree(value)));
    return input;
  }

  private <T> T hook(Supplier<T> change, Map<String, ?> fields) {
    try {
      return state.as(uiUserId, change);
    } catch (SfError error) {
      String field = error.fields == null || error.fields.isEmpty() ? "fields" : error.fields.get(0);
      Object value = fields.get(field);
      throw ValidationException.of(field, value == null ? null : value.toString(),
          error.errorCode + ": " + error.getMessage());
    }
  }

  /** Options for a {@link SalesforceEmulator}. Not thread-safe; {@link #build()} starts it. */
  public static final class Builder {
    private int port;
    private String apiVersion = "v59.0";
    private String orgId = "00D5g000004SbcD";
    private Clock clock = Clock.systemUTC();
    private String accessToken = "00D5g000004SbcD!AQ4AQ" + UUID.randomUUID().toString().replace("-", "");
    private Duration sessionLifetime = Duration.ofHours(2);
    private int dailyApiLimit = 100_000;
    private int pageSize = 2000;
    private String clientId;
    private String clientSecret;
    private boolean contactEmailDuplicateRule;
    private boolean multiCurrency;
    private long firstRecordNumber = 1;
    private String jwtConsumerKey;
    private PublicKey jwtKey;
    private boolean auditFieldsOnCreate;
    private final Map<SObjectType, List<FieldDef>> customFields = new EnumMap<>(SObjectType.class);

    private Builder() {}

    /**
     * Defines a custom Text field on an object, as an admin does in Setup: it shows in describe, SOQL
     * may select and filter on it, and creates and updates may set it (longer values answer
     * STRING_TOO_LONG). Not required, no default.
     *
     * @param sObjectType a writable emulated type such as {@code "Contact"} or {@code "Task"}
     * @param apiName the field's API name, letters, digits and single underscores ending {@code __c},
     *     such as {@code Loyalty_Id__c}; not one the type already has
     * @param length the maximum length, 1 to 255
     * @return this
     * @throws NullPointerException naming {@code sObjectType} or {@code apiName} when null
     * @throws IllegalArgumentException naming the bad argument and its value
     * @see <a href="https://help.salesforce.com/s/articleView?id=sf.custom_field_types.htm">Custom field types</a>
     */
    public Builder customTextField(String sObjectType, String apiName, int length) {
      if (length < 1 || length > 255) {
        throw new IllegalArgumentException("length must be from 1 to 255: " + length);
      }
      return customField(sObjectType, apiName, FieldType.STRING, length);
    }

    /**
     * Defines a custom Long Text Area field on an object ({@code textarea} in describe): settable and
     * selectable. Salesforce does not let SOQL filter on such a field; the emulator does not enforce that.
     *
     * @param sObjectType a writable emulated type such as {@code "Task"}
     * @param apiName the field's API name ending {@code __c}; not one the type already has
     * @param length the maximum length, 256 to 131,072
     * @return this
     * @throws NullPointerException naming {@code sObjectType} or {@code apiName} when null
     * @throws IllegalArgumentException naming the bad argument and its value
     */
    public Builder customLongTextAreaField(String sObjectType, String apiName, int length) {
      if (length < 256 || length > 131_072) {
        throw new IllegalArgumentException("length must be from 256 to 131072: " + length);
      }
      return customField(sObjectType, apiName, FieldType.TEXTAREA, length);
    }

    /**
     * Defines a custom Date/Time field on an object ({@code datetime} in describe; values such as
     * {@code 2024-01-31T10:00:00.000+0000}, kept to whole seconds like every emulated date-time).
     *
     * @param sObjectType a writable emulated type such as {@code "Contact"}
     * @param apiName the field's API name ending {@code __c}; not one the type already has
     * @return this
     * @throws NullPointerException naming {@code sObjectType} or {@code apiName} when null
     * @throws IllegalArgumentException naming the bad argument and its value
     */
    public Builder customDateTimeField(String sObjectType, String apiName) {
      return customField(sObjectType, apiName, FieldType.DATETIME, 0);
    }

    private Builder customField(String sObjectType, String apiName, FieldType kind, int length) {
      Objects.requireNonNull(sObjectType, "sObjectType");
      Objects.requireNonNull(apiName, "apiName");
      SObjectType type = SObjectType.fromName(sObjectType);
      if (type == null || !type.writable) {
        throw new IllegalArgumentException("sObjectType must be a writable emulated type: '" + sObjectType + "'");
      }
      if (!apiName.matches("[A-Za-z](?:[A-Za-z0-9]|_(?!_))*__c")) {
        throw new IllegalArgumentException("apiName must be a custom field API name such as Loyalty_Id__c: '"
            + apiName + "'");
      }
      List<FieldDef> defined = customFields.computeIfAbsent(type, t -> new ArrayList<>());
      if (type.field(apiName) != null || defined.stream().anyMatch(d -> d.name().equalsIgnoreCase(apiName))) {
        throw new IllegalArgumentException("apiName is already a field of " + type.apiName + ": '" + apiName + "'");
      }
      defined.add(new FieldDef(apiName, apiName.substring(0, apiName.length() - 3).replace('_', ' '), kind, length,
          false, true, List.of(), List.of(), null));
      return this;
    }

    /**
     * Turns on "Set Audit Fields upon Record Creation" for the API user: a create ({@code POST
     * /sobjects}, collections, composite, insert hook) may then set {@code CreatedDate} (not in the
     * future), as a data migration does. Updates still cannot set it.
     *
     * @param on true to allow it; default false (CreatedDate answers INVALID_FIELD_FOR_INSERT_UPDATE)
     * @return this
     * @see <a href="https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/system_fields.htm">System fields (audit fields)</a>
     */
    public Builder auditFieldsOnCreate(boolean on) {
      this.auditFieldsOnCreate = on;
      return this;
    }

    /**
     * @param port the loopback port, from 1 to 65535, or 0 for a free one; default 0
     * @return this
     * @throws IllegalArgumentException naming {@code port} and the value when out of range
     */
    public Builder port(int port) {
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException("port must be from 0 to 65535: " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * @param apiVersion the version the emulator writes into URLs, {@code vNN.0}; default {@code v59.0}
     * @return this
     * @throws NullPointerException naming {@code apiVersion} when null
     * @throws IllegalArgumentException naming {@code apiVersion} and the value when not {@code vNN.0}
     */
    public Builder apiVersion(String apiVersion) {
      Objects.requireNonNull(apiVersion, "apiVersion");
      if (!apiVersion.matches("v\\d{2}\\.0")) {
        throw new IllegalArgumentException("apiVersion must look like v59.0: '" + apiVersion + "'");
      }
      this.apiVersion = apiVersion;
      return this;
    }

    /**
     * @param orgId a 15- or 18-character id starting {@code 00D}; default {@code 00D5g000004SbcD}
     * @return this
     * @throws NullPointerException naming {@code orgId} when null
     * @throws IllegalArgumentException naming {@code orgId} and the value when not such an id
     */
    public Builder orgId(String orgId) {
      Objects.requireNonNull(orgId, "orgId");
      if (!SalesforceIds.wellFormed(orgId) || !orgId.startsWith("00D")) {
        throw new IllegalArgumentException("orgId must be a 15- or 18-character id starting 00D: '" + orgId + "'");
      }
      this.orgId = orgId;
      return this;
    }

    /**
     * @param clock the time for record timestamps, sessions, date literals and the daily
     *     allocation; default the system UTC clock
     * @return this
     * @throws NullPointerException naming {@code clock} when null
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * @param accessToken the session id to accept until {@link #expireSessions()}; not blank;
     *     default a random {@code 00D...!AQ...} value
     * @return this
     * @throws NullPointerException naming {@code accessToken} when null
     * @throws IllegalArgumentException naming {@code accessToken} when blank
     */
    public Builder accessToken(String accessToken) {
      Objects.requireNonNull(accessToken, "accessToken");
      if (accessToken.isBlank()) {
        throw new IllegalArgumentException("accessToken must not be blank");
      }
      this.accessToken = accessToken;
      return this;
    }

    /**
     * @param lifetime how long a session issued by the token endpoint lives, from issue; more than
     *     zero; default two hours (Salesforce's default session timeout)
     * @return this
     * @throws NullPointerException naming {@code lifetime} when null
     * @throws IllegalArgumentException naming {@code lifetime} and the value when not positive
     */
    public Builder sessionLifetime(Duration lifetime) {
      Objects.requireNonNull(lifetime, "lifetime");
      if (lifetime.isZero() || lifetime.isNegative()) {
        throw new IllegalArgumentException("lifetime must be more than zero: " + lifetime);
      }
      this.sessionLifetime = lifetime;
      return this;
    }

    /**
     * @param max API calls allowed in a rolling 24 hours; one or more; default 100,000
     * @return this
     * @throws IllegalArgumentException naming {@code dailyApiLimit} and the value when below one
     */
    public Builder dailyApiLimit(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("dailyApiLimit must be one or more: " + max);
      }
      this.dailyApiLimit = max;
      return this;
    }

    /**
     * @param size query records per page, from 1 to 2,000; default 2,000 (Salesforce's). Sizes
     *     below 200, which Salesforce does not allow, let tests page through few records.
     * @return this
     * @throws IllegalArgumentException naming {@code pageSize} and the value when out of range
     */
    public Builder pageSize(int size) {
      if (size < 1 || size > 2000) {
        throw new IllegalArgumentException("pageSize must be from 1 to 2000: " + size);
      }
      this.pageSize = size;
      return this;
    }

    /**
     * Turns on {@code POST /services/oauth2/token} for one connected app.
     *
     * @param clientId the consumer key; not blank
     * @param clientSecret the consumer secret; not blank; also signs the token response's {@code signature}
     * @return this
     * @throws NullPointerException naming {@code clientId} or {@code clientSecret} when null
     * @throws IllegalArgumentException naming {@code clientId} or {@code clientSecret} when blank
     */
    public Builder oauthClient(String clientId, String clientSecret) {
      Objects.requireNonNull(clientId, "clientId");
      Objects.requireNonNull(clientSecret, "clientSecret");
      if (clientId.isBlank() || clientSecret.isBlank()) {
        throw new IllegalArgumentException(clientId.isBlank() ? "clientId must not be blank" : "clientSecret must not be blank");
      }
      this.clientId = clientId;
      this.clientSecret = clientSecret;
      return this;
    }

    /**
     * Turns on the JWT bearer grant ({@code grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer})
     * for a connected app whose certificate holds {@code publicKey}: an RS256 assertion with {@code
     * iss} the consumer key, {@code aud} {@code https://login.salesforce.com}, {@code
     * https://test.salesforce.com} or the instance URL, a {@code sub}, and {@code exp} at most three
     * minutes ahead gets a session (no refresh token); otherwise 400 {@code invalid_grant} or
     * {@code invalid_client_id}.
     *
     * @param consumerKey the connected app's consumer key; not blank
     * @param publicKey the RSA public key that verifies the assertions; not null
     * @return this
     * @throws NullPointerException naming {@code consumerKey} or {@code publicKey} when null
     * @throws IllegalArgumentException naming {@code consumerKey} when blank, or {@code publicKey}
     *     when it is not an RSA key
     */
    public Builder jwtBearer(String consumerKey, PublicKey publicKey) {
      Objects.requireNonNull(consumerKey, "consumerKey");
      Objects.requireNonNull(publicKey, "publicKey");
      if (consumerKey.isBlank()) {
        throw new IllegalArgumentException("consumerKey must not be blank");
      }
      if (!"RSA".equals(publicKey.getAlgorithm())) {
        throw new IllegalArgumentException("publicKey must be an RSA key, was " + publicKey.getAlgorithm());
      }
      this.jwtConsumerKey = consumerKey;
      this.jwtKey = publicKey;
      return this;
    }

    /**
     * Makes the org a multi-currency one: Opportunity then has {@code CurrencyIsoCode}, a restricted
     * picklist of USD (the corporate currency and the default), EUR, GBP, CAD, AUD, JPY and CHF, in
     * describe, reads and writes. Without it the field does not exist (INVALID_FIELD on write, absent
     * from describe; SOQL still accepts it).
     *
     * @param on true for a multi-currency org; default false
     * @return this
     * @see <a href="https://help.salesforce.com/s/articleView?id=sf.admin_enable_multicurrency.htm">Salesforce: enable multiple currencies</a>
     */
    public Builder multiCurrency(boolean on) {
      this.multiCurrency = on;
      return this;
    }

    /**
     * The sequence number of each type's first record, so that two emulators (two orgs) hand out
     * different ids, as Salesforce's ids are unique across orgs.
     *
     * @param number from 1 to 10<sup>15</sup>; default 1
     * @return this
     * @throws IllegalArgumentException naming {@code number} and the value when out of range
     */
    public Builder firstRecordNumber(long number) {
      if (number < 1 || number > 1_000_000_000_000_000L) {
        throw new IllegalArgumentException("number must be from 1 to 10^15: " + number);
      }
      this.firstRecordNumber = number;
      return this;
    }

    /**
     * Turns on a blocking duplicate rule: creating or updating a Contact whose Email (compared
     * case-insensitively) belongs to another live Contact fails with 400 DUPLICATES_DETECTED and a
     * {@code duplicateResult} naming the matches.
     *
     * @param on true to block duplicates; default false
     * @return this
     * @see <a href="https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/headers_duplicaterules.htm">Duplicate rule header</a>
     */
    public Builder contactEmailDuplicateRule(boolean on) {
      this.contactEmailDuplicateRule = on;
      return this;
    }

    /**
     * Defines the custom fields crmkit's {@code salesforce} provider writes beyond the default Contact fields,
     * as an admin following crmkit's README would: on Task and Event the five activity fields
     * ({@code Crmkit_Activity_Type__c}, {@code Crmkit_Channel__c}, {@code Crmkit_Occurred_At__c},
     * {@code Crmkit_Metadata__c}, {@code Crmkit_Idempotency_Key__c}); on ContentVersion the four note fields
     * ({@code Crmkit_Author__c}, {@code Crmkit_Created_At__c}, {@code Crmkit_Idempotency_Key__c},
     * {@code Crmkit_Text__c}); on Contact {@code Preferred_Language__c} (text 64) and {@code Last_Contact_At__c}
     * (Date/Time), for the provider's {@code languageField} and {@code lastContactAtField} settings.
     *
     * @return this builder
     */
    public Builder crmkitFields() {
      customTextField("Contact", "Preferred_Language__c", 64);
      customDateTimeField("Contact", "Last_Contact_At__c");
      for (String type : java.util.List.of("Task", "Event")) {
        customTextField(type, "Crmkit_Activity_Type__c", 40);
        customTextField(type, "Crmkit_Channel__c", 40);
        customDateTimeField(type, "Crmkit_Occurred_At__c");
        customLongTextAreaField(type, "Crmkit_Metadata__c", 131_072);
        customTextField(type, "Crmkit_Idempotency_Key__c", 200);
      }
      customTextField("ContentVersion", "Crmkit_Author__c", 255);
      customDateTimeField("ContentVersion", "Crmkit_Created_At__c");
      customTextField("ContentVersion", "Crmkit_Idempotency_Key__c", 200);
      customLongTextAreaField("ContentVersion", "Crmkit_Text__c", 131_072);
      return this;
    }

    /**
     * Starts the emulator on {@code 127.0.0.1}.
     *
     * @return a running emulator; close it when done
     * @throws UncheckedIOException when the port cannot be bound
     */
    public SalesforceEmulator build() {
      return new SalesforceEmulator(this);
    }
  }
}
