package dev.crmkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmkit.error.ConfigurationException;
import dev.crmkit.error.ValidationException;
import dev.crmkit.inbound.InboundMessage;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every door a tenant id comes in by applies one rule: no leading or trailing whitespace, no control
 * characters, no unpaired surrogates, 1 to 128 characters. A PAD SPACE database would take
 * {@code "acme "} for {@code "acme"}; the others are invisible or rewritten on the way to the database.
 */
class TenantIdRuleTest {
  private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

  static Stream<String> badTenantIds() {
    return Stream.of("acme ", " acme", "acme\t", "\u00a0acme", "acme\u3000", "ac\u0000me", "ac\nme", "a\u0085b",
        "a\ud800", "\udc00a", " ", "", "x".repeat(129));
  }

  @ParameterizedTest
  @MethodSource("badTenantIds")
  void aTenantConfigRefusesTheIdAsAConfigurationError(String tenantId) {
    assertThatThrownBy(() -> TenantConfig.builder(tenantId, "memory").build())
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("tenantId")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\u0000").doesNotContain("\n"));
  }

  @ParameterizedTest
  @MethodSource("badTenantIds")
  void anInboundMessageRefusesTheIdAsAValidationError(String tenantId) {
    assertThatThrownBy(() -> new InboundMessage(tenantId, Channel.SMS, "+14155550100", null, null, "m-1", NOW))
        .isInstanceOfSatisfying(ValidationException.class,
            e -> assertThat(e.fieldErrors()).singleElement().satisfies(f -> assertThat(f.field()).isEqualTo("tenantId")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"acme", "Acme GmbH", "caf\u00e9", "cafe\u0301", "\ud83d\ude00-shop", "a b", "t-1/eu"})
  void idsWithInnerSpacesAnyCaseAnyNormalizationOrPairedSurrogatesAreKeptAsGiven(String tenantId) {
    assertThat(TenantConfig.builder(tenantId, "memory").build().tenantId()).isEqualTo(tenantId);
    assertThat(new InboundMessage(tenantId, Channel.SMS, "+14155550100", null, null, "m-1", NOW).tenantId())
        .isEqualTo(tenantId);
  }

  @ParameterizedTest
  @ValueSource(strings = {"ac\u0000me", "a\ud800"})
  void theMessageShowsAnInvisibleCharacterEscaped(String tenantId) {
    assertThatThrownBy(() -> new InboundMessage(tenantId, Channel.SMS, "+14155550100", null, null, "m-1", NOW))
        .hasMessageContaining("\\u");
  }
}
