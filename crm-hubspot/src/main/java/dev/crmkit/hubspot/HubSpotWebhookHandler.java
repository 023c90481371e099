package dev.crmkit.hubspot;

import dev.crmkit.error.SignatureVerificationException;
import dev.crmkit.error.ValidationException;
import dev.crmkit.hubspot.internal.EventParser;
import dev.crmkit.hubspot.internal.SignatureVerifier;
import dev.crmkit.webhook.WebhookHandler;
import dev.crmkit.webhook.WebhookRequest;
import dev.crmkit.webhook.WebhookResponse;
import dev.crmkit.webhook.WebhookResult;
import dev.crmkit.webhook.WebhookSignatures;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Verifies and parses HubSpot webhook calls. Built with {@link #builder()}; immutable and
 * thread-safe, so one instance per HubSpot app serves every call.
 *
 * <p>Size: a body longer than {@link Builder#maxBodyBytes} (default {@value #DEFAULT_MAX_BODY_BYTES}
 * bytes) is answered with a complete 413 response and no events, before any signature work.
 *
 * <p>Verification: by default only v3 is accepted. When the request carries either v3 header
 * ({@code X-HubSpot-Signature-v3} or {@code X-HubSpot-Request-Timestamp}), the v3 signature is
 * checked (HMAC-SHA256 over method, URI with HubSpot's listed escapes decoded, body and {@code
 * X-HubSpot-Request-Timestamp}) and the timestamp must lie within the tolerance of the clock, in
 * either direction; such a call is never verified by an older signature, so removing a failing v3
 * header pair half-way does not downgrade it. Only a call with no v3 header at all is checked by
 * {@code X-HubSpot-Signature} as the version {@code X-HubSpot-Signature-Version} names (v1 or v2),
 * and only when the builder opted in to that version: v1 and v2 carry no timestamp, so a recorded
 * call can be replayed for ever. Signatures are compared in constant time.
 *
 * <p>Parsing: the body must be a JSON array of event objects ({@code eventId}, {@code
 * subscriptionType} such as {@code contact.creation}, {@code occurredAt} in epoch milliseconds,
 * {@code objectId}, and per type {@code propertyName}/{@code propertyValue}, {@code mergedObjectIds}/
 * {@code primaryObjectId}/{@code newObjectId}, or {@code fromObjectId}/{@code toObjectId}/{@code
 * associationType}). Known actions ({@code creation}, {@code propertyChange}, {@code deletion},
 * {@code privacyDeletion}, {@code merge}, {@code restore}, {@code associationChange}) map to {@link
 * dev.crmkit.webhook.ChangeEventType}s for any object type; other subscription types become {@code
 * UNKNOWN} events, and elements that are not events (or belong to another app when an app id is
 * set) are listed in {@link WebhookResult#unparsed()}. The response is 200 with an empty body for
 * every verified batch, so HubSpot does not retry a batch that was received.
 *
 * @see <a href="https://developers.hubspot.com/docs/api/webhooks/validating-requests">HubSpot: validating requests</a>
 * @see <a href="https://developers.hubspot.com/docs/api/webhooks">HubSpot: webhooks API</a>
 */
public final class HubSpotWebhookHandler implements WebhookHandler {
  /** How far {@code X-HubSpot-Request-Timestamp} may be from the clock by default: 5 minutes, as HubSpot documents. */
  public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);
  /** The largest body handled by default: 1 MiB. HubSpot sends at most 100 events per call, far below it. */
  public static final int DEFAULT_MAX_BODY_BYTES = 1 << 20;
  /** The largest {@link Builder#maxBodyBytes} accepted: 64 MiB. */
  public static final int MAX_BODY_BYTES_LIMIT = 64 << 20;

  private final Long appId;
  private final Set<HubSpotSignatureVersion> acceptedVersions;
  private final Duration tolerance;
  private final int maxBodyBytes;
  private final SignatureVerifier verifier;
  private final EventParser parser = new EventParser();

  private HubSpotWebhookHandler(Builder b) {
    this.appId = b.appId;
    this.acceptedVersions = Set.copyOf(b.acceptedVersions);
    this.tolerance = b.tolerance;
    this.maxBodyBytes = b.maxBodyBytes;
    this.verifier = new SignatureVerifier(b.clientSecret, acceptedVersions, tolerance, b.clock,
        WebhookSignatures::constantTimeEquals);
  }

  /**
   * A builder: client secret required; only v3 accepted, {@link #DEFAULT_TOLERANCE}, {@link
   * #DEFAULT_MAX_BODY_BYTES}, the UTC system clock.
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Checks the body size, verifies the signature, then parses the events.
   *
   * @param request the call as received, with the raw body and the full URL HubSpot called; not {@code null}
   * @return the events in payload order, a 200 response with an empty body, and the unparsed elements;
   *     or, when the body is longer than {@link #maxBodyBytes()}, no events and a 413 response with a
   *     plain-text body saying the limit (nothing was verified or parsed: answer it as is)
   * @throws SignatureVerificationException when no accepted signature header is present, the version
   *     header is missing or unknown, the timestamp is missing, malformed or outside the tolerance, or
   *     the signature does not match; nothing was parsed
   * @throws ValidationException (field {@code body}) when the verified body is empty, not JSON, or not
   *     a JSON array
   * @throws NullPointerException naming {@code request} when it is {@code null}
   */
  @Override
  public WebhookResult handle(WebhookRequest request) {
    Objects.requireNonNull(request, "request");
    if (request.bodyLength() > maxBodyBytes) {
      return new WebhookResult(List.of(), new WebhookResponse(413, "text/plain; charset=utf-8",
          "webhook body of " + request.bodyLength() + " bytes is over the limit of " + maxBodyBytes + " bytes"), List.of());
    }
    verifier.verify(request);
    EventParser.Parsed parsed = parser.parse(request.body(), appId);
    return new WebhookResult(parsed.events(), WebhookResponse.ok(), parsed.unparsed());
  }

  /** The versions this handler accepts; never empty. */
  public Set<HubSpotSignatureVersion> acceptedVersions() {
    return acceptedVersions;
  }

  /** The replay tolerance for v3 timestamps. */
  public Duration tolerance() {
    return tolerance;
  }

  /** The largest body, in bytes, that is verified and parsed; a longer one is answered 413. */
  public int maxBodyBytes() {
    return maxBodyBytes;
  }

  /** Settings without the client secret. */
  @Override
  public String toString() {
    return "HubSpotWebhookHandler{clientSecret=redacted, appId=" + appId + ", acceptedVersions=" + acceptedVersions
        + ", tolerance=" + tolerance + ", maxBodyBytes=" + maxBodyBytes + "}";
  }

  /** Collects a handler's settings; setters reject bad values at once. Not thread-safe. */
  public static final class Builder {
    private String clientSecret;
    private Long appId;
    private Set<HubSpotSignatureVersion> acceptedVersions = EnumSet.of(HubSpotSignatureVersion.V3);
    private Duration tolerance = DEFAULT_TOLERANCE;
    private int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /**
     * @param clientSecret the HubSpot app's client secret (app settings, Auth tab); required. Never
     *     logged or shown by {@code toString()}.
     * @return this builder
     * @throws NullPointerException naming {@code clientSecret} when {@code null}
     * @throws IllegalArgumentException naming {@code clientSecret} when blank
     */
    public Builder clientSecret(String clientSecret) {
      Objects.requireNonNull(clientSecret, "clientSecret");
      if (clientSecret.isBlank()) {
        throw new IllegalArgumentException("clientSecret must not be blank: use the HubSpot app's client secret");
      }
      this.clientSecret = clientSecret;
      return this;
    }

    /**
     * @param appId the HubSpot app id; when set, events whose {@code appId} differs are reported as
     *     unparsed instead of delivered. Default: not set (every app's events are delivered).
     * @return this builder
     * @throws IllegalArgumentException naming {@code appId} and the value when not positive
     */
    public Builder appId(long appId) {
      if (appId <= 0) {
        throw new IllegalArgumentException("appId must be a positive HubSpot app id: " + appId);
      }
      this.appId = appId;
      return this;
    }

    /**
     * @param versions the signature versions to accept; at least one. Default: {@link
     *     HubSpotSignatureVersion#V3} only. Naming {@link HubSpotSignatureVersion#V1} or {@link
     *     HubSpotSignatureVersion#V2} opts in to calls that carry no v3 header, whose signatures have
     *     no timestamp and so no replay protection. A call carrying either v3 header is verified by
     *     v3 whatever this set holds, never by v1 or v2.
     * @return this builder
     * @throws NullPointerException naming {@code acceptedVersions} when {@code null} or containing {@code null}
     * @throws IllegalArgumentException naming {@code acceptedVersions} when empty
     */
    public Builder acceptedVersions(HubSpotSignatureVersion... versions) {
      Objects.requireNonNull(versions, "acceptedVersions");
      if (versions.length == 0) {
        throw new IllegalArgumentException("acceptedVersions must name at least one of "
            + Set.of(HubSpotSignatureVersion.values()) + ": []");
      }
      EnumSet<HubSpotSignatureVersion> set = EnumSet.noneOf(HubSpotSignatureVersion.class);
      for (HubSpotSignatureVersion v : versions) {
        set.add(Objects.requireNonNull(v, "acceptedVersions"));
      }
      this.acceptedVersions = set;
      return this;
    }

    /**
     * @param tolerance how far the v3 timestamp may be from the clock, in either direction; positive
     *     and at most one hour. Default: {@link #DEFAULT_TOLERANCE}.
     * @return this builder
     * @throws NullPointerException naming {@code tolerance} when {@code null}
     * @throws IllegalArgumentException naming {@code tolerance} and the value when zero, negative or over one hour
     */
    public Builder tolerance(Duration tolerance) {
      Objects.requireNonNull(tolerance, "tolerance");
      if (tolerance.isZero() || tolerance.isNegative() || tolerance.compareTo(Duration.ofHours(1)) > 0) {
        throw new IllegalArgumentException("tolerance must be positive and at most PT1H: " + tolerance);
      }
      this.tolerance = tolerance;
      return this;
    }

    /**
     * @param maxBodyBytes the largest body, in bytes, that is verified and parsed; 1 to {@value
     *     #MAX_BODY_BYTES_LIMIT}. A longer body is answered with a complete 413 response and no
     *     events. Default: {@value #DEFAULT_MAX_BODY_BYTES}. The host's server should stop reading a
     *     call at this size plus one byte, so it never buffers more than the handler will look at.
     * @return this builder
     * @throws IllegalArgumentException naming {@code maxBodyBytes} and the value when below 1 or above
     *     {@value #MAX_BODY_BYTES_LIMIT}
     */
    public Builder maxBodyBytes(int maxBodyBytes) {
      if (maxBodyBytes < 1 || maxBodyBytes > MAX_BODY_BYTES_LIMIT) {
        throw new IllegalArgumentException("maxBodyBytes must be 1 to " + MAX_BODY_BYTES_LIMIT + ": " + maxBodyBytes);
      }
      this.maxBodyBytes = maxBodyBytes;
      return this;
    }

    /**
     * @param clock the clock v3 timestamps are checked against; not {@code null}. Default: {@link
     *     Clock#systemUTC()}.
     * @return this builder
     * @throws NullPointerException naming {@code clock} when {@code null}
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * @return the handler
     * @throws IllegalStateException when the client secret was not set
     */
    public HubSpotWebhookHandler build() {
      if (clientSecret == null) {
        throw new IllegalStateException("HubSpotWebhookHandler needs clientSecret(...): the HubSpot app's client secret");
      }
      return new HubSpotWebhookHandler(this);
    }
  }
}
