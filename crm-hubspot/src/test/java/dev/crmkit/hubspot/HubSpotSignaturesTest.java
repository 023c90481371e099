package dev.crmkit.hubspot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmkit.error.ValidationException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class HubSpotSignaturesTest {
  private static final String SECRET = "yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy";

  static List<Fixtures.Example> published() {
    return Fixtures.publishedExamples();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("published")
  void reproducesEverySignatureHubSpotPublished(Fixtures.Example e) {
    String computed = switch (e.version()) {
      case "v1" -> HubSpotSignatures.v1(e.clientSecret(), e.body());
      case "v2" -> HubSpotSignatures.v2(e.clientSecret(), e.method(), e.uri(), e.body());
      case "v3" -> HubSpotSignatures.v3(e.clientSecret(), e.method(), e.uri(), e.body(), e.timestamp());
      default -> throw new IllegalArgumentException(e.version());
    };

    assertThat(computed).as(e.source()).isEqualTo(e.signature());
  }

  @Test
  void coversEachVersionWithAPublishedExample() {
    assertThat(published()).extracting(Fixtures.Example::version).contains("v1", "v2", "v3");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "https://a.example/hook%3Ftenant%3Dx|https://a.example/hook?tenant%3Dx",
      "https://a.example/p%3Aq%2Fr%40s%21t%24u%27v%28w%29x%2Ay%2Cz%3B|https://a.example/p:q/r@s!t$u'v(w)x*y,z;",
      "https://a.example/lower%3a%2f%2c|https://a.example/lower:/,",
      "https://a.example/keep%20space%25pct%26amp%3Deq%2Bplus|https://a.example/keep%20space%25pct%26amp%3Deq%2Bplus",
      "https://a.example/once%253A|https://a.example/once%253A",
      "https://a.example/short%3|https://a.example/short%3",
      "https://a.example/end%|https://a.example/end%",
      "https://a.example/plain?x=1&y=2|https://a.example/plain?x=1&y=2"
  })
  void decodesExactlyTheEscapesHubSpotListsForV3(String uri, String decoded) {
    assertThat(HubSpotSignatures.decodeV3Uri(uri)).isEqualTo(decoded);
  }

  @Test
  void givesTheSameV3SignatureForAnEncodedUriAndItsDecodedForm() {
    byte[] body = "[]".getBytes(StandardCharsets.UTF_8);

    assertThat(HubSpotSignatures.v3(SECRET, "POST", "https://a.example/h%3Fx%3A1", body, 1L))
        .isEqualTo(HubSpotSignatures.v3(SECRET, "POST", "https://a.example/h?x:1", body, 1L))
        .isNotEqualTo(HubSpotSignatures.v3(SECRET, "POST", "https://a.example/h?x:1", body, 2L));
  }

  @Test
  void doesNotDecodeTheUriForV2() {
    byte[] body = "[]".getBytes(StandardCharsets.UTF_8);

    assertThat(HubSpotSignatures.v2(SECRET, "POST", "https://a.example/h%3Ax", body))
        .isNotEqualTo(HubSpotSignatures.v2(SECRET, "POST", "https://a.example/h:x", body));
  }

  @Test
  void treatsANullBodyAsEmpty() {
    assertThat(HubSpotSignatures.v1(SECRET, null)).isEqualTo(HubSpotSignatures.v1(SECRET, new byte[0]));
  }

  @Test
  void rejectsBlankArgumentsNamingThem() {
    byte[] body = new byte[0];
    assertThatThrownBy(() -> HubSpotSignatures.v1(" ", body)).isInstanceOf(ValidationException.class).hasMessageContaining("clientSecret");
    assertThatThrownBy(() -> HubSpotSignatures.v2(SECRET, "", "https://a.example/", body))
        .isInstanceOf(ValidationException.class).hasMessageContaining("method");
    assertThatThrownBy(() -> HubSpotSignatures.v3(SECRET, "POST", null, body, 1L))
        .isInstanceOf(ValidationException.class).hasMessageContaining("uri");
  }

  @Test
  void neverEchoesTheSecretInAnError() {
    assertThatThrownBy(() -> HubSpotSignatures.v2("s3cr3t", "POST", " ", new byte[0])).hasMessageNotContaining("s3cr3t");
  }
}
