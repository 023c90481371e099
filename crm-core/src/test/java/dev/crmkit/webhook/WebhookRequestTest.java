package dev.crmkit.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmkit.error.ValidationException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebhookRequestTest {
  private static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");

  private static WebhookRequest.Builder valid() {
    return WebhookRequest.builder().method("post").url("https://app.example/hooks/hubspot?tenant=a").receivedAt(NOW);
  }

  @Test
  void findsHeadersWhateverTheirCase() {
    WebhookRequest request = valid()
        .header("X-HubSpot-Signature", "abc")
        .headers(Map.of("content-type", List.of("application/json")))
        .build();

    assertThat(request.header("x-hubspot-signature")).contains("abc");
    assertThat(request.header("CONTENT-TYPE")).contains("application/json");
    assertThat(request.headers().get("X-HUBSPOT-SIGNATURE")).containsExactly("abc");
    assertThat(request.header("X-Missing")).isEmpty();
  }

  @Test
  void keepsEveryValueOfARepeatedHeaderInOrder() {
    WebhookRequest request = valid().header("Via", "a").header("via", "b").build();

    assertThat(request.headers().get("VIA")).containsExactly("a", "b");
    assertThat(request.header("via")).contains("a");
  }

  @Test
  void upperCasesTheMethodAndKeepsTheUrlAsGiven() {
    WebhookRequest request = valid().build();

    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.url()).isEqualTo("https://app.example/hooks/hubspot?tenant=a");
    assertThat(request.receivedAt()).isEqualTo(NOW);
  }

  @Test
  void copiesTheBodySoNeitherSideCanChangeIt() {
    byte[] bytes = "[1]".getBytes(StandardCharsets.UTF_8);
    WebhookRequest request = valid().body(bytes).build();
    bytes[0] = 'x';
    request.body()[1] = 'y';

    assertThat(request.bodyAsString()).isEqualTo("[1]");
    assertThat(request.bodyLength()).isEqualTo(3);
  }

  @Test
  void treatsAMissingBodyAsEmpty() {
    assertThat(valid().body((byte[]) null).build().body()).isEmpty();
    assertThat(valid().body((String) null).build().bodyAsString()).isEmpty();
  }

  @Test
  void redactsSignatureAndAuthorizationHeadersInToString() {
    WebhookRequest request = valid()
        .header("X-HubSpot-Signature-v3", "secret-sig")
        .header("Authorization", "Bearer t0ken")
        .header("Content-Type", "application/json")
        .body("[{\"eventId\":1}]")
        .build();

    assertThat(request.toString())
        .doesNotContain("secret-sig", "t0ken", "eventId")
        .contains("X-HubSpot-Signature-v3=[redacted]", "Content-Type=[application/json]", "15 bytes", "POST https://app.example");
  }

  @Test
  void redactsSecretQueryParametersOfTheUrlInToString() {
    WebhookRequest request = WebhookRequest.builder().method("POST")
        .url("https://app.example/hooks?tenant=acme&token=tok-1&access_token=at-2&key=k-3&api_key=ak-4"
            + "&secret=s-5&signature=sg-6&sig=sg-7&password=pw-8&Token=tok-9#frag")
        .receivedAt(java.time.Instant.EPOCH).build();

    assertThat(request.toString())
        .doesNotContain("tok-1", "at-2", "k-3", "ak-4", "s-5", "sg-6", "sg-7", "pw-8", "tok-9")
        .contains("https://app.example/hooks?tenant=acme&token=***&access_token=***&key=***", "#frag");
    assertThat(request.url()).contains("token=tok-1");
  }

  @Test
  void rejectsEachBadPartNamingIt() {
    assertThatThrownBy(() -> valid().method(" ")).isInstanceOf(ValidationException.class).hasMessageContaining("method");
    assertThatThrownBy(() -> valid().method("PO ST")).isInstanceOf(ValidationException.class).hasMessageContaining("'PO ST'");
    assertThatThrownBy(() -> valid().url(null)).isInstanceOf(ValidationException.class).hasMessageContaining("url");
    assertThatThrownBy(() -> valid().url("/hooks/hubspot")).isInstanceOf(ValidationException.class)
        .hasMessageContaining("'/hooks/hubspot'").hasMessageContaining("absolute");
    assertThatThrownBy(() -> valid().url("ftp://host/x")).isInstanceOf(ValidationException.class).hasMessageContaining("ftp://host/x");
    assertThatThrownBy(() -> valid().url("https://host/a b")).isInstanceOf(ValidationException.class).hasMessageContaining("not a URI");
    assertThatThrownBy(() -> valid().header(" ", "v")).isInstanceOf(ValidationException.class).hasMessageContaining("headers");
    assertThatThrownBy(() -> valid().header("X-A", null)).isInstanceOf(ValidationException.class).hasMessageContaining("headers.X-A");
  }

  @Test
  void refusesToBuildWithoutMethodUrlOrReceiveTime() {
    assertThatThrownBy(() -> WebhookRequest.builder().url("https://a.example/").receivedAt(NOW).build())
        .isInstanceOf(ValidationException.class).hasMessageContaining("method");
    assertThatThrownBy(() -> WebhookRequest.builder().method("POST").receivedAt(NOW).build())
        .isInstanceOf(ValidationException.class).hasMessageContaining("url");
    assertThatThrownBy(() -> WebhookRequest.builder().method("POST").url("https://a.example/").build())
        .isInstanceOf(ValidationException.class).hasMessageContaining("receivedAt");
  }

  @Test
  void keepsTheSendersAddressAsALiteralOfEitherFamily() {
    assertThat(valid().remoteAddress("13.108.0.10").build().remoteAddress()).get()
        .extracting(java.net.InetAddress::getHostAddress).isEqualTo("13.108.0.10");
    assertThat(valid().remoteAddress("[2001:db8::1]").build().remoteAddress()).get()
        .extracting(java.net.InetAddress::getHostAddress).isEqualTo("2001:db8:0:0:0:0:0:1");
    assertThat(valid().build().remoteAddress()).isEmpty();
    assertThat(valid().remoteAddress("10.0.0.1").build().toString()).contains("remoteAddress=10.0.0.1");
  }

  @Test
  void refusesAHostNameAsTheSendersAddressSoNothingIsResolved() {
    for (String bad : List.of("localhost", "example.com", "abc.def", "", "1.2.3.4.5", "999.1.1.1", "1.2.3", "::g")) {
      assertThatThrownBy(() -> valid().remoteAddress(bad), bad)
          .isInstanceOf(ValidationException.class).hasMessageContaining("remoteAddress");
    }
  }
}
