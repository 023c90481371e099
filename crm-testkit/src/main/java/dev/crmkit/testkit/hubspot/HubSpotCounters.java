package dev.crmkit.testkit.hubspot;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the emulator has received and answered, for tests and benchmarks. Every request counts
 * under its endpoint, including ones answered with a fault, 401 or 429. Endpoints are named
 * {@code "<METHOD> <path template>"}, for example {@value #SEARCH}; requests to no known endpoint
 * count under {@value #UNKNOWN}.
 *
 * <p>The v3 objects API of the engagement types is named the same way as the contacts one with
 * the type in the path and HubSpot's id parameter: {@code "POST /crm/v3/objects/notes"}, {@code
 * "GET /crm/v3/objects/notes/{noteId}"}, {@code "POST /crm/v3/objects/calls/search"}, {@code
 * "POST /crm/v3/objects/meetings/batch/create"}; the id parameters are {@code noteId}, {@code
 * callId}, {@code emailId}, {@code meetingId} and {@code communicationId}. Thread-safe.
 */
public final class HubSpotCounters {
  /** {@code GET /crm/v3/objects/contacts}: list a page of contacts. */
  public static final String LIST = "GET /crm/v3/objects/contacts";
  /** {@code POST /crm/v3/objects/contacts}: create one contact. */
  public static final String CREATE = "POST /crm/v3/objects/contacts";
  /** {@code GET /crm/v3/objects/contacts/{contactId}}: read one contact. */
  public static final String READ = "GET /crm/v3/objects/contacts/{contactId}";
  /** {@code PATCH /crm/v3/objects/contacts/{contactId}}: update one contact. */
  public static final String UPDATE = "PATCH /crm/v3/objects/contacts/{contactId}";
  /** {@code DELETE /crm/v3/objects/contacts/{contactId}}: archive one contact. */
  public static final String ARCHIVE = "DELETE /crm/v3/objects/contacts/{contactId}";
  /** {@code POST /crm/v3/objects/contacts/search}. */
  public static final String SEARCH = "POST /crm/v3/objects/contacts/search";
  /** {@code POST /crm/v3/objects/contacts/batch/read}. */
  public static final String BATCH_READ = "POST /crm/v3/objects/contacts/batch/read";
  /** {@code POST /crm/v3/objects/contacts/batch/create}. */
  public static final String BATCH_CREATE = "POST /crm/v3/objects/contacts/batch/create";
  /** {@code POST /crm/v3/objects/contacts/batch/update}. */
  public static final String BATCH_UPDATE = "POST /crm/v3/objects/contacts/batch/update";
  /** {@code POST /crm/v3/objects/contacts/batch/upsert}. */
  public static final String BATCH_UPSERT = "POST /crm/v3/objects/contacts/batch/upsert";
  /** {@code POST /crm/v3/objects/contacts/batch/archive}. */
  public static final String BATCH_ARCHIVE = "POST /crm/v3/objects/contacts/batch/archive";
  /** {@code POST /crm/v3/objects/contacts/merge}. */
  public static final String MERGE = "POST /crm/v3/objects/contacts/merge";
  /** {@code POST /crm/v3/objects/contacts/gdpr-delete}. */
  public static final String GDPR_DELETE = "POST /crm/v3/objects/contacts/gdpr-delete";
  /** {@code GET /crm/v4/objects/{fromObjectType}/{objectId}/associations/{toObjectType}}. */
  public static final String ASSOCIATIONS_LIST =
      "GET /crm/v4/objects/{fromObjectType}/{objectId}/associations/{toObjectType}";
  /** {@code PUT /crm/v4/objects/{fromObjectType}/{fromObjectId}/associations/default/{toObjectType}/{toObjectId}}. */
  public static final String ASSOCIATE_DEFAULT =
      "PUT /crm/v4/objects/{fromObjectType}/{fromObjectId}/associations/default/{toObjectType}/{toObjectId}";
  /** {@code DELETE /crm/v4/objects/{objectType}/{objectId}/associations/{toObjectType}/{toObjectId}}. */
  public static final String DISASSOCIATE =
      "DELETE /crm/v4/objects/{objectType}/{objectId}/associations/{toObjectType}/{toObjectId}";
  /** {@code POST /crm/v3/objects/deals} (also reached as {@code /crm/v3/objects/0-3}). */
  public static final String CREATE_DEAL = "POST /crm/v3/objects/deals";
  /** {@code GET /crm/v3/objects/deals/{dealId}}. */
  public static final String READ_DEAL = "GET /crm/v3/objects/deals/{dealId}";
  /** {@code PATCH /crm/v3/objects/deals/{dealId}}. */
  public static final String UPDATE_DEAL = "PATCH /crm/v3/objects/deals/{dealId}";
  /** {@code GET /crm/v3/pipelines/{objectType}}. */
  public static final String PIPELINES = "GET /crm/v3/pipelines/{objectType}";
  /** {@code GET /oauth/authorize}: the consent page. */
  public static final String OAUTH_AUTHORIZE = "GET /oauth/authorize";
  /** {@code POST /oauth/authorize}: the consent page's "Allow" or "Deny". */
  public static final String OAUTH_ALLOW = "POST /oauth/authorize";
  /** {@code GET /oauth/v1/access-tokens/{token}}: an access token's hub id, scopes and expiry. */
  public static final String ACCESS_TOKEN_INFO = "GET /oauth/v1/access-tokens/{token}";
  /** {@code POST /oauth/v1/token}. */
  public static final String OAUTH_TOKEN = "POST /oauth/v1/token";
  /** Any request that matches none of the endpoints above. */
  public static final String UNKNOWN = "OTHER";

  private final Map<String, LongAdder> byEndpoint = new ConcurrentHashMap<>();
  private final LongAdder rateLimited = new LongAdder();

  HubSpotCounters() {}

  /**
   * @param endpoint one of this class's constants; not null
   * @return requests received for it since start or the last {@link #reset()}; 0 if none
   */
  public long requests(String endpoint) {
    LongAdder adder = byEndpoint.get(endpoint);
    return adder == null ? 0 : adder.sum();
  }

  /** @return a snapshot of requests per endpoint, sorted by endpoint; only endpoints with requests */
  public Map<String, Long> requestsByEndpoint() {
    Map<String, Long> snapshot = new TreeMap<>();
    byEndpoint.forEach((endpoint, adder) -> snapshot.put(endpoint, adder.sum()));
    return Collections.unmodifiableMap(snapshot);
  }

  /** @return every request received since start or the last {@link #reset()} */
  public long totalRequests() {
    return byEndpoint.values().stream().mapToLong(LongAdder::sum).sum();
  }

  /** @return 429 answers sent since start or the last {@link #reset()} */
  public long rateLimitedResponses() {
    return rateLimited.sum();
  }

  /** Sets every counter back to zero. */
  public void reset() {
    byEndpoint.clear();
    rateLimited.reset();
  }

  void recordRequest(String endpoint) {
    byEndpoint.computeIfAbsent(endpoint, e -> new LongAdder()).increment();
  }

  void recordRateLimited() {
    rateLimited.increment();
  }
}
