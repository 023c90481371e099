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
import dev.crmkit.testkit.hubspot.HubSpotEmulator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HubSpotProviderDescriptorTest {
  private static final ProviderDescriptor D = HubSpotCustomerSystemProvider.DESCRIPTOR;
  /** The header of the settings table in the README's HubSpot section. */
  static final String TABLE_HEADER = "| key | given as | type | default | meaning |";

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
  void theReadmeSettingsTableIsTheDescriptors() throws IOException {
    List<String> readme = Files.readAllLines(Path.of("..", "README.md"), StandardCharsets.UTF_8);
    int start = readme.indexOf(TABLE_HEADER);
    assertThat(start).as("README.md holds a table headed %s", TABLE_HEADER).isNotNegative();
    List<String> table = new ArrayList<>();
    for (int i = start; i < readme.size() && readme.get(i).startsWith("|"); i++) {
      table.add(readme.get(i));
    }

    assertThat(String.join("\n", table)).isEqualTo(markdownTable(D));
  }

  /** The settings of a descriptor as the README shows them: one row per setting, in the descriptor's order. */
  static String markdownTable(ProviderDescriptor d) {
    StringBuilder b = new StringBuilder(TABLE_HEADER).append("\n|---|---|---|---|---|");
    for (SettingDescriptor s : d.settings()) {
      b.append("\n| `").append(s.displayKey()).append("` | ")
          .append(s.secret() ? "credential" : "setting").append(" | ")
          .append(s.type().description()).append(" | ")
          .append(s.defaultValue() == null ? "—" : "`" + s.defaultValue() + "`").append(" | ")
          .append(s.required() ? "Required. " : "").append(s.description())
          .append(s.docLink() == null ? "" : " [HubSpot](" + s.docLink() + ")").append(" |");
    }
    return b.toString();
  }
}
