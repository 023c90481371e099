package dev.crmkit.http;

import dev.crmkit.Page;
import dev.crmkit.error.ApiConnectionException;
import dev.crmkit.error.CrmException;
import dev.crmkit.error.RateLimitedException;
import dev.crmkit.error.ValidationException;
import dev.crmkit.http.internal.ErrorMapper;
import dev.crmkit.http.internal.Json;
import dev.crmkit.http.internal.Redaction;
import dev.crmkit.http.internal.RetryAfter;
import dev.crmkit.http.internal.SharedClient;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiFunction;
import java.util.function.Function;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * Sends {@link ApiRequest}s to one vendor API for one account: adds the credential per call, waits
 * for the {@link RateLimiter}, retries by the {@link RetryPolicy}, and turns every failed response
 * into a {@link CrmException} subtype (see {@link ErrorParser}). Built by {@link #builder()}.
 *
 * <p>Thread-safe; share one per vendor account. Holds no resources of its own: connections belong
 * to the (shared) OkHttp client. OkHttp's own silent retry is switched off on the derived client, so
 * only the {@link RetryPolicy} decides whether a request is sent again.
 */
public final class HttpConnector {
  /**
   * A vendor's "no budget left" header pauses the account only when the limiter's fullest rolling
   * window was less than this share full when the call was admitted; above it, the spent budget is
   * the limiter's own and its windows already hold the calls back.
   */
  static final double OWN_BUDGET_SHARE = 0.9;

  private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");

  private final String vendor;
  private final HttpUrl baseUrl;
  private final Clock clock;
  private final AccessTokenProvider tokens;
  private final String authHeader;
  private final String authPrefix;
  private final RateLimiter rateLimiter;
  private final RetryPolicy retryPolicy;
  private final ErrorParser errorParser;
  private final RateLimitHeaders rateLimitHeaders;
  private final Sleeper sleeper;
  private final HttpLogger logger;
  private final OkHttpClient client;

  private HttpConnector(Builder b) {
    this.vendor = b.vendor;
    this.baseUrl = b.baseUrl;
    this.clock = b.clock;
    this.tokens = b.tokens;
    this.authHeader = b.authHeader;
    this.authPrefix = b.authPrefix;
    this.rateLimiter = b.rateLimiter;
    this.retryPolicy = b.retryPolicy;
    this.errorParser = b.errorParser;
    this.rateLimitHeaders = b.rateLimitHeaders;
    this.sleeper = b.sleeper;
    this.logger = b.logger;
    OkHttpClient base = b.okHttpClient != null ? b.okHttpClient : SharedClient.get();
    this.client = base.newBuilder()
        .connectTimeout(b.connectTimeout)
        .readTimeout(b.readTimeout)
        .writeTimeout(b.writeTimeout)
        .callTimeout(b.callTimeout)
        // OkHttp's own silent retry could resend a POST that reached the server; the RetryPolicy decides instead.
        .retryOnConnectionFailure(false)
        .build();
  }

  /** A new builder; see {@link Builder} for what is required and the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** The vendor name used in exceptions, such as {@code "hubspot"}. */
  public String vendor() {
    return vendor;
  }

  /**
   * Sends a request and returns its successful (2xx) response, retrying by the policy.
   *
   * <p>A 401 is answered once by asking the credential for a new token
   * ({@link AccessTokenProvider#invalidate(String)}); when it has one (a refreshable credential such
   * as {@link OAuth2Tokens}), the request is sent once more with it, whatever its method, since the
   * vendor did not process it. That extra try does not count against {@link RetryPolicy#maxAttempts()}.
   *
   * @param request the request, not null
   * @return the 2xx response
   * @throws dev.crmkit.error.AuthenticationException on 403; on 401 when the credential has no new
   *     token, or again after the one try with a new token; when a token refresh is rejected
   * @throws dev.crmkit.error.NotFoundException on 404
   * @throws dev.crmkit.error.ConflictException on 409
   * @throws ValidationException on 400 or 422, with the vendor's field errors
   * @throws RateLimitedException on 429 when attempts ran out or {@code Retry-After} exceeds the policy's maximum
   * @throws dev.crmkit.error.ServerException on 5xx after retries
   * @throws ApiConnectionException when the vendor could not be reached after retries
   * @throws CrmException on another 4xx
   * @throws NullPointerException naming {@code request} when it is null
   */
  public ApiResponse send(ApiRequest request) {
    Objects.requireNonNull(request, "request");
    int attempt = 1;
    boolean reauthorized = false;
    while (true) {
      boolean more = attempt < retryPolicy.maxAttempts();
      String line = vendor + ' ' + request.method() + ' ' + request.path() + Redaction.query(request.query());
      logger.log("--> " + line + " (attempt " + attempt + (reauthorized ? ", new credential" : "") + ") headers="
          + Redaction.headers(request.headers()));
      String token = tokens == null ? null : tokens.accessToken();
      ApiResponse response;
      // The permit holds its slot until the response is in (or the call failed): see RateLimiter.
      RateLimiter.Permit permit = rateLimiter == null ? null : rateLimiter.begin(request.costClass(), sleeper);
      try (permit) {
        response = execute(request, token);
      } catch (IOException e) {
        logger.log("<-- " + line + " failed: " + e.getClass().getSimpleName());
        if (more && request.isRetryable()) {
          sleeper.sleep(jittered(retryPolicy.backoff(attempt)));
          attempt++;
          continue;
        }
        throw new ApiConnectionException(
            vendor + ' ' + request.method() + ' ' + request.path() + ": " + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + e.getMessage()) + " after " + attempt + " attempt(s)",
            vendor, 0, null, null, e);
      }
      logger.log("<-- " + response.status() + ' ' + line);
      if (rateLimiter != null) {
        // A spent budget the limiter counted itself (its window was nearly full when this call was
        // admitted) needs no pause: its windows free each slot on time. The margin covers calls in
        // flight together, which reach the vendor in another order than they were admitted.
        // Otherwise other clients of the account used the budget, and only the vendor's wait is known.
        if (permit.occupancy() < OWN_BUDGET_SHARE) {
          rateLimitHeaders.pauseAfter(response).ifPresent(rateLimiter::pauseFor);
        }
      }
      if (response.isSuccessful()) {
        return response;
      }
      int status = response.status();
      Duration retryAfter = RetryAfter.parse(response.header("Retry-After"), clock);
      if (status == 401 && token != null && !reauthorized && tokens.invalidate(token)) {
        // The vendor rejected the credential, not the request: one more try with the new token, outside the policy's attempts.
        reauthorized = true;
        continue;
      }
      if (status == 429) {
        // The vendor did not process a 429, so any method may be retried.
        if (more && (retryAfter == null || retryAfter.compareTo(retryPolicy.maxRetryAfter()) <= 0)) {
          Duration wait = retryAfter != null ? retryAfter : jittered(retryPolicy.backoff(attempt));
          if (rateLimiter != null) {
            rateLimiter.pauseFor(wait);
          }
          sleeper.sleep(wait);
          attempt++;
          continue;
        }
      } else if (status >= 500 && more && request.isRetryable()) {
        Duration wait = retryAfter != null && retryAfter.compareTo(retryPolicy.maxRetryAfter()) <= 0
            ? retryAfter : jittered(retryPolicy.backoff(attempt));
        sleeper.sleep(wait);
        attempt++;
        continue;
      }
      throw ErrorMapper.map(vendor, request, status, errorParser.parse(response), retryAfter);
    }
  }

  /**
   * Auto-paging over a cursor-paged list: each next page repeats {@code first} with only the cursor
   * changed. The first page is fetched now; later ones when {@link Page#next()} is called (or as
   * {@link Page#autoPaging()} reaches them). The pages' cursors are the vendor's own; a provider that
   * hands positions to its callers wraps its own state in a {@link CursorCodec}.
   *
   * <p>For example, HubSpot's list endpoints:
   * <pre>{@code
   * Page<Map<String, Object>> contacts = connector.page(ApiRequest.get("/crm/v3/objects/contacts"),
   *     (r, after) -> r.withQuery("after", after),
   *     response -> (List<Map<String, Object>>) response.json().get("results"),
   *     response -> afterOf(response.json()));
   * }</pre>
   *
   * @param first the request of the first page; it may already carry a cursor, to start at that page
   * @param atCursor returns the request for a cursor from {@code first}, such as
   *     {@code (r, c) -> r.withQuery("after", c)}
   * @param items reads a page's items from its response
   * @param nextCursor reads the next cursor from a response; {@code null} or blank on the last page
   * @param <T> item type
   * @return the first page
   * @throws CrmException as {@link #send(ApiRequest)}, also from {@link Page#next()}
   * @throws NullPointerException naming the argument that is null
   */
  public <T> Page<T> page(
      ApiRequest first, BiFunction<ApiRequest, String, ApiRequest> atCursor,
      Function<ApiResponse, List<T>> items, Function<ApiResponse, String> nextCursor) {
    Objects.requireNonNull(first, "first");
    Objects.requireNonNull(atCursor, "atCursor");
    Objects.requireNonNull(items, "items");
    Objects.requireNonNull(nextCursor, "nextCursor");
    return readPage(first, first, atCursor, items, nextCursor);
  }

  private <T> Page<T> readPage(
      ApiRequest first, ApiRequest current, BiFunction<ApiRequest, String, ApiRequest> atCursor,
      Function<ApiResponse, List<T>> items, Function<ApiResponse, String> nextCursor) {
    ApiResponse response = send(current);
    String cursor = nextCursor.apply(response);
    if (cursor != null && cursor.isBlank()) {
      cursor = null;
    }
    return new Page<>(items.apply(response), cursor,
        c -> readPage(first, atCursor.apply(first, c), atCursor, items, nextCursor));
  }

  private ApiResponse execute(ApiRequest request, String token) throws IOException {
    HttpUrl.Builder url = baseUrl.newBuilder();
    String path = request.path().substring(1);
    if (!path.isEmpty()) {
      url.addPathSegments(path);
    }
    request.query().forEach(url::addQueryParameter);
    Request.Builder http = new Request.Builder().url(url.build());
    http.header("Accept", "application/json");
    request.headers().forEach(http::header);
    if (token != null) {
      http.header(authHeader, authPrefix + token);
    }
    RequestBody body = null;
    if (request.body() instanceof RawBody raw) {
      body = RequestBody.create(raw.bytes(), MediaType.get(raw.contentType()));
    } else if (request.body() != null) {
      body = RequestBody.create(Json.write(request.body()), JSON);
    } else if (!request.method().equals("GET") && !request.method().equals("DELETE")) {
      body = RequestBody.create(new byte[0], null);
    }
    http.method(request.method(), body);
    try (Response response = client.newCall(http.build()).execute()) {
      ResponseBody rb = response.body();
      String text = rb.string();
      Map<String, List<String>> headers = response.headers().toMultimap();
      return new ApiResponse(response.code(), headers, text);
    }
  }

  private Duration jittered(Duration d) {
    double off = retryPolicy.jitter() * ThreadLocalRandom.current().nextDouble();
    return Duration.ofNanos((long) (d.toNanos() * (1.0 - off)));
  }

  @Override
  public String toString() {
    return "HttpConnector[" + vendor + ' ' + baseUrl + ", auth=" + (tokens == null ? "none" : authHeader + " ***") + ']';
  }

  /**
   * Builds an {@link HttpConnector}. Required: {@link #vendor(String)} and {@link #baseUrl(String)}.
   * Each setter validates its value at once: a {@code null} raises a {@link NullPointerException} and a
   * bad value an {@link IllegalArgumentException}, both naming the setting. Not thread-safe.
   */
  public static final class Builder {
    /** Default {@link #connectTimeout(Duration)}: 10 seconds. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Default {@link #readTimeout(Duration)}: 30 seconds. */
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);
    /** Default {@link #writeTimeout(Duration)}: 30 seconds. */
    public static final Duration DEFAULT_WRITE_TIMEOUT = Duration.ofSeconds(30);
    /** Default {@link #callTimeout(Duration)}: 60 seconds for a whole attempt. */
    public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(60);

    private String vendor;
    private HttpUrl baseUrl;
    private Clock clock = Clock.systemUTC();
    private AccessTokenProvider tokens;
    private String authHeader = "Authorization";
    private String authPrefix = "Bearer ";
    private RateLimiter rateLimiter;
    private RetryPolicy retryPolicy = RetryPolicy.defaults();
    private ErrorParser errorParser = ErrorParser.generic();
    private RateLimitHeaders rateLimitHeaders = RateLimitHeaders.none();
    private Sleeper sleeper = Sleeper.system();
    private HttpLogger logger = HttpLogger.slf4j();
    private OkHttpClient okHttpClient;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration readTimeout = DEFAULT_READ_TIMEOUT;
    private Duration writeTimeout = DEFAULT_WRITE_TIMEOUT;
    private Duration callTimeout = DEFAULT_CALL_TIMEOUT;

    private Builder() {}

    /** Required: the provider name for exceptions, such as {@code "hubspot"}; not blank. */
    public Builder vendor(String vendor) {
      nonNull("vendor", vendor);
      if (vendor.isBlank()) {
        throw new IllegalArgumentException("vendor must not be blank: '" + vendor + "'");
      }
      this.vendor = vendor;
      return this;
    }

    /** Required: the API root, an {@code http} or {@code https} URL such as {@code https://api.hubapi.com}. */
    public Builder baseUrl(String baseUrl) {
      HttpUrl url = HttpUrl.parse(nonNull("baseUrl", baseUrl));
      if (url == null) {
        throw new IllegalArgumentException("baseUrl must be an http or https URL: '" + baseUrl + "'");
      }
      this.baseUrl = url;
      return this;
    }

    /** Time source for {@code Retry-After} dates; default the system UTC clock. */
    public Builder clock(Clock clock) {
      this.clock = nonNull("clock", clock);
      return this;
    }

    /** The credential, sent as {@code Authorization: Bearer <token>} by default; default none. */
    public Builder auth(AccessTokenProvider tokens) {
      this.tokens = nonNull("auth", tokens);
      return this;
    }

    /**
     * Where the credential goes: header name and value prefix; default {@code "Authorization"} and
     * {@code "Bearer "}. For example {@code ("X-Shopify-Access-Token", "")}.
     */
    public Builder authHeader(String name, String prefix) {
      nonNull("name", name);
      if (name.isBlank()) {
        throw new IllegalArgumentException("name must not be blank: '" + name + "'");
      }
      this.authHeader = name;
      this.authPrefix = nonNull("prefix", prefix);
      return this;
    }

    /** The account's limiter, shared with other connectors of the same account; default none. */
    public Builder rateLimiter(RateLimiter rateLimiter) {
      this.rateLimiter = nonNull("rateLimiter", rateLimiter);
      return this;
    }

    /** Default {@link RetryPolicy#defaults()}. */
    public Builder retryPolicy(RetryPolicy retryPolicy) {
      this.retryPolicy = nonNull("retryPolicy", retryPolicy);
      return this;
    }

    /** Default {@link ErrorParser#generic()}. */
    public Builder errorParser(ErrorParser errorParser) {
      this.errorParser = nonNull("errorParser", errorParser);
      return this;
    }

    /** Default {@link RateLimitHeaders#none()}; used only with a {@link #rateLimiter(RateLimiter)}. */
    public Builder rateLimitHeaders(RateLimitHeaders rateLimitHeaders) {
      this.rateLimitHeaders = nonNull("rateLimitHeaders", rateLimitHeaders);
      return this;
    }

    /** How to wait; default {@link Sleeper#system()}. */
    public Builder sleeper(Sleeper sleeper) {
      this.sleeper = nonNull("sleeper", sleeper);
      return this;
    }

    /** Where redacted request lines go; default {@link HttpLogger#slf4j()}. */
    public Builder logger(HttpLogger logger) {
      this.logger = nonNull("logger", logger);
      return this;
    }

    /**
     * The host's own OkHttp client, whose connection pool and dispatcher are then shared (timeouts
     * set here are applied to a derived client); default a process-wide client of crmkit.
     */
    public Builder okHttpClient(OkHttpClient okHttpClient) {
      this.okHttpClient = nonNull("okHttpClient", okHttpClient);
      return this;
    }

    /** Connect timeout; positive; default {@link #DEFAULT_CONNECT_TIMEOUT}. */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive("connectTimeout", timeout);
      return this;
    }

    /** Timeout between bytes read; positive; default {@link #DEFAULT_READ_TIMEOUT}. */
    public Builder readTimeout(Duration timeout) {
      this.readTimeout = positive("readTimeout", timeout);
      return this;
    }

    /** Timeout between bytes written; positive; default {@link #DEFAULT_WRITE_TIMEOUT}. */
    public Builder writeTimeout(Duration timeout) {
      this.writeTimeout = positive("writeTimeout", timeout);
      return this;
    }

    /** Timeout of one whole attempt; positive; default {@link #DEFAULT_CALL_TIMEOUT}. */
    public Builder callTimeout(Duration timeout) {
      this.callTimeout = positive("callTimeout", timeout);
      return this;
    }

    /**
     * @return the connector
     * @throws IllegalStateException naming the missing required setter
     */
    public HttpConnector build() {
      if (vendor == null) {
        throw new IllegalStateException("HttpConnector needs a vendor name: call vendor(\"...\")");
      }
      if (baseUrl == null) {
        throw new IllegalStateException("HttpConnector for '" + vendor + "' needs a base URL: call baseUrl(\"https://...\")");
      }
      return new HttpConnector(this);
    }

    private static <T> T nonNull(String field, T value) {
      return Objects.requireNonNull(value, field);
    }

    private static Duration positive(String field, Duration d) {
      if (nonNull(field, d).isNegative() || d.isZero()) {
        throw new IllegalArgumentException(field + " must be a positive duration: " + d);
      }
      return d;
    }
  }
}
