package dev.crmkit.testkit.hubspot;

import dev.crmkit.DealStage;
import dev.crmkit.DealStatus;
import dev.crmkit.Pipeline;
import dev.crmkit.error.ConflictException;
import dev.crmkit.error.NotFoundException;
import dev.crmkit.error.ValidationException;
import dev.crmkit.testkit.internal.Loopback;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import mockwebserver3.MockWebServer;

/**
 * A stateful fake of HubSpot's CRM API on loopback, for tests of code that talks to HubSpot. It
 * follows HubSpot's published OpenAPI descriptions: object shape {@code {id, properties,
 * createdAt, updatedAt, archived, archivedAt}}, cursor paging {@code paging.next.after}, batch
 * inputs and 207 partial failures, the search request and its 10,000-result cap, error bodies
 * {@code {status:"error", message, correlationId, category}}, and the private-app rate limits with
 * their {@code X-HubSpot-RateLimit-*} headers.
 *
 * <p>Endpoints:
 * <ul>
 *   <li>{@code /crm/v3/objects/{type}} for {@code contacts}, {@code notes}, {@code calls}, {@code
 *       emails}, {@code meetings} and {@code communications}: list ({@code GET}, {@code limit} up
 *       to the list page cap, {@code after}, {@code properties}, {@code archived}, {@code
 *       associations}), create ({@code POST}, with an optional {@code associations} array of
 *       {@code {to:{id}, types:[{associationCategory:"HUBSPOT_DEFINED", associationTypeId}]}}),
 *       read/update/archive one ({@code GET|PATCH|DELETE /{id}}; contacts also by {@code
 *       idProperty=email}), {@code POST /search} (operators EQ, NEQ, GT, GTE, LT, LTE,
 *       HAS_PROPERTY, NOT_HAS_PROPERTY, CONTAINS_TOKEN, and {@code associations.contact} EQ a
 *       contact id; one sort; {@code limit} up to the search page cap; a free-text {@code query}),
 *       and {@code POST /batch/{read,create,update,archive}}.
 *   <li>Contacts only: {@code POST /crm/v3/objects/contacts/batch/upsert} ({@code idProperty:
 *       "email"}), {@code POST .../contacts/merge} ({@code {primaryObjectId, objectIdToMerge}})
 *       and {@code POST .../contacts/gdpr-delete} ({@code {objectId, idProperty}}, 204).
 *   <li>{@code GET /crm/v4/objects/{fromType}/{id}/associations/{toType}} (paged by {@code
 *       limit} up to 500 and {@code after}), {@code PUT
 *       /crm/v4/objects/{fromType}/{fromId}/associations/default/{toType}/{toId}} and {@code
 *       DELETE /crm/v4/objects/{fromType}/{fromId}/associations/{toType}/{toId}}.
 *   <li>{@code POST /oauth/v1/token} (form-encoded {@code grant_type} {@code authorization_code}
 *       or {@code refresh_token}) once an OAuth client is configured with {@link
 *       Builder#oauthClient(String, String)}; codes are single-use and live 10 minutes; a used,
 *       unknown or expired one is 400 {@code {"status":"BAD_AUTH_CODE"}}, another redirect URI
 *       {@code BAD_REDIRECT_URI}.
 *   <li>The app install a browser clicks through: {@code GET /oauth/authorize?client_id&redirect_uri&
 *       scope&state} (app.hubspot.com's consent page) shows an HTML form whose "Allow" button posts to
 *       {@code POST /oauth/authorize}, answered 302 to {@code redirect_uri?code=...&state=...} ("Deny":
 *       {@code ?error=access_denied}); an unknown client id, no redirect URI or no scope gets an error
 *       page. See {@link dev.crmkit.testkit.OAuthConsent}.
 *   <li>{@code GET /oauth/v1/access-tokens/{token}} (no bearer needed): {@code hub_id}, {@code
 *       app_id}, {@code scopes}, {@code expires_in} of a live access token; 404 otherwise.
 * </ul>
 *
 * <p>Engagements need {@code hs_timestamp} (ISO-8601 or epoch milliseconds, stored as ISO-8601);
 * their HubSpot-defined association type ids to contacts are note 202, call 194, email 198,
 * meeting 200 and communication 81 (and 201, 193, 197, 199, 82 back). An association with another
 * type id or to a contact that does not exist gets 400 {@code VALIDATION_ERROR}.
 *
 * <p>Contacts hold string properties. Emails are stored trimmed and lower-cased and are unique
 * among live contacts: a clashing create or update gets 409 {@code CONFLICT} with "Contact already
 * exists. Existing ID: n". Ids are increasing numeric strings from 1, per type. The emulator keeps
 * {@code hs_object_id}, {@code createdate} and {@code lastmodifieddate} ({@code hs_createdate} and
 * {@code hs_lastmodifieddate} for engagements). Any property name is accepted: unlike HubSpot, the
 * emulator has no property schema. Archived records leave list and search results, free their
 * email, and stay readable with {@code archived=true}. A merge keeps the primary id, fills its
 * blank properties from the merged contact, adds the merged email to {@code
 * hs_additional_emails} and the merged id to {@code hs_merged_object_ids} (both ";"-joined),
 * moves the associations, and makes the merged id read as the survivor.
 *
 * <p>Each request is, in order: counted in {@link #counters()}, answered by a pending fault from
 * {@link #faults()}, rejected with 401 unless it carries {@code Authorization: Bearer } with
 * {@link #accessToken()} or a live token issued by the token endpoint (an expired one gets 401
 * {@code EXPIRED_AUTHENTICATION}; the token endpoint itself needs no bearer token), rejected with
 * 429 when a rate budget is spent (searches of every type use the search budget), then served.
 *
 * <p>Test hooks act without HTTP, counting or rate budget: {@link #seedContact(Map)}, {@link
 * #contactProperties(String)}, {@link #liveContactCount()}, {@link #updateContact(String, Map)}
 * (a user's edit in HubSpot's UI), {@link #archiveContact(String)}, {@link
 * #restoreContact(String)}, {@link #mergeContacts(String, String)}, {@link #engagements(String)},
 * {@link #authorizationCode(String)}, {@link #newRefreshToken()} and {@link
 * #expireAccessTokens()}. Contact changes by API or hook queue
 * signed webhook events, delivered by {@link #webhooks()}.
 *
 * <p>Thread-safe: requests are served concurrently and every method may be called from any
 * thread. See <a href="https://developers.hubspot.com/docs/api/crm/contacts">HubSpot's contacts
 * API</a>, <a href="https://developers.hubspot.com/docs/api/crm/engagements">its engagements
 * APIs</a>, <a href="https://developers.hubspot.com/docs/api/crm/associations">associations
 * v4</a>, <a href="https://developers.hubspot.com/docs/api/oauth-quickstart-guide">OAuth</a> and
 * <a href="https://developers.hubspot.com/docs/api/usage-details">its limits</a>.
 */
public final class HubSpotEmulator implements AutoCloseable {
  /** Size caps the emulator enforces; see the builder for each one's meaning and default. */
  record Limits(int listPageSize, int searchPageSize, int batchInputs, int searchResults) {}

  private static final String PROVIDER = "hubspot";

  private final MockWebServer server;
  private final String accessToken;
  private final HubSpotFaults faults = new HubSpotFaults();
  private final HubSpotCounters counters = new HubSpotCounters();
  private final HubSpotWebhooks webhooks;
  private final CrmState state;
  private final OAuthServer oauth;

  private HubSpotEmulator(Builder builder) {
    this.accessToken = builder.accessToken;
    this.webhooks = new HubSpotWebhooks(builder.clock, builder.appId, builder.portalId, builder.webhookMaxAttempts);
    if (builder.webhookUrl != null) {
      webhooks.target(builder.webhookUrl, builder.webhookSecret);
    }
    this.state = new CrmState(builder.clock, webhooks, builder.firstObjectId);
    state.dealCurrencies(builder.dealCurrencies);
    this.oauth = new OAuthServer(builder.clock, builder.clientId, builder.clientSecret,
        builder.accessTokenLifetime, builder.rotateRefreshTokens, builder.portalId, builder.appId);
    RateLimiter limiter =
        new RateLimiter(
            builder.clock,
            builder.rateLimits,
            builder.tenSecondlyLimit,
            builder.searchPerSecondLimit,
            builder.dailyLimit);
    Limits limits = new Limits(
        builder.listPageSizeCap, builder.searchPageSizeCap, builder.batchInputCap, builder.searchResultCap);
    this.server = new MockWebServer();
    server.setDispatcher(
        new HubSpotDispatcher(
            new ObjectsApi(state, builder.clock, limits, builder.archivedListWithoutArchiveFields),
            new AssociationsApi(state, builder.clock),
            new PipelinesApi(state.pipelines()),
            oauth,
            limiter,
            faults,
            counters,
            accessToken));
    try {
      server.start(Loopback.ADDRESS, builder.port);
    } catch (IOException e) {
      throw new UncheckedIOException("could not start the HubSpot emulator on loopback port " + builder.port, e);
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
    return Loopback.baseUrl(server.getPort());
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
      return Long.toString(
          state.create(ObjectType.CONTACTS, new LinkedHashMap<>(properties), List.of(), ChangeSource.IMPORT).id());
    } catch (ApiError error) {
      throw ValidationException.of("email", properties.get("email"), error.getMessage());
    }
  }

  /**
   * Reads a live contact's properties without a request. A merged-away id reads as its survivor.
   *
   * @param contactId a contact id; not null
   * @return every set property, sorted by name, unmodifiable; empty when no live contact has the id
   */
  public Optional<Map<String, String>> contactProperties(String contactId) {
    CrmObject contact = liveContact(contactId);
    return contact == null ? Optional.empty() : Optional.of(contact.properties());
  }

  /** @return how many live (not archived, not merged away) contacts the emulator holds */
  public int liveContactCount() {
    return state.store(ObjectType.CONTACTS).live().size();
  }

  /**
   * Changes a contact as a user in HubSpot's UI would: no request, no rate budget, {@code
   * lastmodifieddate} moves to the clock's now, and webhook events go out with {@code changeSource
   * CRM_UI}.
   *
   * @param contactId a live contact's id; not null
   * @param properties names to new values; a null or empty value clears the property; not null
   * @return the contact's properties after the change
   * @throws NotFoundException when no live contact has the id
   * @throws ConflictException when the new email belongs to another live contact
   * @throws ValidationException naming {@code email} when the new email is not valid
   */
  public Map<String, String> updateContact(String contactId, Map<String, String> properties) {
    Objects.requireNonNull(properties, "properties");
    CrmObject contact = requireContact(contactId, false);
    return hook(() -> state.update(ObjectType.CONTACTS, contact.id(), new LinkedHashMap<>(properties),
        ChangeSource.CRM_UI).properties(), properties.get("email"));
  }

  /**
   * Deletes (archives) a contact as a user in HubSpot's UI would: no request, no rate budget, the
   * same result as {@code DELETE /crm/v3/objects/contacts/{contactId}}, and a {@code
   * contact.deletion} webhook event with {@code changeSource CRM_UI}. The contact can be brought
   * back with {@link #restoreContact(String)}.
   *
   * @param contactId a live contact's id; not null
   * @throws NotFoundException when no live contact has the id
   * @see <a href="https://knowledge.hubspot.com/records/delete-records">HubSpot: delete records</a>
   */
  public void archiveContact(String contactId) {
    CrmObject contact = requireContact(contactId, false);
    state.archive(ObjectType.CONTACTS, contact.id(), ChangeSource.CRM_UI);
  }

  /**
   * Restores an archived contact as HubSpot's UI can within 90 days of the deletion (the API has
   * no restore). Its id, properties and associations come back; {@code lastmodifieddate} moves to
   * now.
   *
   * @param contactId an archived contact's id; not null
   * @return the contact's properties after the restore
   * @throws NotFoundException when no archived contact has the id
   * @throws ValidationException naming {@code contactId} when it was deleted more than 90 days ago
   * @throws ConflictException when a live contact took its email meanwhile
   * @see <a href="https://knowledge.hubspot.com/records/restore-deleted-records">HubSpot: restore
   *     deleted records</a>
   */
  public Map<String, String> restoreContact(String contactId) {
    CrmObject contact = requireContact(contactId, true);
    try {
      return state.restore(contact.id(), ChangeSource.CRM_UI).properties();
    } catch (ApiError error) {
      if (error.status == 409) {
        throw new ConflictException(PROVIDER, "email", null, error.getMessage());
      }
      throw ValidationException.of("contactId", contactId, error.getMessage());
    }
  }

  /**
   * Merges two live contacts as a user in HubSpot's UI would, with the same result as {@code POST
   * /crm/v3/objects/contacts/merge}.
   *
   * @param primaryId the contact that survives; not null
   * @param mergedId the contact merged into it; not null, not {@code primaryId}
   * @return the survivor's properties
   * @throws NotFoundException when either is not a live contact
   * @throws ValidationException naming {@code mergedId} when both ids are the same
   */
  public Map<String, String> mergeContacts(String primaryId, String mergedId) {
    long primary = requireContact(primaryId, false).id();
    long merged = requireContact(mergedId, false).id();
    if (primary == merged) {
      throw ValidationException.of("mergedId", mergedId, "is the same contact as primaryId " + primaryId);
    }
    return state.merge(primary, merged, ChangeSource.CRM_UI).properties();
  }

  /**
   * Lists the live engagements associated to a contact, without a request.
   *
   * @param contactId a contact id; not null
   * @return the engagements by type (notes, calls, emails, meetings, communications) then id;
   *     empty when there are none or no live contact has the id
   */
  public List<HubSpotEngagement> engagements(String contactId) {
    CrmObject contact = liveContact(contactId);
    return contact == null ? List.of() : state.engagements(contact.id());
  }

  // ------------------------------------------------------------------------------------ deals

  /**
   * Adds a deal pipeline to the account, as an admin would in HubSpot's settings, after HubSpot's
   * default pipeline ({@code default}: appointmentscheduled 0.2, qualifiedtobuy 0.4,
   * presentationscheduled 0.6, decisionmakerboughtin 0.8, contractsent 0.9, closedwon 1.0 and
   * closedlost 0.0). The pipelines API then lists it, and deal writes may use its stages.
   *
   * <p>Stage metadata follows the status: a {@link DealStatus#WON} stage has {@code isClosed true}
   * and {@code probability 1.0}, a {@link DealStatus#LOST} one {@code isClosed true} and {@code 0.0},
   * the open stages {@code isClosed false} and probabilities rising evenly between 0 and 1 (two
   * decimals) in their order.
   *
   * @param pipeline the pipeline; not null
   * @throws IllegalArgumentException when its id or label is taken, or a stage id is a stage of
   *     another pipeline (HubSpot's stage ids are unique in an account)
   */
  public void addDealPipeline(Pipeline pipeline) {
    Objects.requireNonNull(pipeline, "pipeline");
    long open = pipeline.stages().stream().filter(s -> s.status() == DealStatus.OPEN).count();
    List<DealPipelines.Stage> stages = new ArrayList<>();
    int index = 0;
    for (DealStage stage : pipeline.stages()) {
      BigDecimal probability;
      switch (stage.status()) {
        case WON:
          probability = new BigDecimal("1.0");
          break;
        case LOST:
          probability = new BigDecimal("0.0");
          break;
        default:
          index++;
          probability = BigDecimal.valueOf(index).divide(BigDecimal.valueOf(open + 1), 2, RoundingMode.HALF_UP);
          break;
      }
      stages.add(new DealPipelines.Stage(stage.id(), stage.label(), probability, stage.status() != DealStatus.OPEN));
    }
    int order = state.pipelines().all().size();
    state.pipelines().add(new DealPipelines.Pipeline(pipeline.id(), pipeline.label(), order, stages,
        java.time.Instant.EPOCH));
  }

  /**
   * Stores a deal directly, without a request, associated to a contact (type 3 / 4). HubSpot's
   * checks apply: {@code dealstage} is required and must be a stage of the {@code pipeline} (the
   * default when unset).
   *
   * @param properties property names to values; not null
   * @param contactId a live contact's id, or null for a deal associated to no contact
   * @return the new deal's id
   * @throws ValidationException naming the property HubSpot would refuse
   * @throws NotFoundException when no live contact has the id
   */
  public String seedDeal(Map<String, String> properties, String contactId) {
    Objects.requireNonNull(properties, "properties");
    List<CrmState.AssociationInput> links = new ArrayList<>();
    if (contactId != null) {
      requireContact(contactId, false);
      links.add(new CrmState.AssociationInput(contactId, "HUBSPOT_DEFINED", ObjectType.DEALS.toContactTypeId));
    }
    try {
      return Long.toString(state.create(ObjectType.DEALS, new LinkedHashMap<>(properties), links, ChangeSource.IMPORT).id());
    } catch (ApiError error) {
      String field = error.context.keySet().stream().findFirst().orElse("properties");
      throw ValidationException.of(field, properties.get(field), error.getMessage());
    }
  }

  /**
   * Reads a live deal's properties without a request.
   *
   * @param dealId a deal id; not null
   * @return every set property, sorted by name, unmodifiable; empty when no live deal has the id
   */
  public Optional<Map<String, String>> dealProperties(String dealId) {
    Objects.requireNonNull(dealId, "dealId");
    CrmObject deal = Json.isId(dealId) ? state.store(ObjectType.DEALS).get(Long.parseLong(dealId), false) : null;
    return deal == null ? Optional.empty() : Optional.of(deal.properties());
  }

  /**
   * The contacts a deal is associated to, without a request.
   *
   * @param dealId a deal id; not null
   * @return contact ids in increasing order; empty when none or no deal has the id
   */
  public List<String> dealContactIds(String dealId) {
    Objects.requireNonNull(dealId, "dealId");
    if (!Json.isId(dealId)) {
      return List.of();
    }
    return state.links(ObjectType.DEALS, Long.parseLong(dealId), ObjectType.CONTACTS).stream()
        .map(link -> Long.toString(link.toId())).toList();
  }

  /** @return how many live (not archived) deals the emulator holds */
  public int liveDealCount() {
    return state.store(ObjectType.DEALS).live().size();
  }

  /** @return the signed webhook delivery of contact events; set its target to start queueing */
  public HubSpotWebhooks webhooks() {
    return webhooks;
  }

  /**
   * Issues an authorization code, as HubSpot does when a user installs the app and is sent back to
   * {@code redirectUri}. The code is single-use.
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
    return oauth.newAuthorizationCode(redirectUri);
  }

  /**
   * Issues a refresh token directly, as if an install had already happened.
   *
   * @return a refresh token for {@code grant_type=refresh_token}
   * @throws IllegalStateException when no OAuth client is configured
   */
  public String newRefreshToken() {
    requireOAuth();
    return oauth.newRefreshToken();
  }

  /**
   * Makes every access token issued so far expired, so the next API call with one gets 401 {@code
   * EXPIRED_AUTHENTICATION}; refresh tokens stay valid. The private-app token is unaffected.
   */
  public void expireAccessTokens() {
    oauth.expireAccessTokens();
  }

  private void requireOAuth() {
    if (!oauth.configured()) {
      throw new IllegalStateException("no OAuth client is configured; use Builder.oauthClient(clientId, clientSecret)");
    }
  }

  private CrmObject liveContact(String contactId) {
    Objects.requireNonNull(contactId, "contactId");
    return Json.isId(contactId) ? state.store(ObjectType.CONTACTS).get(Long.parseLong(contactId), false) : null;
  }

  private CrmObject requireContact(String contactId, boolean archived) {
    Objects.requireNonNull(contactId, "contactId");
    CrmObject contact =
        Json.isId(contactId) ? state.store(ObjectType.CONTACTS).get(Long.parseLong(contactId), archived) : null;
    if (contact == null) {
      throw new NotFoundException(PROVIDER, archived ? "archived contact" : "contact", contactId);
    }
    return contact;
  }

  private static <T> T hook(Supplier<T> change, String email) {
    try {
      return change.get();
    } catch (ApiError error) {
      if (error.status == 409) {
        throw new ConflictException(PROVIDER, "email", null, error.getMessage());
      }
      throw ValidationException.of("email", email, error.getMessage());
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
    private int port;
    private String clientId;
    private String clientSecret;
    private Duration accessTokenLifetime = Duration.ofMinutes(30);
    private boolean rotateRefreshTokens;
    private long appId = 1_000_001;
    private long portalId = 2_000_002;
    private long firstObjectId = 1;
    private Set<String> dealCurrencies;
    private String webhookUrl;
    private String webhookSecret;
    private int webhookMaxAttempts = 10;
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
    private boolean archivedListWithoutArchiveFields;

    private Builder() {}

    /**
     * @param accessToken the token to accept; not blank; default a random {@code pat-na1-...}
     * @return this
     * @throws NullPointerException naming {@code accessToken} when null
     * @throws IllegalArgumentException naming {@code accessToken} when blank
     */
    public Builder accessToken(String accessToken) {
      Objects.requireNonNull(accessToken, "accessToken");
      if (accessToken.isBlank()) {
        throw new IllegalArgumentException("accessToken must not be blank: '" + accessToken + "'");
      }
      this.accessToken = accessToken;
      return this;
    }

    /**
     * @param port the loopback port to listen on, from 1 to 65535, or 0 for a free port; default 0
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
     * Turns on {@code POST /oauth/v1/token} for one OAuth app. Webhooks are signed with the same
     * client secret, as HubSpot does.
     *
     * @param clientId the app's client id; not blank
     * @param clientSecret the app's client secret; not blank
     * @return this
     * @throws NullPointerException naming {@code clientId} or {@code clientSecret} when null
     * @throws IllegalArgumentException naming {@code clientId} or {@code clientSecret} when blank
     */
    public Builder oauthClient(String clientId, String clientSecret) {
      Objects.requireNonNull(clientId, "clientId");
      if (clientId.isBlank()) {
        throw new IllegalArgumentException("clientId must not be blank: '" + clientId + "'");
      }
      this.clientSecret = HubSpotWebhooks.checkSecret(clientSecret);
      this.clientId = clientId;
      return this;
    }

    /**
     * @param lifetime how long issued access tokens live ({@code expires_in}); more than zero;
     *     default 30 minutes, as HubSpot's
     * @return this
     * @throws NullPointerException naming {@code accessTokenLifetime} when null
     * @throws IllegalArgumentException naming {@code accessTokenLifetime} and the value when under one second
     */
    public Builder accessTokenLifetime(Duration lifetime) {
      Objects.requireNonNull(lifetime, "accessTokenLifetime");
      if (lifetime.isNegative() || lifetime.toSeconds() < 1) {
        throw new IllegalArgumentException("accessTokenLifetime must be one second or more: " + lifetime);
      }
      this.accessTokenLifetime = lifetime;
      return this;
    }

    /**
     * @param rotate whether each refresh returns a new refresh token and retires the old one;
     *     default false (HubSpot's refresh tokens stay the same)
     * @return this
     */
    public Builder rotateRefreshTokens(boolean rotate) {
      this.rotateRefreshTokens = rotate;
      return this;
    }

    /**
     * @param appId the app id webhook events and access-token info ({@code app_id}) carry; one or more;
     *     default 1000001
     * @return this
     * @throws IllegalArgumentException naming {@code appId} and the value when below one
     */
    public Builder appId(long appId) {
      this.appId = positive("appId", appId);
      return this;
    }

    /**
     * @param portalId the account (hub) id webhook events and token responses carry; one or more;
     *     default 2000002
     * @return this
     * @throws IllegalArgumentException naming {@code portalId} and the value when below one
     */
    public Builder portalId(long portalId) {
      this.portalId = positive("portalId", portalId);
      return this;
    }

    /**
     * The account's deal currencies: the company currency and any added in HubSpot's settings. A
     * deal write whose {@code deal_currency_code} is not one of them gets HubSpot's 400
     * INVALID_OPTION. Default: no check beyond three capital letters.
     *
     * @param codes ISO 4217 codes; at least one
     * @return this
     * @throws IllegalArgumentException when none is given or one is not three capital letters
     */
    public Builder dealCurrencies(String... codes) {
      Objects.requireNonNull(codes, "codes");
      Set<String> set = new java.util.TreeSet<>();
      for (String code : codes) {
        if (code == null || !code.matches("[A-Z]{3}")) {
          throw new IllegalArgumentException("a currency code is three capital letters: " + code);
        }
        set.add(code);
      }
      if (set.isEmpty()) {
        throw new IllegalArgumentException("an account has at least its company currency");
      }
      dealCurrencies = set;
      return this;
    }

    /**
     * @param id the id of the first object of each type; one or more; default 1. Emulators of
     *     different accounts in one test can start apart, so ids never coincide across accounts.
     * @return this
     * @throws IllegalArgumentException naming {@code firstObjectId} and the value when below one
     */
    public Builder firstObjectId(long id) {
      this.firstObjectId = positive("firstObjectId", id);
      return this;
    }

    /**
     * Queues webhook events for contact changes from the start; see {@link HubSpotWebhooks}.
     *
     * @param url the absolute http(s) URL events are POSTed to
     * @param clientSecret the app's client secret the events are signed with; not blank
     * @return this
     * @throws NullPointerException naming {@code url} or {@code clientSecret} when null
     * @throws IllegalArgumentException naming {@code url} or {@code clientSecret} when not valid
     */
    public Builder webhooks(String url, String clientSecret) {
      HubSpotWebhooks.checkUrl(url);
      this.webhookSecret = HubSpotWebhooks.checkSecret(clientSecret);
      this.webhookUrl = url;
      return this;
    }

    /**
     * @param attempts how many times a webhook batch is tried before its events are dropped; one
     *     or more; default 10
     * @return this
     * @throws IllegalArgumentException naming {@code webhookMaxAttempts} and the value when below one
     */
    public Builder webhookMaxAttempts(int attempts) {
      this.webhookMaxAttempts = positive("webhookMaxAttempts", attempts);
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
     * @throws IllegalArgumentException naming {@code tenSecondlyLimit} and the value when below one
     */
    public Builder tenSecondlyLimit(int requests) {
      this.tenSecondlyLimit = positive("tenSecondlyLimit", requests);
      return this;
    }

    /**
     * @param requests search requests allowed in any rolling second; default 5
     * @return this
     * @throws IllegalArgumentException naming {@code searchPerSecondLimit} and the value when below one
     */
    public Builder searchPerSecondLimit(int requests) {
      this.searchPerSecondLimit = positive("searchPerSecondLimit", requests);
      return this;
    }

    /**
     * @param requests requests allowed per day, reset at midnight in the clock's zone; default
     *     250,000
     * @return this
     * @throws IllegalArgumentException naming {@code dailyLimit} and the value when below one
     */
    public Builder dailyLimit(int requests) {
      this.dailyLimit = positive("dailyLimit", requests);
      return this;
    }

    /**
     * @param max the largest {@code limit} the list endpoint takes; larger gets 400; default 100
     * @return this
     * @throws IllegalArgumentException naming {@code listPageSizeCap} and the value when below one
     */
    public Builder listPageSizeCap(int max) {
      this.listPageSizeCap = positive("listPageSizeCap", max);
      return this;
    }

    /**
     * @param max the largest {@code limit} search takes; larger gets 400; default 200
     * @return this
     * @throws IllegalArgumentException naming {@code searchPageSizeCap} and the value when below one
     */
    public Builder searchPageSizeCap(int max) {
      this.searchPageSizeCap = positive("searchPageSizeCap", max);
      return this;
    }

    /**
     * @param max the most inputs one batch request takes; more gets 400; default 100
     * @return this
     * @throws IllegalArgumentException naming {@code batchInputCap} and the value when below one
     */
    public Builder batchInputCap(int max) {
      this.batchInputCap = positive("batchInputCap", max);
      return this;
    }

    /**
     * @param max how many results one search query can page through; a cursor at or beyond it
     *     gets 400; default 10,000
     * @return this
     * @throws IllegalArgumentException naming {@code searchResultCap} and the value when below one
     */
    public Builder searchResultCap(int max) {
      this.searchResultCap = positive("searchResultCap", max);
      return this;
    }

    /**
     * A quirk for tests of readers: the archived list ({@code GET /crm/v3/objects/{type}?archived=true})
     * answers its items without {@code archivedAt} (optional in HubSpot's {@code SimplePublicObject}
     * schema) and without {@code archived}, so a reader must take membership of that list as the
     * archive flag and find a deletion time elsewhere. Reads of one object are not affected.
     *
     * @param on true to leave the two fields out; default false
     * @return this
     */
    public Builder archivedListWithoutArchiveFields(boolean on) {
      this.archivedListWithoutArchiveFields = on;
      return this;
    }

    /**
     * Starts the emulator on {@code 127.0.0.1} on the configured port.
     *
     * @return a running emulator; close it when done
     * @throws UncheckedIOException when no loopback port can be bound
     * @throws IllegalStateException when the webhook secret differs from the OAuth client secret
     */
    public HubSpotEmulator build() {
      if (webhookSecret != null && clientSecret != null && !webhookSecret.equals(clientSecret)) {
        throw new IllegalStateException("the webhooks(...) clientSecret differs from the oauthClient(...) client "
            + "secret; HubSpot signs webhooks with the app's client secret");
      }
      return new HubSpotEmulator(this);
    }

    private static int positive(String name, int value) {
      return (int) positive(name, (long) value);
    }

    private static long positive(String name, long value) {
      if (value < 1) {
        throw new IllegalArgumentException(name + " must be one or more: " + value);
      }
      return value;
    }
  }
}
