package dev.crmkit.hubspot;

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
import dev.crmkit.http.RateLimitHeaders;
import dev.crmkit.http.RateLimitWindow;
import dev.crmkit.http.RateLimiter;
import dev.crmkit.http.RetryPolicy;
import dev.crmkit.http.Sleeper;
import dev.crmkit.http.StaticToken;
import dev.crmkit.http.TokenStore;
import dev.crmkit.hubspot.internal.PortalRouter;
import dev.crmkit.hubspot.internal.AccountState;
import dev.crmkit.hubspot.internal.HubSpotApi;
import dev.crmkit.hubspot.internal.HubSpotErrors;
import dev.crmkit.hubspot.internal.OAuthConnect;
import dev.crmkit.provider.AuthKind;
import dev.crmkit.provider.CredentialListener;
import dev.crmkit.provider.OAuthConnector;
import dev.crmkit.provider.ProviderCategory;
import dev.crmkit.provider.ProviderDescriptor;
import dev.crmkit.provider.SettingDescriptor;
import dev.crmkit.provider.SettingType;
import dev.crmkit.webhook.WebhookRouter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.OkHttpClient;

/**
 * Makes {@link HubSpotCustomerSystem}s: provider name {@value #NAME}, found by
 * {@link java.util.ServiceLoader}. Thread-safe. Systems of one HubSpot account (the same base URL and
 * credential) share one credential, one proactive {@link RateLimiter} and one set of write locks, held
 * in a registry owned by this provider instance for its lifetime. They are built from the settings of
 * the account's first tenant: a later tenant of the same account with other limit settings
 * ({@value #TEN_SECONDLY_LIMIT}, {@value #SEARCH_PER_SECOND_LIMIT}, {@value #DAILY_LIMIT},
 * {@value #DAILY_LIMIT_ZONE}, {@value #PROACTIVE_RATE_LIMITING}) shares the first one's limiter.
 *
 * <h2>Credentials (one of)</h2>
 * <ul>
 *   <li>{@value #ACCESS_TOKEN}: a private app's access token.
 *   <li>OAuth: {@value #CLIENT_ID}, {@value #CLIENT_SECRET} and {@value #REFRESH_TOKEN} (optionally a
 *       current {@value #ACCESS_TOKEN}); the host must register a {@link HubSpotTokenStore} resource (or a
 *       {@link CredentialListener}, which gets credentials {@value #ACCESS_TOKEN} and {@value #REFRESH_TOKEN}), which
 *       receives every refreshed token set. Tokens come from {@code POST /oauth/v1/token} under the base URL,
 *       refreshed before expiry and after a 401, one refresh at a time per account.
 * </ul>
 *
 * <h2>Settings</h2>
 * Every setting and credential, with its type, default, meaning and HubSpot's page about it, is in
 * {@link #DESCRIPTOR}; {@link dev.crmkit.IntegrationFactory} checks a tenant's config against it
 * before this provider builds a system, and the README's table is kept equal to it by a test.
 *
 * <p>Resources it uses when the host registered them: an {@code okhttp3.OkHttpClient} (its pools are
 * shared), a {@link Sleeper} and a {@link RetryPolicy}.
 *
 * @see <a href="https://developers.hubspot.com/docs/api/usage-details">HubSpot: API usage limits</a>
 * @see <a href="https://developers.hubspot.com/docs/api/oauth-quickstart-guide">HubSpot: OAuth</a>
 */
public final class HubSpotCustomerSystemProvider implements CustomerSystemProvider {
  /** The provider name. */
  public static final String NAME = "hubspot";
  /** Credential: a private app's access token, or a current OAuth access token. */
  public static final String ACCESS_TOKEN = "accessToken";
  /** Credential (or setting): the OAuth app's client id. */
  public static final String CLIENT_ID = "clientId";
  /** Credential: the OAuth app's client secret. */
  public static final String CLIENT_SECRET = "clientSecret";
  /** Credential: the account's OAuth refresh token. */
  public static final String REFRESH_TOKEN = "refreshToken";
  /** Setting: the API root. */
  public static final String BASE_URL = "baseUrl";
  /** Default of {@value #BASE_URL}. */
  public static final String DEFAULT_BASE_URL = "https://api.hubapi.com";
  /** Setting: requests per rolling ten seconds. */
  public static final String TEN_SECONDLY_LIMIT = "tenSecondlyLimit";
  /** Setting: search requests per rolling second. */
  public static final String SEARCH_PER_SECOND_LIMIT = "searchPerSecondLimit";
  /** Setting: requests per day. */
  public static final String DAILY_LIMIT = "dailyLimit";
  /** Setting: zone of the daily reset. */
  public static final String DAILY_LIMIT_ZONE = "dailyLimitZone";
  /** Setting: {@code true} or {@code false}. */
  public static final String PROACTIVE_RATE_LIMITING = "proactiveRateLimiting";
  /** Setting: change feed overlap in seconds. */
  public static final String CHANGE_FEED_OVERLAP_SECONDS = "changeFeedOverlapSeconds";
  /** Default of {@value #CHANGE_FEED_OVERLAP_SECONDS}. */
  public static final int DEFAULT_CHANGE_FEED_OVERLAP_SECONDS = 30;
  /** Setting: the result cap of one search query. */
  public static final String SEARCH_RESULT_CAP = "searchResultCap";
  /** Setting: how many batch calls {@code bulkWrite} keeps in flight at once. */
  public static final String WRITE_CONCURRENCY = "writeConcurrency";
  /** The default of {@value #WRITE_CONCURRENCY}. */
  public static final int DEFAULT_WRITE_CONCURRENCY = 4;
  /** Prefix of the settings mapping custom fields to contact properties. */
  public static final String CUSTOM_FIELD_PREFIX = "customField.";
  /** Setting prefix: {@code dealCustomField.<name>} names the deal property holding a deal's custom field. */
  public static final String DEAL_CUSTOM_FIELD_PREFIX = "dealCustomField.";
  /** Setting: the account's company currency, for deal amounts HubSpot returns without a currency code. */
  public static final String DEAL_CURRENCY = "dealCurrency";

  private static final String USAGE_LIMITS = "https://developers.hubspot.com/docs/api/usage-details";
  private static final String OAUTH = "https://developers.hubspot.com/docs/api/oauth-quickstart-guide";

  private static final SettingDescriptor ACCESS_TOKEN_SETTING = SettingDescriptor.builder(ACCESS_TOKEN, SettingType.STRING)
      .secret()
      .description("A private app's access token (HubSpot: Settings, Integrations, Private apps), or a current OAuth "
          + "access token. Either this or the OAuth credentials.")
      .docLink("https://developers.hubspot.com/docs/api/private-apps")
      .build();
  private static final SettingDescriptor CLIENT_ID_SETTING = SettingDescriptor.builder(CLIENT_ID, SettingType.STRING)
      .description("OAuth: the app's client id, with clientSecret and refreshToken; a credential or a setting.")
      .docLink(OAUTH)
      .build();
  private static final SettingDescriptor CLIENT_SECRET_SETTING = SettingDescriptor
      .builder(CLIENT_SECRET, SettingType.STRING).secret()
      .description("OAuth: the app's client secret.")
      .docLink(OAUTH)
      .build();
  private static final SettingDescriptor REFRESH_TOKEN_SETTING = SettingDescriptor
      .builder(REFRESH_TOKEN, SettingType.STRING).secret()
      .description("OAuth: the account's refresh token from the install. Needs a HubSpotTokenStore resource, which "
          + "receives every refreshed token set.")
      .docLink(OAUTH)
      .build();
  private static final SettingDescriptor BASE_URL_SETTING = SettingDescriptor.builder(BASE_URL, SettingType.HTTP_URL)
      .defaultValue(DEFAULT_BASE_URL)
      .description("API root (the emulator's URL in tests); OAuth tokens come from POST /oauth/v1/token under it.")
      .build();
  private static final SettingDescriptor TEN_SECONDLY_LIMIT_SETTING = SettingDescriptor
      .builder(TEN_SECONDLY_LIMIT, SettingType.POSITIVE_INTEGER).defaultValue("100")
      .description("Requests per rolling 10 seconds, search excepted. HubSpot grants private apps 100 on Free and "
          + "Starter and 190 on Professional and Enterprise (200 with the API limit increase); OAuth apps 100 per account.")
      .docLink(USAGE_LIMITS)
      .build();
  private static final SettingDescriptor SEARCH_PER_SECOND_LIMIT_SETTING = SettingDescriptor
      .builder(SEARCH_PER_SECOND_LIMIT, SettingType.POSITIVE_INTEGER).defaultValue("5")
      .description("Search requests per rolling second.")
      .docLink(USAGE_LIMITS)
      .build();
  private static final SettingDescriptor DAILY_LIMIT_SETTING = SettingDescriptor
      .builder(DAILY_LIMIT, SettingType.POSITIVE_INTEGER).defaultValue("250000")
      .description("Requests per day: 250,000 on Free and Starter, 625,000 on Professional, 1,000,000 on Enterprise.")
      .docLink(USAGE_LIMITS)
      .build();
  private static final SettingDescriptor DAILY_LIMIT_ZONE_SETTING = SettingDescriptor
      .builder(DAILY_LIMIT_ZONE, SettingType.TIME_ZONE).defaultValue("UTC")
      .description("Time zone of the daily limit's midnight reset: the account's.")
      .docLink(USAGE_LIMITS)
      .build();
  private static final SettingDescriptor PROACTIVE_RATE_LIMITING_SETTING = SettingDescriptor
      .builder(PROACTIVE_RATE_LIMITING, SettingType.BOOLEAN).defaultValue("true")
      .description("false switches the proactive rate limiter off, only for tests on a frozen clock; 429s are "
          + "retried either way.")
      .build();
  private static final SettingDescriptor WRITE_CONCURRENCY_SETTING = SettingDescriptor
      .builder(WRITE_CONCURRENCY, SettingType.POSITIVE_INTEGER).defaultValue(String.valueOf(DEFAULT_WRITE_CONCURRENCY))
      .description("Batch calls bulkWrite keeps in flight at once. HubSpot's batch calls take a few hundred "
          + "milliseconds, so one at a time cannot use a limit of 100 calls per 10 seconds; the rate limiter still "
          + "governs them all.")
      .build();
  private static final SettingDescriptor CHANGE_FEED_OVERLAP_SECONDS_SETTING = SettingDescriptor
      .builder(CHANGE_FEED_OVERLAP_SECONDS, SettingType.POSITIVE_INTEGER)
      .defaultValue(String.valueOf(DEFAULT_CHANGE_FEED_OVERLAP_SECONDS))
      .description("Seconds the change feed (changesSince) re-reads behind its cursor, covering HubSpot's search lag.")
      .docLink("https://developers.hubspot.com/docs/api/crm/search")
      .build();
  private static final SettingDescriptor SEARCH_RESULT_CAP_SETTING = SettingDescriptor
      .builder(SEARCH_RESULT_CAP, SettingType.POSITIVE_INTEGER).defaultValue("10000")
      .description("Results one search query can page through.")
      .docLink("https://developers.hubspot.com/docs/api/crm/search")
      .build();
  private static final SettingDescriptor CUSTOM_FIELD_SETTING = SettingDescriptor
      .builder(CUSTOM_FIELD_PREFIX, SettingType.STRING).prefix()
      .description("The contact property holding the custom field named by the rest of the key, such as "
          + "customField.loyaltyId=crmkit_loyalty_id.")
      .docLink("https://developers.hubspot.com/docs/api/crm/contacts")
      .build();

  private static final SettingDescriptor DEAL_CUSTOM_FIELD_SETTING = SettingDescriptor
      .builder(DEAL_CUSTOM_FIELD_PREFIX, SettingType.STRING).prefix()
      .description("The deal property holding the deal custom field named by the rest of the key, such as "
          + "dealCustomField.source=crmkit_source; a deal custom field without one is rejected.")
      .docLink("https://developers.hubspot.com/docs/api/crm/deals")
      .build();
  private static final SettingDescriptor DEAL_CURRENCY_SETTING = SettingDescriptor
      .builder(DEAL_CURRENCY, SettingType.STRING).defaultValue("USD")
      .description("The account's company currency (ISO 4217), for deal amounts without deal_currency_code.")
      .docLink("https://developers.hubspot.com/docs/api-reference/latest/account/settings/multicurrency/get-company-currency")
      .build();

  /**
   * What this provider is: a {@link ProviderCategory#CRM} with the features of
   * {@link HubSpotCustomerSystem#capabilities()}, authenticated by a private app's token or OAuth 2.0
   * (contacts and deals read and write scopes), and every setting and credential it reads.
   */
  public static final ProviderDescriptor DESCRIPTOR = ProviderDescriptor.builder(NAME, "HubSpot", ProviderCategory.CRM)
      .features(Capability.SEARCH, Capability.DELETE, Capability.MERGE, Capability.BATCH_UPSERT, Capability.NOTES,
          Capability.ACTIVITIES, Capability.IDEMPOTENT_ACTIVITIES, Capability.CHANGE_FEED, Capability.TAGS,
          Capability.CUSTOM_FIELDS, Capability.DEALS)
      .auth(AuthKind.apiToken(ACCESS_TOKEN),
          AuthKind.oauth2("https://app.hubspot.com/oauth/authorize", "https://api.hubapi.com/oauth/v1/token",
              List.of("crm.objects.contacts.read", "crm.objects.contacts.write", "crm.objects.deals.read",
                  "crm.objects.deals.write")))
      .setting(ACCESS_TOKEN_SETTING, CLIENT_ID_SETTING, CLIENT_SECRET_SETTING, REFRESH_TOKEN_SETTING, BASE_URL_SETTING,
          TEN_SECONDLY_LIMIT_SETTING, SEARCH_PER_SECOND_LIMIT_SETTING, DAILY_LIMIT_SETTING, DAILY_LIMIT_ZONE_SETTING,
          PROACTIVE_RATE_LIMITING_SETTING, WRITE_CONCURRENCY_SETTING, CHANGE_FEED_OVERLAP_SECONDS_SETTING,
          SEARCH_RESULT_CAP_SETTING, CUSTOM_FIELD_SETTING, DEAL_CUSTOM_FIELD_SETTING, DEAL_CURRENCY_SETTING)
      .build();

  private static final WebhookRouter ROUTER = new PortalRouter();

  private final Map<String, AccountState> accounts = new ConcurrentHashMap<>();

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
    String where = "tenant '" + config.tenantId() + "', provider 'hubspot': ";
    String baseUrl = BASE_URL_SETTING.value(config).strip();
    int burst = TEN_SECONDLY_LIMIT_SETTING.intValue(config);
    int search = SEARCH_PER_SECOND_LIMIT_SETTING.intValue(config);
    int daily = DAILY_LIMIT_SETTING.intValue(config);
    int overlap = CHANGE_FEED_OVERLAP_SECONDS_SETTING.intValue(config);
    int cap = SEARCH_RESULT_CAP_SETTING.intValue(config);
    int writeConcurrency = WRITE_CONCURRENCY_SETTING.intValue(config);
    ZoneId zone = ZoneId.of(DAILY_LIMIT_ZONE_SETTING.value(config).strip());
    boolean limiting = PROACTIVE_RATE_LIMITING_SETTING.booleanValue(config);

    HubSpotContactMapping mapping;
    try {
      HubSpotContactMapping.Builder b = HubSpotContactMapping.builder().phoneNumbers(context.phoneNumbers());
      CUSTOM_FIELD_SETTING.prefixedValues(config).forEach(b::customFieldProperty);
      mapping = b.build();
    } catch (ConfigurationException e) {
      throw new ConfigurationException(where + e.getMessage(), e);
    } catch (IllegalArgumentException | IllegalStateException | NullPointerException e) {
      // The mapping's builder says what is wrong with the value; the tenant's settings are where it came from.
      throw new ConfigurationException(where + "setting '" + CUSTOM_FIELD_PREFIX + "...': " + e.getMessage(), e);
    }

    java.util.Currency dealCurrency;
    try {
      dealCurrency = java.util.Currency.getInstance(DEAL_CURRENCY_SETTING.value(config).strip());
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(where + "setting '" + DEAL_CURRENCY + "' is not an ISO 4217 currency code: '"
          + DEAL_CURRENCY_SETTING.value(config) + "'", e);
    }
    Map<String, String> dealCustomFields = new java.util.TreeMap<>();
    DEAL_CUSTOM_FIELD_SETTING.prefixedValues(config).forEach((field, property) -> {
      if (!field.matches("[A-Za-z][A-Za-z0-9_.-]{0,63}") || property == null || !property.strip().matches("[a-z][a-z0-9_]{0,99}")) {
        throw new ConfigurationException(where + "setting '" + DEAL_CUSTOM_FIELD_PREFIX + field
            + "' must map a custom field name to a HubSpot property name (lower-case letters, digits, '_')");
      }
      dealCustomFields.put(field, property.strip());
    });

    OkHttpClient client = context.resource(OkHttpClient.class).orElse(null);
    String credential = credentialKey(config, where);
    AccountState account = accounts.computeIfAbsent(baseUrl + "|" + credential, k -> {
      RateLimiter limiter = limiting ? RateLimiter.of(context.clock(), List.of(
          RateLimitWindow.of("tenSecondly", burst, Duration.ofSeconds(10), Set.of(dev.crmkit.http.ApiRequest.DEFAULT_COST_CLASS)),
          RateLimitWindow.of("search", search, Duration.ofSeconds(1), Set.of(HubSpotApi.SEARCH)),
          RateLimitWindow.dailyResettingAt(daily, zone))) : null;
      return AccountState.of(tokens(context, baseUrl, client, where), limiter);
    });
    HttpConnector.Builder connector = HttpConnector.builder()
        .vendor(NAME)
        .baseUrl(baseUrl)
        .clock(context.clock())
        .auth(account.tokens())
        .errorParser(new HubSpotErrors())
        .rateLimitHeaders(RateLimitHeaders.remainingAndReset(
            "X-HubSpot-RateLimit-Remaining", "X-HubSpot-RateLimit-Interval-Milliseconds", Duration.ofMillis(1)));
    if (account.rateLimiter() != null) {
      connector.rateLimiter(account.rateLimiter());
    }
    context.resource(Sleeper.class).ifPresent(connector::sleeper);
    context.resource(RetryPolicy.class).ifPresent(connector::retryPolicy);
    if (client != null) {
      connector.okHttpClient(client);
    }
    return new HubSpotCustomerSystem(config.tenantId(), new HubSpotApi(connector.build()), mapping,
        context.phoneNumbers(), context.clock(), account, Duration.ofSeconds(overlap), cap, writeConcurrency,
        dealCurrency, dealCustomFields);
  }

  private static String credentialKey(TenantConfig config, String where) {
    String refresh = config.credentials().get(REFRESH_TOKEN);
    if (refresh != null && !refresh.isBlank()) {
      // The whole credential: a tenant with the right refresh token but a wrong client secret must
      // not borrow the tokens another tenant's correct secret obtained.
      String secret = config.credentials().getOrDefault(CLIENT_SECRET, "");
      return "oauth:" + sha256(lengthPrefixed(clientId(config, where), secret, refresh));
    }
    String token = config.credentials().get(ACCESS_TOKEN);
    if (token == null || token.isBlank()) {
      throw new ConfigurationException(where + "needs credential '" + ACCESS_TOKEN + "' (a private app token) or '"
          + CLIENT_ID + "', '" + CLIENT_SECRET + "' and '" + REFRESH_TOKEN + "' (OAuth); given credentials: "
          + config.credentials().keySet());
    }
    return "token:" + sha256(token);
  }

  private static String clientId(TenantConfig config, String where) {
    String id = CLIENT_ID_SETTING.value(config);
    if (id == null || id.isBlank()) {
      throw new ConfigurationException(where + "OAuth needs '" + CLIENT_ID + "' with '" + REFRESH_TOKEN + "'");
    }
    return id;
  }

  private static AccessTokenProvider tokens(ProviderContext context, String baseUrl, OkHttpClient client, String where) {
    TenantConfig config = context.config();
    String refresh = config.credentials().get(REFRESH_TOKEN);
    if (refresh == null || refresh.isBlank()) {
      return StaticToken.of(config.credentials().get(ACCESS_TOKEN));
    }
    HubSpotTokenStore hubSpotStore = context.resource(HubSpotTokenStore.class).orElse(null);
    CredentialListener listener = context.resource(CredentialListener.class).orElse(null);
    if (hubSpotStore == null && listener == null) {
      throw new ConfigurationException(where + "OAuth credentials need a " + HubSpotTokenStore.class.getName() + " or a "
          + CredentialListener.class.getName() + " resource: register one with "
          + "IntegrationFactory.builder().resource(HubSpotTokenStore.class, ...)");
    }
    String secret = config.credentials().get(CLIENT_SECRET);
    if (secret == null || secret.isBlank()) {
      throw new ConfigurationException(where + "OAuth needs credential '" + CLIENT_SECRET + "'");
    }
    String access = config.credentials().get(ACCESS_TOKEN);
    // Without a current access token, one that expired long ago makes the first call refresh.
    OAuth2Token initial = access == null || access.isBlank()
        ? new OAuth2Token("none", refresh, Instant.EPOCH, null)
        : new OAuth2Token(access, refresh, null, null);
    String tenant = config.tenantId();
    TokenStore store = hubSpotStore != null ? t -> hubSpotStore.save(tenant, t) : TokenStore.forwardingTo(listener, config);
    try {
      OAuth2Tokens.Builder b = OAuth2Tokens.builder()
          .vendor(NAME)
          .tokenUrl(baseUrl.replaceAll("/+$", "") + "/oauth/v1/token")
          .clientId(clientId(config, where))
          .clientSecret(secret)
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

  /** Joins parts so that no two different part lists give the same text. */
  private static String lengthPrefixed(String... parts) {
    StringBuilder sb = new StringBuilder();
    for (String p : parts) {
      sb.append(p.length()).append(':').append(p);
    }
    return sb.toString();
  }

  private static String sha256(String secret) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /**
   * Routes deliveries by the {@code portalId} their events name (all events of one delivery must name
   * the same portal); an integration's account id is its portal id in decimal. Each integration's
   * deliveries are verified by a {@link HubSpotWebhookHandler} accepting v3 signatures only, keyed by its
   * {@value #CLIENT_SECRET} credential (the client secret of the app whose webhooks they are). Refusals
   * are answered 404 (unknown portal), 401 (signature) and 400 (payload), which HubSpot does not retry;
   * 413 over {@link HubSpotWebhookHandler#DEFAULT_MAX_BODY_BYTES} bytes (HubSpot sends at most 100 events,
   * far less); 500 when the events could not be stored, so that HubSpot delivers them again.
   *
   * @return the router
   * @see <a href="https://developers.hubspot.com/docs/api/webhooks">HubSpot: webhooks API</a>
   */
  @Override
  public Optional<WebhookRouter> webhooks() {
    return Optional.of(ROUTER);
  }

  /**
   * HubSpot's app install: the consent URL with {@code client_id}, {@code scope} (the scopes of
   * {@link #DESCRIPTOR}'s OAuth 2.0 auth kind), {@code redirect_uri} and {@code state} (no PKCE: HubSpot
   * documents no {@code code_challenge}), on {@code https://app.hubspot.com/oauth/authorize} or, when
   * {@value #BASE_URL} is not HubSpot's, on {@code <baseUrl>/oauth/authorize} (the emulator); the code
   * exchange at {@code POST <baseUrl>/oauth/v1/token} with {@value #CLIENT_ID} and credential
   * {@value #CLIENT_SECRET}. The grant holds credentials {@value #ACCESS_TOKEN} and {@value #REFRESH_TOKEN},
   * and the hub id ({@code GET /oauth/v1/access-tokens/<token>}) as the account id.
   */
  @Override
  public Optional<OAuthConnector> oauth() {
    return Optional.of(CONNECTOR);
  }

  private static final OAuthConnector CONNECTOR = new OAuthConnect(CLIENT_ID_SETTING, CLIENT_SECRET_SETTING,
      BASE_URL_SETTING, DEFAULT_BASE_URL, DESCRIPTOR.authKinds().stream()
      .filter(AuthKind.OAuth2.class::isInstance).map(k -> ((AuthKind.OAuth2) k).scopes()).findFirst().orElseThrow());

  @Override
  public String toString() {
    return "HubSpotCustomerSystemProvider[" + accounts.size() + " account(s)]";
  }
}
