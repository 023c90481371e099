package dev.crmkit.examples.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.crmkit.error.ConfigurationException;
import dev.crmkit.error.ConflictException;
import dev.crmkit.error.CrmException;
import dev.crmkit.error.FieldError;
import dev.crmkit.error.NotFoundException;
import dev.crmkit.error.RateLimitedException;
import dev.crmkit.error.UnsupportedCapabilityException;
import dev.crmkit.error.ValidationException;
import dev.crmkit.examples.webhook.JdkHttp;
import dev.crmkit.integrations.IntegrationService;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * The example integrations server: the REST API (README, "The example server") over an {@link IntegrationService},
 * the vendor webhook and OAuth callback routes, and the pages (HTML, CSS, JS from the class path).
 * It is the reference wiring a host reads; {@code crmkit serve} runs it against the emulators.
 *
 * <p>It runs on the JDK's own {@code com.sun.net.httpserver}, as the webhook endpoints in {@code
 * dev.crmkit.examples.webhook} do: no framework dependency, and each route is a few lines that
 * translate HTTP into one {@link IntegrationService} call, so the wiring carries over to whatever
 * framework a host already runs (a servlet, Spring, Javalin, Ktor) unchanged.
 *
 * <p>Routes (tenant routes need the bearer token; JSON in and out):
 * <pre>
 * GET    /api/v1/integrations                      catalogue by category
 * GET    /api/v1/integrations/configured           the tenant's integrations and the active count
 * POST   /api/v1/integrations                      create: provider, name, flow, schedule, settings, credentials (201)
 * GET    /api/v1/integrations/{id}                 one integration (credential keys, never values)
 * PUT    /api/v1/integrations/{id}                 update: name, flow, schedule, settings, credentials, version
 * DELETE /api/v1/integrations/{id}?eraseSyncState= delete (204)
 * POST   /api/v1/integrations/{id}/enable|disable  the integration
 * POST   /api/v1/integrations/{id}/test            {ok, failure, message, latencyMs}
 * POST   /api/v1/integrations/{id}/sync            {mode: full|delta} or {customerId}: {success, result:{synced,
 *                                                  created, updated, errors, duration}, runId, status}
 * GET    /api/v1/integrations/{id}/logs?limit=     {runs, webhooks}
 * GET|PUT /api/v1/integrations/{id}/mapping        {rules:[{field, remoteField, flow, transform}]}
 * GET    /api/v1/integrations/{id}/conflicts       {conflicts}
 * POST   /api/v1/integrations/{id}/conflicts/{conflictId}/resolve  {resolution: local|remote}
 * GET    /api/v1/integrations/{id}/connect         {authorizationUrl} to send the browser to
 * GET    /api/v1/oauth/{platform}/callback         public: 302 to /integrations/{id}?connected=1 or /?oauthError=
 * POST   /webhooks/integrations/{platform}         public, vendor-signed: the vendor's expected answer
 * GET    /, /integrations/new, /integrations/{id}, /assets/...   the pages
 * </pre>
 *
 * <p>Per call, in this order:
 * <ol>
 *   <li>the route is found by path (404 {@code not_found} when none) and method (405 {@code
 *       method_not_allowed} with {@code Allow});
 *   <li>a tenant route needs {@code Authorization: Bearer <token>} known to {@link TenantTokens}
 *       (401 {@code unauthorized} otherwise, before anything else is read);
 *   <li>the body is read up to the route's cap (413 {@code too_large} beyond it: {@link
 *       Builder#apiBodyBytes} for the API, {@link Builder#webhookBodyBytes} for vendor webhooks);
 *   <li>a route on one integration ({@code /api/v1/integrations/{id}/...}) first asks the service for
 *       that id under the caller's tenant: another tenant's id, like an unknown one, is 404;
 *   <li>the route calls the service with the caller's tenant id. Errors map in one place: {@link
 *       ValidationException} 400 {@code validation} with the field, {@link ConfigurationException} 400
 *       {@code configuration}, {@link NotFoundException} 404, {@link ConflictException} 409 {@code
 *       conflict}, {@link RateLimitedException} 429, another {@link CrmException} 502 {@code upstream},
 *       anything else 500 {@code internal} without details.
 * </ol>
 * Every answer carries {@code X-Content-Type-Options: nosniff}, a Content-Security-Policy allowing
 * this origin only, {@code Referrer-Policy: no-referrer} and {@code X-Frame-Options: DENY}; API
 * answers carry {@code Cache-Control: no-store}. Errors are {@code
 * {"error":{"code","message","field"}}}.
 *
 * <p>Thread-safe; calls are served on a fixed pool of {@link Builder#threads} threads.
 */
public final class IntegrationsServer implements AutoCloseable {
  /** Default body cap of API calls: 64 KiB. */
  public static final int DEFAULT_API_BODY_BYTES = 64 * 1024;
  /** Default body cap of vendor webhook deliveries: 1 MiB (HubSpot sends at most 100 events a call). */
  public static final int DEFAULT_WEBHOOK_BODY_BYTES = 1024 * 1024;
  /** Allows scripts, styles, images, fonts and fetches from this origin only; no framing, no plugins. */
  static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
      + "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
      + "form-action 'self'; frame-ancestors 'none'";

  /** How much of a refused body is read and dropped so the 413 reaches the client: 16 MiB. */
  private static final long DRAIN_BYTES = 16L * 1024 * 1024;

  private static final System.Logger LOG = System.getLogger(IntegrationsServer.class.getName());

  private final HttpServer server;
  private final ExecutorService executor;
  private final IntegrationService service;
  private final TenantTokens tokens;
  private final List<Route> routes;
  private final String publicBase;
  private final Duration stopGrace;
  /** Calls being served; also the lock {@link #close()} waits on. */
  private final AtomicInteger inFlight = new AtomicInteger();
  private boolean closing;

  private IntegrationsServer(Builder b, HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
    this.service = b.service;
    this.tokens = b.tokens;
    this.publicBase = b.publicBaseUrl != null ? b.publicBaseUrl : JdkHttp.localBase(server);
    this.stopGrace = b.stopGrace;
    List<Route> all = new ArrayList<>(new IntegrationApi(b.service).routes(b.apiBodyBytes, b.webhookBodyBytes));
    all.addAll(StaticPages.routes());
    this.routes = List.copyOf(all);
  }

  /** A builder; {@link Builder#service} and {@link Builder#tokens} are required. */
  public static Builder builder() {
    return new Builder();
  }

  /** Every route the server answers, API and pages. */
  List<Route> routes() {
    return routes;
  }

  /** @return the base URL callers reach the server at: the public base URL given, or {@code http://host:port} */
  public URI url() {
    return URI.create(publicBase);
  }

  /** @return the local port the server listens on */
  public int port() {
    return server.getAddress().getPort();
  }

  /**
   * Stops: answers new calls 503 {@code unavailable}, waits up to the builder's {@code stopGrace} for
   * calls in progress (a running "sync now" finishes or is cut off then), then closes the socket and
   * ends the threads. (The JDK server's own {@code stop(delay)} waits the whole delay on JDK 17 even
   * when nothing is in progress, hence the count kept here.)
   */
  @Override
  public void close() {
    long deadline = System.nanoTime() + stopGrace.toNanos();
    synchronized (inFlight) {
      closing = true;
      try {
        for (long left = stopGrace.toNanos(); inFlight.get() > 0 && left > 0; left = deadline - System.nanoTime()) {
          TimeUnit.NANOSECONDS.timedWait(inFlight, left);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) {
    boolean counted;
    synchronized (inFlight) {
      counted = !closing;
      if (counted) {
        inFlight.incrementAndGet();
      }
    }
    try (exchange) {
      exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
      exchange.getResponseHeaders().set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
      exchange.getResponseHeaders().set("Referrer-Policy", "no-referrer");
      exchange.getResponseHeaders().set("X-Frame-Options", "DENY");
      try {
        if (!counted) {
          exchange.getResponseHeaders().set("Connection", "close");
          throw new ApiError(503, "unavailable", "the server is stopping", null);
        }
        dispatch(exchange);
      } catch (RuntimeException e) {
        answerError(exchange, e);
      }
    } catch (IOException e) {
      LOG.log(System.Logger.Level.DEBUG, "call ended early: " + e);
    } finally {
      if (counted) {
        synchronized (inFlight) {
          if (inFlight.decrementAndGet() == 0) {
            inFlight.notifyAll();
          }
        }
      }
    }
  }

  private void dispatch(HttpExchange exchange) throws IOException {
    List<String> path = segments(exchange.getRequestURI().getRawPath());
    // The most specific pattern fitting the path decides, whatever the method: "configured" is never an id.
    List<Map.Entry<Route, Map<String, String>>> onPath = new ArrayList<>();
    int best = -1;
    for (Route route : routes) {
      Optional<Map<String, String>> params = route.match(path);
      if (params.isEmpty() || route.specificity() < best) {
        continue;
      }
      if (route.specificity() > best) {
        onPath.clear();
        best = route.specificity();
      }
      onPath.add(Map.entry(route, params.get()));
    }
    if (onPath.isEmpty()) {
      throw ApiError.notFound("no route for " + exchange.getRequestURI().getRawPath());
    }
    Map.Entry<Route, Map<String, String>> chosen = onPath.stream()
        .filter(e -> e.getKey().method().equals(exchange.getRequestMethod())).findFirst().orElse(null);
    if (chosen == null) {
      TreeSet<String> allowed = new TreeSet<>();
      onPath.forEach(e -> allowed.add(e.getKey().method()));
      exchange.getResponseHeaders().set("Allow", String.join(", ", allowed));
      throw new ApiError(405, "method_not_allowed", exchange.getRequestMethod() + " is not allowed here; allowed: "
          + String.join(", ", allowed), null);
    }
    Route route = chosen.getKey();
    String tenant = route.access() == Route.Access.TENANT ? authenticate(exchange) : null;
    byte[] body = readBody(exchange, route.maxBodyBytes());
    if (route.ownsIntegration()) {
      service.get(tenant, chosen.getValue().get("id"));
    }
    route.handler().handle(new Call(exchange, chosen.getValue(), tenant, body, publicBase));
  }

  private String authenticate(HttpExchange exchange) {
    String header = exchange.getRequestHeaders().getFirst("Authorization");
    String token = null;
    if (header != null && header.length() > 7 && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      token = header.substring(7).strip();
    }
    Optional<String> tenant = tokens.tenantOf(token);
    if (tenant.isEmpty()) {
      exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
      throw new ApiError(401, "unauthorized", header == null ? "missing bearer token" : "unknown bearer token", null);
    }
    return tenant.get();
  }

  private static byte[] readBody(HttpExchange exchange, int cap) throws IOException {
    if (cap == 0) {
      return new byte[0];
    }
    String length = exchange.getRequestHeaders().getFirst("Content-Length");
    long declared = -1;
    if (length != null) {
      try {
        declared = Long.parseLong(length.strip());
      } catch (NumberFormatException e) {
        throw ApiError.badField("Content-Length", "must be a whole number");
      }
    }
    try (InputStream in = exchange.getRequestBody()) {
      if (declared > cap) {
        throw tooLarge(in, cap, declared);
      }
      byte[] body = in.readNBytes(cap + 1);
      if (body.length > cap) {
        throw tooLarge(in, cap, -1);
      }
      return body;
    }
  }

  /**
   * The 413, after reading what is left of the body (up to {@link #DRAIN_BYTES}): a connection closed
   * with unread bytes is reset, and a reset can destroy the answer before the client reads it.
   */
  private static ApiError tooLarge(InputStream in, int cap, long declared) throws IOException {
    if (declared <= DRAIN_BYTES) {
      byte[] discard = new byte[8192];
      long left = DRAIN_BYTES;
      for (int n; left > 0 && (n = in.read(discard, 0, (int) Math.min(discard.length, left))) > 0; ) {
        left -= n;
      }
    }
    return new ApiError(413, "too_large", "body larger than " + cap + " bytes", "body");
  }

  private void answerError(HttpExchange exchange, RuntimeException e) throws IOException {
    ApiError error = toApiError(e);
    if (error.status() >= 500) {
      LOG.log(System.Logger.Level.WARNING, exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath()
          + " failed: " + e.getClass().getName() + ": " + e.getMessage());
    }
    if (exchange.getResponseCode() != -1) {
      return; // headers went out before the failure: nothing more can be said
    }
    new Call(exchange, Map.of(), null, new byte[0], publicBase)
        .json(error.status(), ApiViews.error(error.code(), error.getMessage(), error.field()));
  }

  /** Where a failure becomes a status, a code and a field: the one place. */
  static ApiError toApiError(RuntimeException e) {
    if (e instanceof ApiError api) {
      return api;
    }
    if (e instanceof ValidationException v) {
      // Field and message without the value: a value may be a credential.
      List<FieldError> errors = v.fieldErrors();
      String message = errors.stream().map(f -> f.field() + ": " + f.message()).collect(Collectors.joining("; "));
      return new ApiError(400, "validation", message, errors.get(0).field());
    }
    if (e instanceof ConfigurationException) {
      return new ApiError(400, "configuration", e.getMessage(), null);
    }
    if (e instanceof NotFoundException) {
      return ApiError.notFound(e.getMessage());
    }
    if (e instanceof ConflictException c) {
      return new ApiError(409, "conflict", c.getMessage(), c.field());
    }
    if (e instanceof RateLimitedException) {
      return new ApiError(429, "rate_limited", e.getMessage(), null);
    }
    if (e instanceof UnsupportedCapabilityException) {
      // The integration's back end lacks the operation (a sync of one customer where it has no lookup, say).
      return new ApiError(400, "unsupported", e.getMessage(), null);
    }
    if (e instanceof CrmException) {
      return new ApiError(502, "upstream", e.getMessage(), null);
    }
    return new ApiError(500, "internal", "internal error", null);
  }

  /** The raw path's segments, percent-decoded ({@code +} stays a plus, as in a path it is one). */
  private static List<String> segments(String rawPath) {
    if (rawPath == null || rawPath.isEmpty() || rawPath.equals("/")) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (String s : rawPath.substring(1).split("/", -1)) {
      try {
        out.add(URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw ApiError.notFound("bad percent-encoding in the path");
      }
    }
    return out;
  }

  /** Builds and starts an {@link IntegrationsServer}. */
  public static final class Builder {
    private IntegrationService service;
    private TenantTokens tokens;
    private InetSocketAddress bind = new InetSocketAddress("127.0.0.1", 0);
    private String publicBaseUrl;
    private int apiBodyBytes = DEFAULT_API_BODY_BYTES;
    private int webhookBodyBytes = DEFAULT_WEBHOOK_BODY_BYTES;
    private int threads = 8;
    private Duration stopGrace = Duration.ofSeconds(5);

    private Builder() {}

    /** The service every route calls; required. */
    public Builder service(IntegrationService service) {
      this.service = Objects.requireNonNull(service, "service");
      return this;
    }

    /** Which tenant each bearer token stands for; required. */
    public Builder tokens(TenantTokens tokens) {
      this.tokens = Objects.requireNonNull(tokens, "tokens");
      return this;
    }

    /** The local address to listen on; default {@code 127.0.0.1} on a free port. */
    public Builder bind(InetSocketAddress bind) {
      this.bind = Objects.requireNonNull(bind, "bind");
      return this;
    }

    /**
     * The scheme, host and port callers reach the server at (behind a proxy, what the vendor's app
     * settings hold), such as {@code https://crm.example.com}: vendors sign webhook URLs under it and
     * OAuth redirects come back to it. Default: the local address, {@code http://host:port}.
     *
     * @throws IllegalArgumentException naming the value unless it is an http(s) URL without path,
     *     query or trailing slash
     */
    public Builder publicBaseUrl(String publicBaseUrl) {
      Objects.requireNonNull(publicBaseUrl, "publicBaseUrl");
      URI uri;
      try {
        uri = URI.create(publicBaseUrl);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("publicBaseUrl is not a URL: '" + publicBaseUrl + "'", e);
      }
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null
          || !(uri.getRawPath() == null || uri.getRawPath().isEmpty()) || uri.getRawQuery() != null) {
        throw new IllegalArgumentException("publicBaseUrl must be http(s)://host[:port] without a path, was '"
            + publicBaseUrl + "'");
      }
      this.publicBaseUrl = publicBaseUrl;
      return this;
    }

    /** Body cap of API calls in bytes, 1 to 16 MiB; default {@link #DEFAULT_API_BODY_BYTES}. Larger is 413. */
    public Builder apiBodyBytes(int bytes) {
      this.apiBodyBytes = cap("apiBodyBytes", bytes);
      return this;
    }

    /** Body cap of vendor webhooks in bytes, 1 to 16 MiB; default {@link #DEFAULT_WEBHOOK_BODY_BYTES}. */
    public Builder webhookBodyBytes(int bytes) {
      this.webhookBodyBytes = cap("webhookBodyBytes", bytes);
      return this;
    }

    /** Threads serving calls, 1 to 256; default 8. A "sync now" holds one for its run. */
    public Builder threads(int threads) {
      if (threads < 1 || threads > 256) {
        throw new IllegalArgumentException("threads must be 1 to 256, was " + threads);
      }
      this.threads = threads;
      return this;
    }

    /** How long {@link #close()} waits for calls in progress, whole seconds, 0 to 60; default 5 s. */
    public Builder stopGrace(Duration grace) {
      Objects.requireNonNull(grace, "stopGrace");
      if (grace.isNegative() || grace.compareTo(Duration.ofSeconds(60)) > 0) {
        throw new IllegalArgumentException("stopGrace must be 0 to 60 seconds, was " + grace);
      }
      this.stopGrace = grace;
      return this;
    }

    private static int cap(String name, int bytes) {
      if (bytes < 1 || bytes > 16 * 1024 * 1024) {
        throw new IllegalArgumentException(name + " must be 1 to 16777216 bytes, was " + bytes);
      }
      return bytes;
    }

    /**
     * Binds and starts the server.
     *
     * @throws IllegalStateException naming {@code service} or {@code tokens} when missing
     * @throws java.io.UncheckedIOException when the address cannot be bound
     */
    public IntegrationsServer start() {
      if (service == null) {
        throw new IllegalStateException("service is required");
      }
      if (tokens == null) {
        throw new IllegalStateException("tokens is required");
      }
      HttpServer http = JdkHttp.bind(bind, "/", "integrations server");
      AtomicInteger n = new AtomicInteger();
      ExecutorService executor = Executors.newFixedThreadPool(threads, r -> {
        Thread t = new Thread(r, "crmkit-server-" + n.incrementAndGet());
        t.setDaemon(true);
        return t;
      });
      IntegrationsServer s = new IntegrationsServer(this, http, executor);
      http.setExecutor(executor);
      http.createContext("/", s::handle);
      http.start();
      return s;
    }
  }
}
