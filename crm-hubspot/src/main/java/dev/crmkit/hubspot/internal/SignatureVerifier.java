package dev.crmkit.hubspot.internal;

import dev.crmkit.error.SignatureVerificationException;
import dev.crmkit.hubspot.HubSpotSignatureVersion;
import dev.crmkit.hubspot.HubSpotSignatures;
import dev.crmkit.webhook.WebhookRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;
import java.util.function.BiPredicate;

/**
 * Checks a request's HubSpot signature: v3 whenever either v3 header ({@code X-HubSpot-Signature-v3}
 * or {@code X-HubSpot-Request-Timestamp}) is present, else the v1/v2 signature named by {@code
 * X-HubSpot-Signature-Version} if that version is accepted. A call with a v3 header never falls
 * back to v1/v2, so stripping a failing v3 signature cannot downgrade it to a scheme without a
 * timestamp. Immutable and thread-safe.
 */
public final class SignatureVerifier {
  public static final String SIGNATURE = "X-HubSpot-Signature";
  public static final String SIGNATURE_VERSION = "X-HubSpot-Signature-Version";
  public static final String SIGNATURE_V3 = "X-HubSpot-Signature-v3";
  public static final String TIMESTAMP = "X-HubSpot-Request-Timestamp";
  private static final String PROVIDER = "hubspot";

  private final String clientSecret;
  private final Set<HubSpotSignatureVersion> accepted;
  private final Duration tolerance;
  private final Clock clock;
  private final BiPredicate<String, String> comparator;

  /**
   * @param clientSecret the app's client secret
   * @param accepted the versions to accept; not empty. v3 is checked whenever a v3 header is present,
   *     whatever this set holds
   * @param tolerance how far the v3 timestamp may be from the clock, either way
   * @param clock the clock the timestamp is checked against
   * @param comparator compares (expected, actual) signatures; must run in constant time
   */
  public SignatureVerifier(
      String clientSecret, Set<HubSpotSignatureVersion> accepted, Duration tolerance, Clock clock,
      BiPredicate<String, String> comparator) {
    this.clientSecret = clientSecret;
    this.accepted = Set.copyOf(accepted);
    this.tolerance = tolerance;
    this.clock = clock;
    this.comparator = comparator;
  }

  /**
   * @return the version that verified
   * @throws SignatureVerificationException when no accepted signature is present, one is malformed or
   *     wrong, only one of the two v3 headers is present, or the v3 timestamp is outside the tolerance
   */
  public HubSpotSignatureVersion verify(WebhookRequest request) {
    String v3 = request.header(SIGNATURE_V3).orElse(null);
    if (v3 != null || request.header(TIMESTAMP).isPresent()) {
      if (v3 == null) {
        throw fail(TIMESTAMP + " is present without " + SIGNATURE_V3
            + ": a v3 call is verified by v3 only, never by an older signature");
      }
      verifyV3(request, v3);
      return HubSpotSignatureVersion.V3;
    }
    if (!accepted.contains(HubSpotSignatureVersion.V1) && !accepted.contains(HubSpotSignatureVersion.V2)) {
      throw fail("no " + SIGNATURE_V3 + " header (accepted versions " + accepted
          + "; v1 and v2 carry no timestamp and are accepted only when the handler opts in)");
    }
    String signature = request.header(SIGNATURE).orElse(null);
    if (signature == null) {
      throw fail("no accepted HubSpot signature: expected header "
          + (accepted.contains(HubSpotSignatureVersion.V3) ? SIGNATURE_V3 + " or " : "") + SIGNATURE
          + " (accepted versions " + accepted + ")");
    }
    String versionHeader = request.header(SIGNATURE_VERSION).orElse(null);
    HubSpotSignatureVersion version = parseVersion(versionHeader);
    if (!accepted.contains(version)) {
      throw fail("signature version '" + versionHeader + "' is not accepted (accepted versions " + accepted + ")");
    }
    String expected = version == HubSpotSignatureVersion.V1
        ? HubSpotSignatures.v1(clientSecret, request.body())
        : HubSpotSignatures.v2(clientSecret, request.method(), request.url(), request.body());
    if (!comparator.test(expected, signature.strip().toLowerCase(Locale.ROOT))) {
      throw fail(SIGNATURE + " (" + versionHeader + ") does not match the request");
    }
    return version;
  }

  private void verifyV3(WebhookRequest request, String signature) {
    String raw = request.header(TIMESTAMP).orElse(null);
    if (raw == null || raw.isBlank()) {
      throw fail(SIGNATURE_V3 + " needs the header " + TIMESTAMP);
    }
    long millis;
    try {
      millis = Long.parseLong(raw.strip());
    } catch (NumberFormatException e) {
      throw fail(TIMESTAMP + " '" + abbreviate(raw) + "' is not milliseconds since the epoch");
    }
    Instant sent = Instant.ofEpochMilli(millis);
    Instant now = clock.instant();
    Duration skew = Duration.between(sent, now);
    if (skew.abs().compareTo(tolerance) > 0) {
      throw fail(TIMESTAMP + " " + sent + " is " + (skew.isNegative() ? "ahead of" : "older than")
          + " the clock (" + now + ") by more than " + tolerance);
    }
    String expected = HubSpotSignatures.v3(clientSecret, request.method(), request.url(), request.body(), millis);
    if (!comparator.test(expected, signature.strip())) {
      throw fail(SIGNATURE_V3 + " does not match the request");
    }
  }

  private static HubSpotSignatureVersion parseVersion(String header) {
    if (header == null || header.isBlank()) {
      throw fail(SIGNATURE + " needs the header " + SIGNATURE_VERSION + " ('v1' or 'v2')");
    }
    switch (header.strip().toLowerCase(Locale.ROOT)) {
      case "v1":
        return HubSpotSignatureVersion.V1;
      case "v2":
        return HubSpotSignatureVersion.V2;
      default:
        throw fail(SIGNATURE_VERSION + " '" + abbreviate(header) + "' is not 'v1' or 'v2'");
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 37) + "...";
  }

  private static SignatureVerificationException fail(String message) {
    return new SignatureVerificationException(message, PROVIDER, 0, null, null, null);
  }
}
