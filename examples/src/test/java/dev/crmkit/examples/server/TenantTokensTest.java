package dev.crmkit.examples.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TenantTokensTest {
  private static final String ACME = "acme-token-0123456789abcdefghijklmnopqrstuv";
  private static final String GLOBEX = "globex-token-0123456789abcdefghijklmnopqrstu";

  private final TenantTokens tokens = TenantTokens.of(Map.of(ACME, "acme", GLOBEX, "globex"));

  @Test
  void aKnownTokenNamesItsTenant() {
    assertThat(tokens.tenantOf(ACME)).contains("acme");
    assertThat(tokens.tenantOf(GLOBEX)).contains("globex");
  }

  @Test
  void anUnknownNearlyRightBlankOrMissingTokenNamesNoTenant() {
    assertThat(tokens.tenantOf(ACME.substring(0, ACME.length() - 1) + "w")).isEmpty();
    assertThat(tokens.tenantOf(ACME + "x")).isEmpty();
    assertThat(tokens.tenantOf(ACME.toUpperCase())).isEmpty();
    assertThat(tokens.tenantOf("")).isEmpty();
    assertThat(tokens.tenantOf("   ")).isEmpty();
    assertThat(tokens.tenantOf(null)).isEmpty();
  }

  @Test
  void freshTokensAreLongRandomAndUrlSafe() {
    String a = TenantTokens.newToken();
    String b = TenantTokens.newToken();

    assertThat(a).hasSize(43).matches("[A-Za-z0-9_-]+").isNotEqualTo(b);
    assertThat(TenantTokens.of(Map.of(a, "t")).tenantOf(a)).contains("t");
  }

  @Test
  void aShortOrSpacedTokenIsRefusedNamingTheTenantNotTheToken() {
    assertThatThrownBy(() -> TenantTokens.of(Map.of("short-secret", "acme")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tenant 'acme'")
        .hasMessageNotContaining("short-secret");
    String spaced = "with space 0123456789abcdefghijklmnopqrstuv";
    assertThatThrownBy(() -> TenantTokens.of(Map.of(spaced, "acme")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining(spaced);
    assertThatThrownBy(() -> TenantTokens.of(Map.of())).isInstanceOf(IllegalArgumentException.class);
    Map<String, String> nullTenant = new LinkedHashMap<>();
    nullTenant.put(ACME, null);
    assertThatThrownBy(() -> TenantTokens.of(nullTenant)).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("tokenToTenant");
  }

  @Test
  void toStringNamesHowManyTenantsButNoToken() {
    assertThat(tokens.toString()).contains("2 tenants").doesNotContain(ACME).doesNotContain(GLOBEX);
    assertThat(tokens.tenants()).containsExactlyInAnyOrder("acme", "globex");
  }
}
