package dev.crmkit.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmkit.error.ValidationException;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** An integration key applies the tenant id rule of {@code dev.crmkit.TenantIdRuleTest} in crm-core. */
class IntegrationKeyTest {

  static Stream<String> badTenantIds() {
    return Stream.of("acme ", " acme", "acme\t", "\u00a0acme", "acme\u3000", "ac\u0000me", "ac\nme", "a\u0085b",
        "a\ud800", "\udc00a", " ", "", "x".repeat(129));
  }

  @ParameterizedTest
  @MethodSource("badTenantIds")
  void anIntegrationKeyRefusesTheId(String tenantId) {
    assertThatThrownBy(() -> new IntegrationKey(tenantId, "hubspot"))
        .isInstanceOf(ValidationException.class).hasMessageContaining("tenantId");
  }

  @ParameterizedTest
  @ValueSource(strings = {"acme", "Acme GmbH", "caf\u00e9", "cafe\u0301", "\ud83d\ude00-shop", "a b", "t-1/eu"})
  void idsWithInnerSpacesAnyCaseAnyNormalizationOrPairedSurrogatesAreKeptAsGiven(String tenantId) {
    assertThat(new IntegrationKey(tenantId, "hubspot").tenantId()).isEqualTo(tenantId);
  }
}
