package dev.crmkit.hubspot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmkit.Capability;
import dev.crmkit.CustomerSystem;
import dev.crmkit.IntegrationFactory;
import dev.crmkit.TenantConfig;
import dev.crmkit.error.ConfigurationException;
import dev.crmkit.provider.AuthKind;
import dev.crmkit.provider.ProviderCategory;
import dev.crmkit.provider.ProviderDescriptor;
import dev.crmkit.provider.SettingDescriptor;
import dev.crmkit.provider.SettingType;
import dev.crmkit.testkit.ReadmeSettingsTable;
import dev.crmkit.testkit.hubspot.HubSpotEmulator;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class HubSpotProviderDescriptorTest {
  private static final ProviderDescriptor D = HubSpotCustomerSystemProvider.DESCRIPTOR;
  @Test
  void describesACrmWithAnApiTokenOrOAuth2() {
    assertThat(new HubSpotCustomerSystemProvider().descriptor()).isSameAs(D);
    assertThat(D.name()).isEqualTo("hubspot");
    assertThat(D.displayName()).isEqualTo("HubSpot");
    assertThat(D.category()).isEqualTo(ProviderCategory.CRM);
    assertThat(D.authKinds()).containsExactly(new AuthKind.ApiToken("accessToken"),
        AuthKind.oauth2("https://app.hubspot.com/oauth/authorize", "https://api.hubapi.com/oauth/v1/token",
            List.of("crm.objects.contacts.read", "crm.objects.contacts.write", "crm.objects.deals.read",
                "crm.objects.deals.write")));
    assertThat(D.features()).contains(Capability.DEALS);
    assertThat(D.features()).doesNotContain(Capability.RESTORE, Capability.DUPLICATE_DETECTION, Capability.ORDERS);
  }

  @Test
  void declaresEverySettingTheProviderReadsWithItsTypeAndDefault() {
    assertThat(D.settings()).extracting(SettingDescriptor::displayKey).containsExactly(
        "accessToken", "clientId", "clientSecret", "refreshToken", "baseUrl", "tenSecondlyLimit",
        "searchPerSecondLimit", "dailyLimit", "dailyLimitZone", "proactiveRateLimiting", "writeConcurrency",
        "changeFeedOverlapSeconds", "searchResultCap", "customField.<name>", "dealCustomField.<name>", "dealCurrency",
        "defaultRegion");
    assertThat(D.settings()).filteredOn(SettingDescriptor::secret).extracting(SettingDescriptor::key)
        .containsExactly("accessToken", "clientSecret", "refreshToken");
    assertThat(D.setting("baseUrl")).hasValueSatisfying(s -> {
      assertThat(s.type()).isEqualTo(SettingType.HTTP_URL);
      assertThat(s.defaultValue()).isEqualTo(HubSpotCustomerSystemProvider.DEFAULT_BASE_URL);
    });
    assertThat(D.setting("tenSecondlyLimit")).hasValueSatisfying(s -> {
      assertThat(s.defaultValue()).isEqualTo("100");
      assertThat(s.docLink()).hasToString("https://developers.hubspot.com/docs/api/usage-details");
    });
    assertThat(D.setting("dailyLimitZone").map(SettingDescriptor::type)).contains(SettingType.TIME_ZONE);
    assertThat(D.setting("customField.loyaltyId").map(SettingDescriptor::prefix)).contains(true);
    assertThat(D.setting("dealCustomField.source").map(SettingDescriptor::prefix)).contains(true);
    assertThat(D.setting("dealCurrency").map(SettingDescriptor::defaultValue)).contains("USD");
    assertThat(D.settings()).noneMatch(SettingDescriptor::required);
  }

  @Test
  void theFactoryNamesAMisspelledSettingWithTheClosestKnownOne() {
    try (IntegrationFactory factory = IntegrationFactory.builder().serviceLoading(false)
        .provider(new HubSpotCustomerSystemProvider()).build()) {
      assertThatThrownBy(() -> factory.system(TenantConfig.builder("t1", "hubspot")
              .credential("accessToken", "pat-na1-s3cret").setting("writeConcurency", "8").build()))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("tenant 't1', provider 'hubspot': unknown setting 'writeConcurency' "
              + "(did you mean 'writeConcurrency'?)")
          .hasMessageNotContaining("s3cret");
      assertThatThrownBy(() -> factory.system(TenantConfig.builder("t1", "hubspot")
              .credential("accessToken", "x").setting("dailyLimitZone", "Mars/Olympus").build()))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("setting 'dailyLimitZone' must be a time zone id").hasMessageContaining("Mars/Olympus");
    }
  }

  @Test
  void systemsHaveTheDescribedCapabilities() {
    try (HubSpotEmulator emulator = HubSpotEmulator.builder().rateLimits(false).build();
         IntegrationFactory factory = IntegrationFactory.builder().serviceLoading(false)
             .provider(new HubSpotCustomerSystemProvider()).build()) {
      CustomerSystem system = factory.system(TenantConfig.builder("t1", "hubspot")
          .credential("accessToken", emulator.accessToken()).setting("baseUrl", emulator.baseUrl())
          .setting("customField.loyaltyId", "crmkit_loyalty_id").build());

      assertThat(system.capabilities()).isEqualTo(D.features());
    }
  }

  @Test
  void theReadmeSettingsTableIsTheDescriptors() {
    assertThat(ReadmeSettingsTable.in(Path.of("..", "README.md"), "## HubSpot")).isEqualTo(ReadmeSettingsTable.of(D));
  }
}
