package dev.crmkit.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmkit.IntegrationFactory;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The OAuth connect SPI's values: checked on construction, secrets never printed. */
class OAuthConnectTypesTest {
  private static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

  @Test
  void aGrantCopiesItsMapsAndPrintsCredentialKeysOnly() {
    Map<String, String> credentials = new HashMap<>(Map.of("accessToken", "at-secret", "refreshToken", "rt-secret"));
    OAuthGrant grant = new OAuthGrant(credentials, Map.of("instanceUrl", "https://acme.my.salesforce.com"), "00D000000000001");
    credentials.clear();

    assertThat(grant.credentials()).containsOnlyKeys("accessToken", "refreshToken");
    assertThat(grant.toString()).contains("accessToken", "refreshToken", "instanceUrl", "00D000000000001")
        .doesNotContain("at-secret").doesNotContain("rt-secret");
    assertThatThrownBy(() -> grant.credentials().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void aGrantNeedsCredentialsWithValuesAndAnAccount() {
    assertThatThrownBy(() -> new OAuthGrant(Map.of(), Map.of(), "1")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("credentials");
    assertThatThrownBy(() -> new OAuthGrant(Map.of("accessToken", " "), Map.of(), "1"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("accessToken");
    assertThatThrownBy(() -> new OAuthGrant(Map.of("accessToken", "t"), Map.of(), " "))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("accountId");
    assertThatThrownBy(() -> new OAuthGrant(Map.of("accessToken", "t"), null, "1"))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("settings");
  }

  @Test
  void anAuthorizationHidesItsVerifierAndRefusesOneRfc7636Forbids() {
    OAuthAuthorization a = new OAuthAuthorization(URI.create("https://login.example/authorize?state=s"), VERIFIER);

    assertThat(a.toString()).contains("login.example").doesNotContain(VERIFIER);
    assertThat(new OAuthAuthorization(URI.create("https://x/a"), null).codeVerifier()).isNull();
    assertThatThrownBy(() -> new OAuthAuthorization(URI.create("https://x/a"), "too-short"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("codeVerifier").hasMessageNotContaining("too-short");
    assertThatThrownBy(() -> new OAuthAuthorization(URI.create("https://x/a"), VERIFIER + "!"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new OAuthAuthorization(null, VERIFIER)).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("url");
  }

  @Test
  void theFactoryFindsNoConnectorForAProviderWithoutOAuthOrAnUnknownOne() {
    try (IntegrationFactory factory = IntegrationFactory.builder().build()) {
      assertThat(factory.oauth("memory")).isEmpty();
      assertThat(factory.oauth("no-such-provider")).isEmpty();
      assertThatThrownBy(() -> factory.oauth(null)).isInstanceOf(NullPointerException.class);
    }
  }
}
