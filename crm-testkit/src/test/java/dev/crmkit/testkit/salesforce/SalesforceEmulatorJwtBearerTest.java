package dev.crmkit.testkit.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmkit.testkit.MutableClock;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SalesforceEmulatorJwtBearerTest {
  private static final KeyPair KEYS = keys();
  private static final KeyPair OTHER = keys();

  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-10T12:00:00Z"));
  private final SalesforceEmulator emulator =
      SalesforceEmulator.builder().clock(clock).jwtBearer("3MVG9jwt", KEYS.getPublic()).build();
  private final SalesforceHttp http = new SalesforceHttp(emulator);

  @AfterEach
  void stop() {
    emulator.close();
  }

  private static KeyPair keys() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private String assertion(PrivateKey key, String iss, String aud, long exp) throws Exception {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String header = b64.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8));
    String claims = b64.encodeToString(("{\"iss\":\"" + iss + "\",\"sub\":\"ada@example.com\",\"aud\":\"" + aud
        + "\",\"exp\":" + exp + "}").getBytes(StandardCharsets.UTF_8));
    Signature rsa = Signature.getInstance("SHA256withRSA");
    rsa.initSign(key);
    rsa.update((header + "." + claims).getBytes(StandardCharsets.US_ASCII));
    return header + "." + claims + "." + b64.encodeToString(rsa.sign());
  }

  private SalesforceHttp.Answer token(String assertion) {
    return http.send("POST", "/services/oauth2/token",
        "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=" + assertion,
        "application/x-www-form-urlencoded", null);
  }

  @Test
  void aWellSignedAssertionGetsASessionWithoutARefreshToken() throws Exception {
    long exp = clock.instant().getEpochSecond() + 120;

    SalesforceHttp.Answer answer = token(assertion(KEYS.getPrivate(), "3MVG9jwt", "https://login.salesforce.com", exp));

    assertThat(answer.status()).as(answer.text()).isEqualTo(200);
    assertThat(answer.json().get("instance_url").asText()).isEqualTo(emulator.baseUrl());
    assertThat(answer.json().has("refresh_token")).isFalse();
    http.useToken(answer.json().get("access_token").asText());
    assertThat(http.get("/limits").status()).isEqualTo(200);
  }

  @Test
  void badSignaturesIssuersAudiencesAndExpiriesAreRefused() throws Exception {
    long now = clock.instant().getEpochSecond();

    assertThat(token(assertion(OTHER.getPrivate(), "3MVG9jwt", "https://login.salesforce.com", now + 60)).json()
        .get("error").asText()).isEqualTo("invalid_grant");
    assertThat(token(assertion(KEYS.getPrivate(), "other", "https://login.salesforce.com", now + 60)).json()
        .get("error").asText()).isEqualTo("invalid_client_id");
    assertThat(token(assertion(KEYS.getPrivate(), "3MVG9jwt", "https://evil.example.com", now + 60)).json()
        .get("error_description").asText()).isEqualTo("audience is invalid");
    assertThat(token(assertion(KEYS.getPrivate(), "3MVG9jwt", "https://login.salesforce.com", now - 1)).status())
        .isEqualTo(400);
    assertThat(token(assertion(KEYS.getPrivate(), "3MVG9jwt", "https://login.salesforce.com", now + 600)).status())
        .isEqualTo(400);
    assertThat(token("not.a.jwt").json().get("error").asText()).isEqualTo("invalid_grant");
  }
}
