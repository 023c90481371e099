package dev.crmkit.testkit.hubspot;

import dev.crmkit.error.ValidationException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import mockwebserver3.MockWebServer;

/**
 * A stateful fake of HubSpot's CRM v3 contacts API on loopback, for tests of code that talks to
 * HubSpot. It follows HubSpot's published OpenAPI description of the contacts API: object shape
 * {@code {id, properties, createdAt, updatedAt, archived, archivedAt}}, cursor paging
 * {@code paging.next.after}, batch inputs and 207 partial failures, the search request and its
 * 10,000-result cap, error bodies {@code {status:"error", message, correlationId, category}}, and
 * the private-app rate limits with their {@code X-HubSpot-RateLimit-*} headers.
 *
 * <p>Endpoints, all under {@code /crm/v3/objects/contacts}: list ({@code GET}, {@code limit} up
 * to the list page cap, {@code after}, {@code properties}, {@code archived}), create ({@code
 * POST}), read/update/archive one ({@code GET|PATCH|DELETE /{contactId}}, with {@code
 * idProperty=email}), {@code POST /search} (operators EQ, NEQ, GT, GTE, LT, LTE, HAS_PROPERTY,
 * NOT_HAS_PROPERTY, CONTAINS_TOKEN; one sort; {@code limit} up to the search page cap; a free-text
 * {@code query}), and {@code POST /batch/{read,create,update,upsert,archive}}. Upsert takes
 * {@code idProperty: "email"}.
 *
 * <p>Contacts hold string properties. Emails are stored trimmed and lower-cased and are unique
 * among live contacts: a clashing create or update gets 409 {@code CONFLICT} with "Contact already
 * exists. Existing ID: n". Ids are increasing numeric strings from 1. The emulator keeps {@code
 * hs_object_id}, {@code createdate} and {@code lastmodifieddate}. Any property name is accepted:
 * unlike HubSpot, the emulator has no property schema. Archived contacts leave list and search
 * results, free their email, and stay readable with {@code archived=true}.
 *
 * <p>Each request is, in order: counted in {@link #counters()}, answered by a pending fault from
 * {@link #faults()}, rejected with 401 unless it carries {@code Authorization: Bearer
 * }{@link #accessToken()}, rejected with 429 when a rate budget is spent, then served.
 *
 * <p>Thread-safe: requests are served concurrently and every method may be called from any
 * thread. See <a href="https://developers.hubspot.com/docs/api/crm/contacts">HubSpot's contacts
 * API</a> and <a href="https://developers.hubspot.com/docs/api/usage-details">its limits</a>.
 */
public final class HubSpotEmulator implements AutoCloseable {
  /** Size caps the emulator enforces; see the builder for each one's meaning and default. */
  record Limits(int listPageSize, int searchPageSize, int batchInputs, int searchResults) {}

  private static final InetAddress LOOPBACK = loopback();

  private final MockWebServer server;
  private final String accessToken;
  private final HubSpotFaults faults = new HubSpotFaults();
  private final HubSpotCounters counters = new HubSpotCounters();
  private final ContactStore store;

  private HubSpotEmulator(Builder builder) {
    this.accessToken = builder.accessToken;
    this.store = new ContactStore(builder.clock);
    RateLimiter limiter =
        new RateLimiter(
            builder.clock,
            builder.rateLimits,
            builder.tenSecondlyLimit,
            builder.searchPerSecondLimit,
            builder.dailyLimit);
    this.server = new MockWebServer();
    server.setDispatcher(
        new HubSpotDispatcher(
            store,
            limiter,
            faults,
            counters,
            accessToken,
            builder.clock,
            new Limits(
                builder.listPageSizeCap,
                builder.searchPageSizeCap,
                builder.batchInputCap,
                builder.searchResultCap)));
    try {
      server.start(LOOPBACK, 0);
    } catch (IOException e) {
      throw new UncheckedIOException("could not start the HubSpot emulator on loopback", e);
    }
  }

  private static InetAddress loopback() {
    try {
      return InetAddress.getByAddress("127.0.0.1", new byte[] {127, 0, 0, 1});
    } catch (UnknownHostException e) {
      throw new IllegalStateException("a four-byte address is always valid", e);
    }
  }

  /**
   * Starts an emulator with every default (see {@link Builder}).
   *
   * @return a running emulator; close it when done
   * @throws UncheckedIOException when no loopback port can be bound
   */
  public static HubSpotEmulator start() {
    return builder().build();
  }

  /** @return a builder holding every default */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * @return the root URL of the emulated API, such as {@code http://127.0.0.1:54321}, without a
   *     trailing slash; API paths such as {@code /crm/v3/objects/contacts} go after it
   */
  public String baseUrl() {
    return "http://" + LOOPBACK.getHostAddress() + ":" + server.getPort();
  }

  /** @return the private-app access token the emulator accepts as {@code Bearer} credentials */
  public String accessToken() {
    return accessToken;
  }

  /** @return the faults to inject into the next responses */
  public HubSpotFaults faults() {
    return faults;
  }

  /** @return the request and 429 counters */
  public HubSpotCounters counters() {
    return counters;
  }

  /**
   * Stores a contact directly, without a request: no counting, no rate budget, no faults. For
   * setting up a test's starting state quickly.
   *
   * @param properties property names to values; not null; values null or empty are left out
   * @return the new contact's id, a numeric string
   * @throws ValidationException naming {@code email} when the email is invalid or already belongs
   *     to a live contact
   */
  public String seedContact(Map<String, String> properties) {
    Objects.requireNonNull(properties, "properties");
    try {
      return Long.toString(store.create(new LinkedHashMap<>(properties)).id());
    } catch (ApiError error) {
      throw ValidationException.of("email", properties.get("email"), error.getMessage());
    }
  }

  /** Stops the server and closes its connections. Idempotent. */
  @Override
  public void close() {
    server.close();
  }

  /**
   * Options for a {@link HubSpotEmulator}. Not thread-safe; {@link #build()} validates and starts.
   */
  public static final class Builder {
    private String accessToken = "pat-na1-" + UUID.randomUUID();
    private Clock clock = Clock.systemUTC();
    private boolean rateLimits = true;
    private int tenSecondlyLimit = 100;
    private int searchPerSecondLimit = 5;
    private int dailyLimit = 250_000;
    private int listPageSizeCap = 100;
    private int searchPageSizeCap = 200;
    private int batchInputCap = 100;
    private int searchResultCap = 10_000;

    private Builder() {}

    /**
     * @param accessToken the token to accept; not blank; default a random {@code pat-na1-...}
     * @return this
     * @throws ValidationException naming {@code accessToken} when blank
     */
    public Builder accessToken(String accessToken) {
      if (accessToken == null || accessToken.isBlank()) {
        throw ValidationException.of("accessToken", String.valueOf(accessToken), "must not be blank");
      }
      this.accessToken = accessToken;
      return this;
    }

    /**
     * @param clock the source of timestamps and of rate-limit windows; not null; default the
     *     system UTC clock. Tests pass a {@code MutableClock} so they never sleep.
     * @return this
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * @param enabled whether to answer 429 when a budget is spent; default true. When off, the
     *     rate-limit headers still go out and always show the full budget.
     * @return this
     */
    public Builder rateLimits(boolean enabled) {
      this.rateLimits = enabled;
      return this;
    }

    /**
     * @param requests non-search requests allowed in any rolling ten seconds; default 100
     * @return this
     * @throws ValidationException naming {@code tenSecondlyLimit} when below one
     */
    public Builder tenSecondlyLimit(int requests) {
      this.tenSecondlyLimit = positive("tenSecondlyLimit", requests);
      return this;
    }

    /**
     * @param requests search requests allowed in any rolling second; default 5
     * @return this
     * @throws ValidationException naming {@code searchPerSecondLimit} when below one
     */
    public Builder searchPerSecondLimit(int requests) {
      this.searchPerSecondLimit = positive("searchPerSecondLimit", requests);
      return this;
    }

    /**
     * @param requests requests allowed per day, reset at midnight in the clock's zone; default
     *     250,000
     * @return this
     * @throws ValidationException naming {@code dailyLimit} when below one
     */
    public Builder dailyLimit(int requests) {
      this.dailyLimit = positive("dailyLimit", requests);
      return this;
    }

    /**
     * @param max the largest {@code limit} the list endpoint takes; larger gets 400; default 100
     * @return this
     * @throws ValidationException naming {@code listPageSizeCap} when below one
     */
    public Builder listPageSizeCap(int max) {
      this.listPageSizeCap = positive("listPageSizeCap", max);
      return this;
    }

    /**
     * @param max the largest {@code limit} search takes; larger gets 400; default 200
     * @return this
     * @throws ValidationException naming {@code searchPageSizeCap} when below one
     */
    public Builder searchPageSizeCap(int max) {
      this.searchPageSizeCap = positive("searchPageSizeCap", max);
      return this;
    }

    /**
     * @param max the most inputs one batch request takes; more gets 400; default 100
     * @return this
     * @throws ValidationException naming {@code batchInputCap} when below one
     */
    public Builder batchInputCap(int max) {
      this.batchInputCap = positive("batchInputCap", max);
      return this;
    }

    /**
     * @param max how many results one search query can page through; a cursor at or beyond it
     *     gets 400; default 10,000
     * @return this
     * @throws ValidationException naming {@code searchResultCap} when below one
     */
    public Builder searchResultCap(int max) {
      this.searchResultCap = positive("searchResultCap", max);
      return this;
    }

    /**
     * Starts the emulator on {@code 127.0.0.1} on a free port.
     *
     * @return a running emulator; close it when done
     * @throws UncheckedIOException when no loopback port can be bound
     */
    public HubSpotEmulator build() {
      return new HubSpotEmulator(this);
    }

    private static int positive(String name, int value) {
      if (value < 1) {
        throw ValidationException.of(name, Integer.toString(value), "must be one or more");
      }
      return value;
    }
  }
}
