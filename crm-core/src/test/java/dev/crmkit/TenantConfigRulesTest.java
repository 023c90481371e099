package dev.crmkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmkit.error.ConfigurationException;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TenantConfigRulesTest {

  @Test
  void aBlankProviderIsATenantConfigurationErrorNamingTheTenant() {
    assertThatThrownBy(() -> TenantConfig.builder("acme", " ").build())
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("tenant 'acme'").hasMessageContaining("provider name");
    assertThatThrownBy(() -> TenantConfig.builder("acme", null).build())
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("provider name");
  }

  @Test
  void aNegativeVersionIsATenantConfigurationErrorNamingTheValue() {
    assertThatThrownBy(() -> TenantConfig.builder("acme", "memory").version(-1).build())
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("version").hasMessageContaining("-1");
    assertThat(TenantConfig.builder("acme", "memory").version(0).build().version()).isZero();
  }

  @Test
  void aNullSettingOrCredentialKeyIsAProgrammingErrorNamingTheArgument() {
    assertThatThrownBy(() -> TenantConfig.builder("acme", "memory").setting(null, "x"))
        .isInstanceOf(NullPointerException.class).hasMessage("key");
    assertThatThrownBy(() -> TenantConfig.builder("acme", "memory").credential(null, "x"))
        .isInstanceOf(NullPointerException.class).hasMessage("key");
  }

  @Test
  void anUnknownDefaultRegionInTheSettingsIsATenantConfigurationError() {
    TenantConfig config = TenantConfig.builder("acme", "memory").setting(TenantConfig.DEFAULT_REGION, "ZZ").build();

    assertThatThrownBy(() -> new ProviderContext(config, Clock.systemUTC(), Map.of()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("tenant 'acme'").hasMessageContaining("defaultRegion").hasMessageContaining("'ZZ'");
  }

  @Test
  void providerContextNamesEachNullArgument() {
    TenantConfig config = TenantConfig.builder("acme", "memory").build();

    assertThatThrownBy(() -> new ProviderContext(null, Clock.systemUTC(), Map.of()))
        .isInstanceOf(NullPointerException.class).hasMessage("config");
    assertThatThrownBy(() -> new ProviderContext(config, null, Map.of()))
        .isInstanceOf(NullPointerException.class).hasMessage("clock");
    assertThatThrownBy(() -> new ProviderContext(config, Clock.systemUTC(), null))
        .isInstanceOf(NullPointerException.class).hasMessage("resources");
  }
}
