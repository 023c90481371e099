package dev.crmkit.salesforce;

import dev.crmkit.Capability;
import dev.crmkit.CustomerSystem;
import dev.crmkit.CustomerSystemProvider;
import dev.crmkit.ProviderContext;
import dev.crmkit.TenantConfig;
import dev.crmkit.error.ConfigurationException;
import dev.crmkit.http.AccessTokenProvider;
import dev.crmkit.http.HttpConnector;
import dev.crmkit.http.OAuth2Token;
import dev.crmkit.http.OAuth2Tokens;
import dev.crmkit.http.RetryPolicy;
import dev.crmkit.http.Sleeper;
import dev.crmkit.http.StaticToken;
import dev.crmkit.http.TokenStore;
import dev.crmkit.provider.AuthKind;
import dev.crmkit.provider.CredentialListener;
import dev.crmkit.provider.OAuthConnector;
import dev.crmkit.provider.ProviderCategory;
import dev.crmkit.provider.ProviderDescriptor;
import dev.crmkit.provider.SettingDescriptor;
import dev.crmkit.provider.SettingType;
import dev.crmkit.salesforce.internal.OrgRouter;
import dev.crmkit.salesforce.internal.ApiUsage;
import dev.crmkit.salesforce.internal.ContactChangeFeed;
import dev.crmkit.salesforce.internal.ContactMapping;
import dev.crmkit.salesforce.internal.ContactReader;
import dev.crmkit.salesforce.internal.OrgLocks;
import dev.crmkit.salesforce.internal.Opportunities;
import dev.crmkit.salesforce.internal.LongRequests;
import dev.crmkit.salesforce.internal.OAuthConnect;
import dev.crmkit.salesforce.internal.SalesforceApi;
import dev.crmkit.salesforce.internal.SalesforceErrors;
import dev.crmkit.salesforce.internal.SoapCalls;
import dev.crmkit.webhook.WebhookRouter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.OkHttpClient;

/**
 * Makes {@link SalesforceCustomerSystem}s: provider name {@value #NAME}, found by
 * {@link java.util.ServiceLoader}. Thread-safe. Systems of one org (the same instance URL) share one
 * daily API usage counter and one cap on concurrent long requests, owned by this provider instance for its
 * lifetime (the first system of an org fixes their settings).
 *
 * <h2>Credentials (one of)</h2>
 * <ul>
 *   <li>{@value #ACCESS_TOKEN}: a session id / access token, used until Salesforce rejects it.
 *   <li>OAuth: {@value #CLIENT_ID}, {@value #CLIENT_SECRET} and {@value #REFRESH_TOKEN} (optionally a
 *       current {@value #ACCESS_TOKEN}); tokens come from {@code POST /services/oauth2/token} on the login
 *       host ({@value #LOGIN_URL}: {@code https://login.salesforce.com}, or {@code https://test.salesforce.com}
 *       with {@value #SANDBOX}). A 401 {@code INVALID_SESSION_ID} refreshes the session once and repeats the
 *       call; every new token set goes to the host's {@link SalesforceTokenStore} resource (or a {@link
 *       CredentialListener}, which gets credentials {@value #ACCESS_TOKEN} and {@value #REFRESH_TOKEN}; one is required). To
 *       obtain the refresh token, run the web-server flow with {@link #oauth(TenantConfig)}.
 *   <li>JWT bearer (server to server): {@value #PRIVATE_KEY} (PEM PKCS#8), {@value #CLIENT_ID} and {@value
 *       #USERNAME}; each expired session is replaced by a new signed assertion (see {@link SalesforceJwtBearer}).
 * </ul>
 *
 * <p>Every setting, with its type, default and meaning, is in {@link #DESCRIPTOR}. Resources it uses
 * when registered: an {@code okhttp3.OkHttpClient} (for the REST calls and the token grants alike), a
 * {@link Sleeper}, a {@link RetryPolicy}.
 *
 * @see <a href="https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_web_server_flow.htm">Salesforce: OAuth 2.0 web server flow</a>
 */
public final class SalesforceCustomerSystemProvider implements CustomerSystemProvider {
  /** The provider name. */
  public static final String NAME = "salesforce";
  /** Credential: a current access token (session id). */
  public static final String ACCESS_TOKEN = "accessToken";
  /** Credential (or setting): the connected app's consumer key. */
  public static final String CLIENT_ID = "clientId";
  /** Credential: the connected app's consumer secret. */
  public static final String CLIENT_SECRET = "clientSecret";
  /** Credential: the org's refresh token. */
  public static final String REFRESH_TOKEN = "refreshToken";
  /** Credential: the connected app certificate's RSA private key, PEM PKCS#8, for the JWT bearer flow. */
  public static final String PRIVATE_KEY = "privateKey";
  /** Setting: the Salesforce user name the JWT bearer flow acts as. */
  public static final String USERNAME = "username";
  /** Setting: the org id ({@code 00D...}, 15 or 18 characters) outbound messages must carry. */
  public static final String ORGANIZATION_ID = "organizationId";
  /** Setting: comma-separated CIDR ranges outbound messages may come from. */
  public static final String OUTBOUND_IP_RANGES = "outboundMessageIpRanges";
  /** Setting: the org's instance URL, the {@code instance_url} of the OAuth token response. */
  public static final String INSTANCE_URL = "instanceUrl";
  /** Setting: the login host of OAuth token requests. */
  public static final String LOGIN_URL = "loginUrl";
  /** Setting: {@code true} for a sandbox org (login host {@code https://test.salesforce.com}). */
  public static final String SANDBOX = "sandbox";
  /** Setting: the REST API version. */
  public static final String API_VERSION = "apiVersion";
  /** Default of {@value #API_VERSION}. */
  public static final String DEFAULT_API_VERSION = "v59.0";
  /** Setting: the object customers are, {@code Contact} or {@code Lead}. */
  public static final String CUSTOMER_OBJECT = "customerObject";
  /** Setting: ISO currency code of the org, for revenue. */
  public static final String CURRENCY = "currency";
  /** Setting: percent of the org's daily API limit kept free. */
  public static final String DAILY_API_RESERVE_PERCENT = "dailyApiReservePercent";
  /** Setting: most concurrent long-running requests (query pages, Bulk API calls) per org. */
  public static final String MAX_CONCURRENT_LONG_REQUESTS = "maxConcurrentLongRequests";
  /** Setting: above this many writes, {@code bulkWrite} uses Bulk API 2.0 ingest jobs instead of sObject Collections. */
  public static final String BULK_API_THRESHOLD = "bulkApiThreshold";
  /** Setting: API name of the customer object's text field holding the language (BCP 47 tag). */
  public static final String LANGUAGE_FIELD = "languageField";
  /** Setting: API name of the customer object's Date/Time field holding the last contact time. */
  public static final String LAST_CONTACT_AT_FIELD = "lastContactAtField";
  /** Setting: {@code true} when the API user may set {@code CreatedDate} on create. */
  public static final String AUDIT_FIELDS = "auditFields";
  /** Prefix of the settings mapping custom fields to field API names. */
  public static final String CUSTOM_FIELD_PREFIX = "customField.";
  /** Prefix of the settings mapping deal custom fields to Opportunity field API names. */
  public static final String DEAL_CUSTOM_FIELD_PREFIX = "dealCustomField.";
  /** Setting: the Opportunity field (unique external-id text) holding a deal's idempotency key. */
  public static final String DEAL_IDEMPOTENCY_KEY_FIELD = "dealIdempotencyKeyField";
  /** Setting: the {@code Role} of the contact roles linking deals to customers. */
  public static final String DEAL_CONTACT_ROLE = "dealContactRole";

  /** Setting: the object notes are, {@code ContentNote} (Lightning notes, the default) or {@code Note} (classic). */
  public static final String NOTE_OBJECT = "noteObject";
  private static final String PRODUCTION_LOGIN = "https://login.salesforce.com";
  private static final String SANDBOX_LOGIN = "https://test.salesforce.com";
  private static final String OAUTH_DOC = "https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_web_server_flow.htm";

  private static final SettingDescriptor ACCESS_TOKEN_SETTING = SettingDescriptor.builder(ACCESS_TOKEN, SettingType.STRING)
      .secret().description("A current access token (session id). Either this or the OAuth credentials.")
      .docLink(OAUTH_DOC).build();
  private static final SettingDescriptor CLIENT_ID_SETTING = SettingDescriptor.builder(CLIENT_ID, SettingType.STRING)
      .description("OAuth: the connected app's consumer key, with clientSecret and refreshToken.").docLink(OAUTH_DOC).build();
  private static final SettingDescriptor CLIENT_SECRET_SETTING = SettingDescriptor.builder(CLIENT_SECRET, SettingType.STRING)
      .secret().description("OAuth: the connected app's consumer secret.").docLink(OAUTH_DOC).build();
  private static final SettingDescriptor REFRESH_TOKEN_SETTING = SettingDescriptor.builder(REFRESH_TOKEN, SettingType.STRING)
      .secret().description("OAuth: the org's refresh token (scope refresh_token). Needs a SalesforceTokenStore resource.")
      .docLink(OAUTH_DOC).build();
  private static final String JWT_DOC = "https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_jwt_flow.htm";
  private static final SettingDescriptor PRIVATE_KEY_SETTING = SettingDescriptor.builder(PRIVATE_KEY, SettingType.STRING)
      .secret().description("JWT bearer flow (server to server): the connected app certificate's RSA private key, "
          + "PEM PKCS#8 (BEGIN PRIVATE KEY), with clientId and username. Instead of accessToken or refreshToken.")
      .docLink(JWT_DOC).build();
  private static final SettingDescriptor USERNAME_SETTING = SettingDescriptor.builder(USERNAME, SettingType.STRING)
      .description("JWT bearer flow: the user name the integration acts as, pre-authorized for the connected app.")
      .docLink(JWT_DOC).build();
  private static final String OUTBOUND_DOC =
      "https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_om_outboundmessaging_security.htm";
  private static final SettingDescriptor ORGANIZATION_ID_SETTING = SettingDescriptor.builder(ORGANIZATION_ID, SettingType.STRING)
      .description("Outbound messages: the org id (Setup, Company Information; 00D..., 15 or 18 characters) every "
          + "message must carry.").docLink(OUTBOUND_DOC).build();
  private static final SettingDescriptor OUTBOUND_IP_RANGES_SETTING = SettingDescriptor
      .builder(OUTBOUND_IP_RANGES, SettingType.STRING)
      .description("Outbound messages: comma-separated IPv4/IPv6 CIDR ranges messages may come from, such as "
          + "Salesforce's published ranges; empty accepts any sender.").docLink(OUTBOUND_DOC).build();
  private static final SettingDescriptor INSTANCE_URL_SETTING = SettingDescriptor.builder(INSTANCE_URL, SettingType.HTTP_URL)
      .description("The org's instance URL, such as https://acme.my.salesforce.com (instance_url of the "
          + "OAuth token response; the emulator's URL in tests). Needed to build a system; an OAuth connect through "
          + "the integrations layer stores it, so a tenant about to connect may leave it out.").build();
  private static final SettingDescriptor LOGIN_URL_SETTING = SettingDescriptor.builder(LOGIN_URL, SettingType.HTTP_URL)
      .description("Login host of OAuth requests (and the JWT audience): the org's My Domain login URL such as "
          + "https://acme.my.salesforce.com; default https://login.salesforce.com, or https://test.salesforce.com when "
          + "sandbox is true.").docLink(OAUTH_DOC).build();
  private static final SettingDescriptor SANDBOX_SETTING = SettingDescriptor.builder(SANDBOX, SettingType.BOOLEAN)
      .defaultValue("false").description("true for a sandbox org: OAuth goes to https://test.salesforce.com.").build();
  private static final SettingDescriptor API_VERSION_SETTING = SettingDescriptor.builder(API_VERSION, SettingType.STRING)
      .defaultValue(DEFAULT_API_VERSION).description("REST API version, vNN.0.")
      .docLink("https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_versions.htm").build();
  private static final SettingDescriptor CUSTOMER_OBJECT_SETTING = SettingDescriptor
      .builder(CUSTOMER_OBJECT, SettingType.STRING).defaultValue("Contact")
      .description("The object customers are: Contact (company as Account) or Lead (company in Company).").build();
  private static final SettingDescriptor NOTE_OBJECT_SETTING = SettingDescriptor
      .builder(NOTE_OBJECT, SettingType.STRING).defaultValue("ContentNote")
      .description("The object notes are: ContentNote (Lightning notes, written through ContentVersion, which needs "
          + "the custom ContentVersion fields Crmkit_Author__c, Crmkit_Created_At__c, Crmkit_Idempotency_Key__c and "
          + "Crmkit_Text__c) or Note (classic notes: no author or idempotency key; a time only with auditFields=true).")
      .docLink("https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_contentnote.htm")
      .build();
  private static final SettingDescriptor CURRENCY_SETTING = SettingDescriptor.builder(CURRENCY, SettingType.STRING)
      .defaultValue("USD").description("ISO 4217 code of the org's currency, for Total_Revenue__c.").build();
  private static final SettingDescriptor DAILY_API_RESERVE_SETTING = SettingDescriptor
      .builder(DAILY_API_RESERVE_PERCENT, SettingType.POSITIVE_INTEGER).defaultValue("10")
      .description("Percent (1 to 99) of the org's daily API limit left for other clients: once Sforce-Limit-Info "
          + "reports usage at the limit minus this share, calls fail with RateLimitedException before Salesforce "
          + "refuses the whole org.")
      .docLink("https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/headers_api_usage.htm").build();
  private static final SettingDescriptor MAX_CONCURRENT_LONG_REQUESTS_SETTING = SettingDescriptor
      .builder(MAX_CONCURRENT_LONG_REQUESTS, SettingType.POSITIVE_INTEGER).defaultValue(Integer.toString(LongRequests.DEFAULT_MAX))
      .description("Most SOQL query pages and Bulk API calls in flight at once for the org, 1 to 25 (Salesforce allows "
          + "25 long-running requests per production org, 5 per Developer Edition or trial org, shared by every client); "
          + "a call waits up to 30 s for a slot, then fails with RateLimitedException.")
      .docLink("https://developer.salesforce.com/docs/platform/salesforce-app-limits-cheatsheet/guide/salesforce-app-limits-platform-api.html")
      .build();
  private static final SettingDescriptor BULK_API_THRESHOLD_SETTING = SettingDescriptor
      .builder(BULK_API_THRESHOLD, SettingType.POSITIVE_INTEGER).defaultValue("2000")
      .description("bulkWrite of more writes than this goes through Bulk API 2.0 ingest jobs (CSV upload, polling, "
          + "per-record results) instead of sObject Collections (200 records a call); Salesforce suggests the Bulk "
          + "API above 2,000 records.")
      .docLink("https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/bulk_api_2_0.htm").build();
  private static final SettingDescriptor CUSTOM_FIELD_SETTING = SettingDescriptor.builder(CUSTOM_FIELD_PREFIX, SettingType.STRING)
      .prefix().description("The field API name holding the custom field named by the rest of the key, such as "
          + "customField.loyaltyId=Loyalty_Id__c. Checked against describe.").build();

  private static final SettingDescriptor LANGUAGE_FIELD_SETTING = SettingDescriptor.builder(LANGUAGE_FIELD, SettingType.STRING)
      .description("API name of a text field (64 characters or more) on the customer object holding the language, "
          + "such as Preferred_Language__c. Contacts and Leads have no standard one: without this setting a "
          + "language is rejected. Checked against describe.").build();
  private static final SettingDescriptor LAST_CONTACT_AT_FIELD_SETTING = SettingDescriptor
      .builder(LAST_CONTACT_AT_FIELD, SettingType.STRING)
      .description("API name of a Date/Time field on the customer object holding the last contact time, such as "
          + "Last_Contact_At__c. Without this setting a last contact time is rejected. Checked against describe.").build();
  private static final SettingDescriptor AUDIT_FIELDS_SETTING = SettingDescriptor.builder(AUDIT_FIELDS, SettingType.BOOLEAN)
      .defaultValue("false").description("true when the org lets the API user set audit fields on create (Set Audit "
          + "Fields upon Record Creation): a draft's createdAt is written to CreatedDate. Otherwise a createdAt is "
          + "rejected, since CreatedDate is read-only.")
      .docLink("https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/system_fields.htm").build();

  private static final SettingDescriptor DEAL_CUSTOM_FIELD_SETTING = SettingDescriptor
      .builder(DEAL_CUSTOM_FIELD_PREFIX, SettingType.STRING).prefix()
      .description("The Opportunity text field holding the deal custom field named by the rest of the key, such as "
          + "dealCustomField.source=Deal_Source__c; checked against describe; a deal custom field without one is rejected.")
      .docLink("https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_opportunity.htm")
      .build();
  private static final SettingDescriptor DEAL_IDEMPOTENCY_KEY_FIELD_SETTING = SettingDescriptor
      .builder(DEAL_IDEMPOTENCY_KEY_FIELD, SettingType.STRING).defaultValue("Crmkit_Idempotency_Key__c")
      .description("The Opportunity field holding a deal's idempotency key: a text field (255) marked unique and "
          + "external id, which the org must have.").build();
  private static final SettingDescriptor DEAL_CONTACT_ROLE_SETTING = SettingDescriptor
      .builder(DEAL_CONTACT_ROLE, SettingType.STRING)
      .description("The Role (a value of OpportunityContactRole.Role, such as Decision Maker) of the primary contact "
          + "role linking a new deal to its customer; none by default.")
      .docLink("https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_opportunitycontactrole.htm")
      .build();

  /**
   * What this provider is: a {@link ProviderCategory#CRM} with the features it implements (search, delete to
   * the recycle bin, custom fields, batch upsert, notes, activities with idempotency keys, deals as Opportunities,
   * change feed, restore and merge through the partner SOAP API),
   * authenticated by OAuth 2.0 (scopes {@code api refresh_token}) or a current access token, and every setting
   * and credential it reads.
   */
  public static final ProviderDescriptor DESCRIPTOR = ProviderDescriptor.builder(NAME, "Salesforce", ProviderCategory.CRM)
      .features(Capability.SEARCH, Capability.DELETE, Capability.CUSTOM_FIELDS, Capability.BATCH_UPSERT,
          Capability.NOTES, Capability.ACTIVITIES, Capability.IDEMPOTENT_ACTIVITIES, Capability.DEALS,
          Capability.CHANGE_FEED, Capability.RESTORE, Capability.MERGE)
      .auth(AuthKind.apiToken(ACCESS_TOKEN),
          AuthKind.oauth2(PRODUCTION_LOGIN + "/services/oauth2/authorize", PRODUCTION_LOGIN + "/services/oauth2/token",
              SalesforceOAuth.DEFAULT_SCOPES))
      .setting(ACCESS_TOKEN_SETTING, CLIENT_ID_SETTING, CLIENT_SECRET_SETTING, REFRESH_TOKEN_SETTING, PRIVATE_KEY_SETTING,
          USERNAME_SETTING, ORGANIZATION_ID_SETTING, OUTBOUND_IP_RANGES_SETTING,
          INSTANCE_URL_SETTING, LOGIN_URL_SETTING, SANDBOX_SETTING, API_VERSION_SETTING, CUSTOMER_OBJECT_SETTING,
          NOTE_OBJECT_SETTING, CURRENCY_SETTING, DAILY_API_RESERVE_SETTING, MAX_CONCURRENT_LONG_REQUESTS_SETTING, BULK_API_THRESHOLD_SETTING,
          CUSTOM_FIELD_SETTING, DEAL_CUSTOM_FIELD_SETTING, DEAL_IDEMPOTENCY_KEY_FIELD_SETTING, DEAL_CONTACT_ROLE_SETTING,
          LANGUAGE_FIELD_SETTING, LAST_CONTACT_AT_FIELD_SETTING, AUDIT_FIELDS_SETTING)
      .build();

  private static final WebhookRouter ROUTER = new OrgRouter();

  private final Map<String, ApiUsage> orgs = new ConcurrentHashMap<>();
  private final Map<String, LongRequests> longRequests = new ConcurrentHashMap<>();
  private final Map<String, OrgLocks> locks = new ConcurrentHashMap<>();

  @Override
  public String name() {
    return NAME;
  }

  /** {@link #DESCRIPTOR}. */
  @Override
  public ProviderDescriptor descriptor() {
    return DESCRIPTOR;
  }

  /**
   * @throws ConfigurationException naming a missing or malformed setting, credential or resource
   */
  @Override
  public CustomerSystem create(ProviderContext context) {
    TenantConfig config = context.config();
    String where = "tenant '" + config.tenantId() + "', provider 'salesforce': ";
    String instanceUrl = INSTANCE_URL_SETTING.value(config);
    if (instanceUrl == null || instanceUrl.isBlank()) {
      throw new ConfigurationException(where + "needs setting '" + INSTANCE_URL + "'");
    }
    instanceUrl = instanceUrl.strip().replaceAll("/+$", "");
    String version = API_VERSION_SETTING.value(config).strip();
    if (!version.matches("v\\d{2,3}\\.0")) {
      throw new ConfigurationException(where + "setting '" + API_VERSION + "' must look like v59.0: '" + version + "'");
    }
    String object = CUSTOMER_OBJECT_SETTING.value(config).strip();
    if (!object.equals("Contact") && !object.equals("Lead")) {
      throw new ConfigurationException(where + "setting '" + CUSTOMER_OBJECT + "' must be Contact or Lead: '" + object + "'");
    }
    String noteObject = NOTE_OBJECT_SETTING.value(config).strip();
    if (!noteObject.equals("ContentNote") && !noteObject.equals("Note")) {
      throw new ConfigurationException(where + "setting '" + NOTE_OBJECT + "' must be ContentNote or Note: '" + noteObject + "'");
    }
    int reserve = DAILY_API_RESERVE_SETTING.intValue(config);
    if (reserve > 99) {
      throw new ConfigurationException(where + "setting '" + DAILY_API_RESERVE_PERCENT + "' must be 1 to 99: " + reserve);
    }
    int maxLong = MAX_CONCURRENT_LONG_REQUESTS_SETTING.intValue(config);
    if (maxLong > 25) {
      throw new ConfigurationException(where + "setting '" + MAX_CONCURRENT_LONG_REQUESTS + "' must be 1 to 25: " + maxLong);
    }
    String currency = CURRENCY_SETTING.value(config).strip();
    try {
      java.util.Currency.getInstance(currency);
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(where + "setting '" + CURRENCY + "' is not an ISO 4217 code: '" + currency + "'", e);
    }
    Map<String, String> customFields = CUSTOM_FIELD_SETTING.prefixedValues(config);
    customFields.forEach((name, api) -> {
      if (!api.strip().matches("[A-Za-z][A-Za-z0-9_]*")) {
        throw new ConfigurationException(where + "setting '" + CUSTOM_FIELD_PREFIX + name + "' is not a field API name: '"
            + api + "'");
      }
    });
    OkHttpClient client = context.resource(OkHttpClient.class).orElse(null);
    ApiUsage usage = orgs.computeIfAbsent(instanceUrl, k -> new ApiUsage(context.clock(), reserve));
    AccessTokenProvider tokens = tokens(context, client, where);
    HttpConnector.Builder connector = HttpConnector.builder()
        .vendor(NAME)
        .baseUrl(instanceUrl)
        .clock(context.clock())
        .auth(tokens)
        .errorParser(new SalesforceErrors());
    context.resource(Sleeper.class).ifPresent(connector::sleeper);
    context.resource(RetryPolicy.class).ifPresent(connector::retryPolicy);
    if (client != null) {
      connector.okHttpClient(client);
    }
    LongRequests slots = longRequests.computeIfAbsent(instanceUrl, k -> new LongRequests(maxLong, LongRequests.DEFAULT_WAIT));
    SalesforceApi api = new SalesforceApi(connector.build(), version, usage, slots);
    Map<String, String> trimmed = new java.util.TreeMap<>();
    customFields.forEach((k, v) -> trimmed.put(k, v.strip()));
    ContactMapping mapping = new ContactMapping(object, trimmed, context.phoneNumbers(), currency,
        fieldName(LANGUAGE_FIELD_SETTING, config, where), fieldName(LAST_CONTACT_AT_FIELD_SETTING, config, where),
        AUDIT_FIELDS_SETTING.booleanValue(config));
    OrgLocks locks = this.locks.computeIfAbsent(instanceUrl, k -> new OrgLocks());
    ContactReader reader = new ContactReader(config.tenantId(), api, mapping);
    return new SalesforceCustomerSystem(reader, locks, context.clock(),
        opportunities(config, where, api, object, context.clock(), currency),
        new ContactChangeFeed(reader, context.clock(), ContactChangeFeed.DEFAULT_OVERLAP),
        context.resource(Sleeper.class).orElse(Sleeper.system()), BULK_API_THRESHOLD_SETTING.intValue(config),
        noteObject.equals("Note"), new SoapCalls(api, tokens));
  }

  /** The field API name a setting gives, or {@code null} when it is not set. */
  private static String fieldName(SettingDescriptor setting, TenantConfig config, String where) {
    String value = setting.value(config);
    if (value == null || value.isBlank()) {
      return null;
    }
    if (!value.strip().matches("[A-Za-z][A-Za-z0-9_]*")) {
      throw new ConfigurationException(where + "setting '" + setting.key() + "' is not a field API name: '" + value + "'");
    }
    return value.strip();
  }

  private static Opportunities opportunities(TenantConfig config, String where, SalesforceApi api, String object,
      java.time.Clock clock, String currency) {
    Map<String, String> fields = new java.util.TreeMap<>();
    DEAL_CUSTOM_FIELD_SETTING.prefixedValues(config).forEach((name, field) -> {
      if (!field.strip().matches("[A-Za-z][A-Za-z0-9_]*")) {
        throw new ConfigurationException(where + "setting '" + DEAL_CUSTOM_FIELD_PREFIX + name
            + "' is not a field API name: '" + field + "'");
      }
      fields.put(name, field.strip());
    });
    String key = DEAL_IDEMPOTENCY_KEY_FIELD_SETTING.value(config).strip();
    if (!key.matches("[A-Za-z][A-Za-z0-9_]*")) {
      throw new ConfigurationException(where + "setting '" + DEAL_IDEMPOTENCY_KEY_FIELD + "' is not a field API name: '"
          + key + "'");
    }
    String role = DEAL_CONTACT_ROLE_SETTING.value(config);
    return new Opportunities(api, object, clock, java.util.Currency.getInstance(currency), key,
        role == null || role.isBlank() ? null : role.strip(), fields);
  }

  /**
   * The web-server flow for a tenant: a {@link SalesforceOAuth} builder holding its {@value #CLIENT_ID},
   * credential {@value #CLIENT_SECRET} (when given) and login host ({@value #LOGIN_URL}, else by {@value
   * #SANDBOX}); add the redirect URI (and the host's OkHttp client, if any) and build.
   *
   * @param config the tenant's configuration; not {@code null}
   * @return the builder
   * @throws ConfigurationException naming {@value #CLIENT_ID} when missing, or a malformed login URL
   */
  public static SalesforceOAuth.Builder oauth(TenantConfig config) {
    java.util.Objects.requireNonNull(config, "config");
    String where = "tenant '" + config.tenantId() + "', provider 'salesforce': ";
    String id = CLIENT_ID_SETTING.value(config);
    if (id == null || id.isBlank()) {
      throw new ConfigurationException(where + "OAuth needs '" + CLIENT_ID + "'");
    }
    try {
      SalesforceOAuth.Builder b = SalesforceOAuth.builder().clientId(id).loginUrl(loginUrl(config));
      String secret = config.credentials().get(CLIENT_SECRET);
      if (secret != null && !secret.isBlank()) {
        b.clientSecret(secret);
      }
      return b;
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(where + e.getMessage(), e);
    }
  }

  /**
   * An outbound-message handler for a tenant: a {@link SalesforceOutboundMessageHandler} builder holding its
   * {@value #ORGANIZATION_ID}, {@value #OUTBOUND_IP_RANGES} and the field API names of its {@value
   * #CUSTOM_FIELD_PREFIX} settings (carried into the events); add an inbox and build.
   *
   * @param config the tenant's configuration; not {@code null}
   * @return the builder
   * @throws ConfigurationException naming {@value #ORGANIZATION_ID} when missing or malformed, or {@value
   *     #OUTBOUND_IP_RANGES} when a range is malformed
   */
  public static SalesforceOutboundMessageHandler.Builder outboundMessageHandler(TenantConfig config) {
    java.util.Objects.requireNonNull(config, "config");
    String where = "tenant '" + config.tenantId() + "', provider 'salesforce': ";
    String org = ORGANIZATION_ID_SETTING.value(config);
    if (org == null || org.isBlank()) {
      throw new ConfigurationException(where + "outbound messages need setting '" + ORGANIZATION_ID + "'");
    }
    SalesforceOutboundMessageHandler.Builder b = SalesforceOutboundMessageHandler.builder();
    try {
      b.organizationId(org);
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(where + "setting '" + ORGANIZATION_ID + "': " + e.getMessage(), e);
    }
    String ranges = OUTBOUND_IP_RANGES_SETTING.value(config);
    if (ranges != null && !ranges.isBlank()) {
      try {
        b.ipRanges(java.util.Arrays.stream(ranges.split(",")).map(String::strip).filter(r -> !r.isEmpty()).toList());
      } catch (IllegalArgumentException e) {
        throw new ConfigurationException(where + "setting '" + OUTBOUND_IP_RANGES + "': " + e.getMessage(), e);
      }
    }
    try {
      b.customerFields(java.util.Set.copyOf(CUSTOM_FIELD_SETTING.prefixedValues(config).values().stream()
          .map(String::strip).toList()));
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(where + e.getMessage(), e);
    }
    return b;
  }

  private static String loginUrl(TenantConfig config) {
    String login = LOGIN_URL_SETTING.value(config);
    if (login == null || login.isBlank()) {
      login = SANDBOX_SETTING.booleanValue(config) ? SANDBOX_LOGIN : PRODUCTION_LOGIN;
    }
    return login.strip().replaceAll("/+$", "");
  }

  private static AccessTokenProvider jwtBearer(ProviderContext context, OkHttpClient client, String where) {
    TenantConfig config = context.config();
    try {
      String id = CLIENT_ID_SETTING.value(config);
      String user = USERNAME_SETTING.value(config);
      if (id == null || id.isBlank() || user == null || user.isBlank()) {
        throw new ConfigurationException(where + "the JWT bearer flow needs '" + CLIENT_ID + "' and '" + USERNAME + "'");
      }
      SalesforceJwtBearer.Builder b = SalesforceJwtBearer.builder().clientId(id).username(user)
          .loginUrl(loginUrl(config)).privateKeyPem(config.credentials().get(PRIVATE_KEY)).clock(context.clock());
      if (client != null) {
        b.okHttpClient(client);
      }
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(where + e.getMessage(), e);
    }
  }

  private static AccessTokenProvider tokens(ProviderContext context, OkHttpClient client, String where) {
    TenantConfig config = context.config();
    String key = config.credentials().get(PRIVATE_KEY);
    if (key != null && !key.isBlank()) {
      return jwtBearer(context, client, where);
    }
    String refresh = config.credentials().get(REFRESH_TOKEN);
    String access = config.credentials().get(ACCESS_TOKEN);
    if (refresh == null || refresh.isBlank()) {
      if (access == null || access.isBlank()) {
        throw new ConfigurationException(where + "needs credential '" + ACCESS_TOKEN + "', or '" + CLIENT_ID + "', '"
            + CLIENT_SECRET + "' and '" + REFRESH_TOKEN + "', or '" + PRIVATE_KEY + "' with '" + CLIENT_ID + "' and '"
            + USERNAME + "'; given credentials: " + config.credentials().keySet());
      }
      return StaticToken.of(access);
    }
    SalesforceTokenStore salesforceStore = context.resource(SalesforceTokenStore.class).orElse(null);
    CredentialListener listener = context.resource(CredentialListener.class).orElse(null);
    if (salesforceStore == null && listener == null) {
      throw new ConfigurationException(where + "OAuth credentials need a " + SalesforceTokenStore.class.getName()
          + " or a " + CredentialListener.class.getName() + " resource");
    }
    String id = CLIENT_ID_SETTING.value(config);
    String secret = config.credentials().get(CLIENT_SECRET);
    if (id == null || id.isBlank() || secret == null || secret.isBlank()) {
      throw new ConfigurationException(where + "OAuth needs '" + CLIENT_ID + "' and credential '" + CLIENT_SECRET + "'");
    }
    String login = loginUrl(config);
    // Salesforce's token response has no expires_in: a token is used until a 401 makes crm-http refresh it.
    OAuth2Token initial = access == null || access.isBlank()
        ? new OAuth2Token("none", refresh, Instant.EPOCH, null)
        : new OAuth2Token(access, refresh, null, null);
    String tenant = config.tenantId();
    TokenStore store = salesforceStore != null ? t -> salesforceStore.save(tenant, t)
        : TokenStore.forwardingTo(listener, config);
    try {
      OAuth2Tokens.Builder b = OAuth2Tokens.builder()
          .vendor(NAME)
          .authorizationUrl(login + "/services/oauth2/authorize")
          .tokenUrl(login + "/services/oauth2/token")
          .clientId(id)
          .clientSecret(secret)
          .scopes(List.of("api", "refresh_token"))
          .clock(context.clock())
          .tokens(initial)
          .tokenStore(store);
      if (client != null) {
        b.okHttpClient(client);
      }
      return b.build();
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new ConfigurationException(where + e.getMessage(), e);
    }
  }

  /**
   * Routes outbound messages by the {@code OrganizationId} they carry (read with the hardened parser: no
   * DOCTYPE, no entities); an integration's account id is its 18-character org id. Each integration's
   * messages are checked by {@link #outboundMessageHandler(TenantConfig)}: its {@value #ORGANIZATION_ID}
   * (its account id when the setting is not set, as after an OAuth connect) again, and its {@value
   * #OUTBOUND_IP_RANGES} when set. Salesforce delivers every message not
   * acknowledged again, for up to 24 hours, so refusals are SOAP faults whose status says why: 404
   * (unknown org), 403 (wrong org or sender), 400 (malformed), 413 (over {@link
   * SalesforceOutboundMessageHandler#DEFAULT_MAX_BODY_BYTES} bytes), 500 (events not stored).
   *
   * @return the router
   * @see <a href="https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_om_outboundmessaging_security.htm">Salesforce: outbound messaging security</a>
   */
  @Override
  public Optional<WebhookRouter> webhooks() {
    return Optional.of(ROUTER);
  }

  /**
   * The web-server flow with PKCE (S256) as an {@link OAuthConnector}: the consent URL on the login host
   * ({@value #LOGIN_URL}, else by {@value #SANDBOX}) with {@value #CLIENT_ID}, scopes {@code api refresh_token
   * offline_access}, state and code challenge; the exchange at {@code POST /services/oauth2/token} with
   * credential {@value #CLIENT_SECRET} (required: the session is refreshed with it) and the verifier. The grant
   * holds credentials {@value #ACCESS_TOKEN} and {@value #REFRESH_TOKEN}, setting {@value #INSTANCE_URL} (the
   * token response's {@code instance_url}), and the org id of the identity URL as the account id.
   */
  @Override
  public Optional<OAuthConnector> oauth() {
    return Optional.of(CONNECTOR);
  }

  private static final OAuthConnector CONNECTOR = new OAuthConnect();

  @Override
  public String toString() {
    return "SalesforceCustomerSystemProvider[" + orgs.size() + " org(s)]";
  }
}
