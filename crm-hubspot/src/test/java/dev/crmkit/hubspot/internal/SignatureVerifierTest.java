package dev.crmkit.hubspot.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmkit.error.SignatureVerificationException;
import dev.crmkit.hubspot.HubSpotSignatureVersion;
import dev.crmkit.hubspot.HubSpotSignatures;
import dev.crmkit.webhook.WebhookRequest;
import dev.crmkit.webhook.WebhookSignatures;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class SignatureVerifierTest {
  private static final String SECRET = "yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy";
  private static final String URL = "https://www.example.com/webhook_uri";
  private static final Instant NOW = Instant.ofEpochMilli(1_763_719_200_000L);
  private static final byte[] BODY = "[]".getBytes(StandardCharsets.UTF_8);

  /** Records every comparison and answers as the production comparator does. */
  private static final class RecordingComparator {
    final List<String[]> calls = new ArrayList<>();

    boolean test(String expected, String actual) {
      calls.add(new String[] {expected, actual});
      return WebhookSignatures.constantTimeEquals(expected, actual);
    }
  }

  private static SignatureVerifier verifier(RecordingComparator comparator) {
    return new SignatureVerifier(SECRET, EnumSet.allOf(HubSpotSignatureVersion.class), Duration.ofMinutes(5),
        Clock.fixed(NOW, ZoneOffset.UTC), comparator::test);
  }

  private static WebhookRequest.Builder request() {
    return WebhookRequest.builder().method("POST").url(URL).body(BODY).receivedAt(NOW);
  }

  @Test
  void comparesV3SignaturesOnlyThroughTheConstantTimeComparator() {
    RecordingComparator comparator = new RecordingComparator();
    String signature = HubSpotSignatures.v3(SECRET, "POST", URL, BODY, NOW.toEpochMilli());
    WebhookRequest request = request().header(SignatureVerifier.SIGNATURE_V3, signature)
        .header(SignatureVerifier.TIMESTAMP, Long.toString(NOW.toEpochMilli())).build();

    assertThat(verifier(comparator).verify(request)).isEqualTo(HubSpotSignatureVersion.V3);
    assertThat(comparator.calls).singleElement().satisfies(c -> assertThat(c).containsExactly(signature, signature));
  }

  @Test
  void comparesV1AndV2SignaturesOnlyThroughTheConstantTimeComparator() {
    RecordingComparator comparator = new RecordingComparator();
    WebhookRequest v1 = request().header(SignatureVerifier.SIGNATURE, "0".repeat(64))
        .header(SignatureVerifier.SIGNATURE_VERSION, "v1").build();
    WebhookRequest v2 = request().header(SignatureVerifier.SIGNATURE, HubSpotSignatures.v2(SECRET, "POST", URL, BODY).toUpperCase())
        .header(SignatureVerifier.SIGNATURE_VERSION, "V2").build();

    assertThatThrownBy(() -> verifier(comparator).verify(v1)).isInstanceOf(SignatureVerificationException.class);
    assertThat(verifier(comparator).verify(v2)).isEqualTo(HubSpotSignatureVersion.V2);
    assertThat(comparator.calls).extracting(c -> c[1])
        .containsExactly("0".repeat(64), HubSpotSignatures.v2(SECRET, "POST", URL, BODY));
    assertThat(comparator.calls).extracting(c -> c[0])
        .containsExactly(HubSpotSignatures.v1(SECRET, BODY), HubSpotSignatures.v2(SECRET, "POST", URL, BODY));
  }

  @Test
  void doesNotCompareAtAllWhenTheTimestampIsOutsideTheWindow() {
    RecordingComparator comparator = new RecordingComparator();
    long old = NOW.minus(Duration.ofMinutes(10)).toEpochMilli();
    WebhookRequest request = request().header(SignatureVerifier.SIGNATURE_V3, HubSpotSignatures.v3(SECRET, "POST", URL, BODY, old))
        .header(SignatureVerifier.TIMESTAMP, Long.toString(old)).build();

    assertThatThrownBy(() -> verifier(comparator).verify(request)).isInstanceOfSatisfying(SignatureVerificationException.class,
        e -> assertThat(e.provider()).isEqualTo("hubspot"));
    assertThat(comparator.calls).isEmpty();
  }
}
