package dev.crmkit.hubspot;

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
import dev.crmkit.hubspot.internal.AccountState;
import dev.crmkit.hubspot.internal.HubSpotApi;
import dev.crmkit.hubspot.internal.HubSpotErrors;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
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
 *       current {@value #ACCESS_TOKEN}); the host must register a {@link HubSpotTokenStore} resource, which
 *       receives every refreshed token set. Tokens come from {@code POST /oauth/v1/token} under the base URL,
 *       refreshed before expiry and after a 401, one refresh at a time per account.
 * </ul>
 *
 * <h2>Settings</h2>
 * <table>
 *   <caption>Tenant settings the provider reads</caption>
 *   <tr><th>key</th><th>meaning</th><th>default</th></tr>
 *   <tr><td>{@value #BASE_URL}</td><td>API root</td><td>{@value #DEFAULT_BASE_URL}</td></tr>
 *   <tr><td>{@value #TEN_SECONDLY_LIMIT}</td><td>requests per rolling 10 seconds (search excepted). HubSpot
 *       grants private apps 100 on Free and Starter and 190 on Professional and Enterprise (200 with the API
 *       limit increase); OAuth apps 100 per account</td><td>100</td></tr>
 *   <tr><td>{@value #SEARCH_PER_SECOND_LIMIT}</td><td>search requests per rolling second</td><td>5</td></tr>
 *   <tr><td>{@value #DAILY_LIMIT}</td><td>requests per day (250,000 on Free/Starter, 625,000 Professional,
 *       1,000,000 Enterprise)</td><td>250000</td></tr>
 *   <tr><td>{@value #DAILY_LIMIT_ZONE}</td><td>time zone of the daily reset (the account's)</td><td>UTC</td></tr>
 *   <tr><td>{@value #PROACTIVE_RATE_LIMITING}</td><td>{@code false} switches the proactive limiter off (429s
 *       are still retried); for tests on a frozen clock</td><td>true</td></tr>
 *   <tr><td>{@value #CHANGE_FEED_OVERLAP_SECONDS}</td><td>how far the change feed re-reads behind its cursor,
 *       covering HubSpot's search lag</td><td>{@value #DEFAULT_CHANGE_FEED_OVERLAP_SECONDS}</td></tr>
 *   <tr><td>{@value #SEARCH_RESULT_CAP}</td><td>results one search query can page through</td><td>10000</td></tr>
 *   <tr><td>{@value #WRITE_CONCURRENCY}</td><td>batch calls {@code bulkWrite} keeps in flight at once; with
 *       HubSpot's batch calls taking a few hundred milliseconds, one at a time cannot use a limit of 100 calls per
 *       10 seconds, a few can; the rate limiter still governs them all</td><td>{@value #DEFAULT_WRITE_CONCURRENCY}</td></tr>
 *   <tr><td>{@code customField.<name>}</td><td>the contact property holding custom field {@code <name>},
 *       such as {@code customField.loyaltyId=crmkit_loyalty_id}</td><td>none</td></tr>
 *   <tr><td>{@code defaultRegion}</td><td>see {@link TenantConfig#DEFAULT_REGION}</td><td>US</td></tr>
 * </table>
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

  private static final Set<String> KNOWN_SETTINGS = Set.of(BASE_URL, TEN_SECONDLY_LIMIT, SEARCH_PER_SECOND_LIMIT,
      DAILY_LIMIT, DAILY_LIMIT_ZONE, PROACTIVE_RATE_LIMITING, CHANGE_FEED_OVERLAP_SECONDS, SEARCH_RESULT_CAP,
      TenantConfig.DEFAULT_REGION, CLIENT_ID, WRITE_CONCURRENCY);

  private final Map<String, AccountState> accounts = new ConcurrentHashMap<>();

  @Override
  public String name() {
    return NAME;
  }

  /** None: a tenant needs credentials ({@value #ACCESS_TOKEN}, or the OAuth ones), no setting. */
  @Override
  public List<String> requiredSettings() {
    return List.of();
  }

  /**
   * @throws ConfigurationException naming a missing or malformed setting, credential or resource
   */
  @Override
  public CustomerSystem create(ProviderContext context) {
    TenantConfig config = context.config();
    String where = "tenant '" + config.tenantId() + "', provider 'hubspot': ";
    List<String> unknown = new ArrayList<>();
    for (String key : config.settings().keySet()) {
      if (!KNOWN_SETTINGS.contains(key) && !key.startsWith(CUSTOM_FIELD_PREFIX)) {
        unknown.add(key);
      }
    }
    if (!unknown.isEmpty()) {
      throw new ConfigurationException(where + "unknown setting(s) " + unknown + "; known: " + KNOWN_SETTINGS
          + " and customField.<name>");
    }
    String baseUrl = config.settings().getOrDefault(BASE_URL, DEFAULT_BASE_URL);
    if (okhttp3.HttpUrl.parse(baseUrl) == null) {
      throw new ConfigurationException(where + "setting '" + BASE_URL + "' is not an http(s) URL: '" + baseUrl + "'");
    }
    int burst = positive(config, TEN_SECONDLY_LIMIT, 100, where);
    int search = positive(config, SEARCH_PER_SECOND_LIMIT, 5, where);
    int daily = positive(config, DAILY_LIMIT, 250_000, where);
    int overlap = positive(config, CHANGE_FEED_OVERLAP_SECONDS, DEFAULT_CHANGE_FEED_OVERLAP_SECONDS, where);
    int cap = positive(config, SEARCH_RESULT_CAP, 10_000, where);
    int writeConcurrency = positive(config, WRITE_CONCURRENCY, DEFAULT_WRITE_CONCURRENCY, where);
    ZoneId zone = zone(config, where);
    boolean limiting = bool(config, PROACTIVE_RATE_LIMITING, true, where);

    HubSpotContactMapping mapping;
    try {
      HubSpotContactMapping.Builder b = HubSpotContactMapping.builder().phoneNumbers(context.phoneNumbers());
      config.settings().forEach((k, v) -> {
        if (k.startsWith(CUSTOM_FIELD_PREFIX)) {
          b.customFieldProperty(k.substring(CUSTOM_FIELD_PREFIX.length()), v);
        }
      });
      mapping = b.build();
    } catch (IllegalArgumentException | IllegalStateException | NullPointerException e) {
      // The mapping's builder says what is wrong with the value; the tenant's settings are where it came from.
      throw new ConfigurationException(where + "setting '" + CUSTOM_FIELD_PREFIX + "...': " + e.getMessage(), e);
    }

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
        context.phoneNumbers(), context.clock(), account, Duration.ofSeconds(overlap), cap, writeConcurrency);
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
    String id = config.credentials().getOrDefault(CLIENT_ID, config.setting(CLIENT_ID));
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
    HubSpotTokenStore store = context.resource(HubSpotTokenStore.class).orElseThrow(() -> new ConfigurationException(
        where + "OAuth credentials need a " + HubSpotTokenStore.class.getName()
            + " resource: register one with IntegrationFactory.builder().resource(HubSpotTokenStore.class, ...)"));
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
    try {
      OAuth2Tokens.Builder b = OAuth2Tokens.builder()
          .vendor(NAME)
          .tokenUrl(baseUrl.replaceAll("/+$", "") + "/oauth/v1/token")
          .clientId(clientId(config, where))
          .clientSecret(secret)
          .clock(context.clock())
          .tokens(initial)
          .tokenStore(t -> store.save(tenant, t));
      if (client != null) {
        b.okHttpClient(client);
      }
      return b.build();
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new ConfigurationException(where + e.getMessage(), e);
    }
  }

  private static int positive(TenantConfig config, String key, int fallback, String where) {
    String v = config.setting(key);
    if (v == null) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(v.strip());
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below with the value
    }
    throw new ConfigurationException(where + "setting '" + key + "' must be a positive whole number, was '" + v + "'");
  }

  private static boolean bool(TenantConfig config, String key, boolean fallback, String where) {
    String v = config.setting(key);
    if (v == null) {
      return fallback;
    }
    if (v.strip().equalsIgnoreCase("true") || v.strip().equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(v.strip());
    }
    throw new ConfigurationException(where + "setting '" + key + "' must be true or false, was '" + v + "'");
  }

  private static ZoneId zone(TenantConfig config, String where) {
    String v = config.setting(DAILY_LIMIT_ZONE);
    if (v == null) {
      return ZoneOffset.UTC;
    }
    try {
      return ZoneId.of(v.strip());
    } catch (DateTimeException e) {
      throw new ConfigurationException(where + "setting '" + DAILY_LIMIT_ZONE + "' is not a time zone id such as "
          + "'America/New_York', was '" + v + "'", e);
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

  @Override
  public String toString() {
    return "HubSpotCustomerSystemProvider[" + accounts.size() + " account(s)]";
  }
}
