package dev.crmkit.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmkit.Capability;
import dev.crmkit.CustomerSystemProvider;
import dev.crmkit.ProviderContext;
import dev.crmkit.TenantConfig;
import dev.crmkit.error.ConfigurationException;
import dev.crmkit.provider.AuthKind;
import dev.crmkit.provider.ProviderCategory;
import dev.crmkit.provider.SettingDescriptor;
import java.time.Clock;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class SalesforceProviderDescriptorTest {
  @Test
  void theProviderIsFoundByServiceLoader() {
    assertThat(ServiceLoader.load(CustomerSystemProvider.class).stream().map(ServiceLoader.Provider::get)
        .map(CustomerSystemProvider::name)).contains("salesforce");
  }

  @Test
  void capabilitiesAreExactlyTheDescriptorsFeaturesWithRestoreAndMergeThroughSoap() {
    var descriptor = SalesforceCustomerSystemProvider.DESCRIPTOR;

    assertThat(descriptor.category()).isEqualTo(ProviderCategory.CRM);
    assertThat(descriptor.features()).containsExactlyInAnyOrder(Capability.SEARCH, Capability.DELETE, Capability.CUSTOM_FIELDS,
        Capability.BATCH_UPSERT, Capability.NOTES, Capability.ACTIVITIES, Capability.IDEMPOTENT_ACTIVITIES, Capability.DEALS,
        Capability.CHANGE_FEED, Capability.RESTORE, Capability.MERGE);
    assertThat(descriptor.features()).doesNotContain(Capability.TAGS, Capability.ORDERS);
  }

  @Test
  void oauthUsesTheLoginHostWithApiRefreshTokenAndOfflineAccessScopes() {
    AuthKind.OAuth2 oauth = SalesforceCustomerSystemProvider.DESCRIPTOR.authKinds().stream()
        .filter(AuthKind.OAuth2.class::isInstance).map(AuthKind.OAuth2.class::cast).findFirst().orElseThrow();

    assertThat(oauth.scopes()).containsExactly("api", "refresh_token", "offline_access");
    assertThat(oauth.tokenUrl().toString()).isEqualTo("https://login.salesforce.com/services/oauth2/token");
  }

  @Test
  void secretsAreMarkedSecret() {
    assertThat(SalesforceCustomerSystemProvider.DESCRIPTOR.settings()).filteredOn(SettingDescriptor::secret)
        .extracting(SettingDescriptor::key).containsExactlyInAnyOrder("accessToken", "clientSecret", "refreshToken", "privateKey");
  }

  @Test
  void instanceUrlIsOptionalInTheDescriptorForAnOAuthConnectButASystemNeedsIt() {
    TenantConfig config = TenantConfig.builder("t1", "salesforce").credential("accessToken", "x").build();

    SalesforceCustomerSystemProvider.DESCRIPTOR.validate(config);
    assertThatThrownBy(() -> new SalesforceCustomerSystemProvider().create(
        new ProviderContext(config, Clock.systemUTC(), Map.of())))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("needs setting 'instanceUrl'");
  }

  @Test
  void aCustomerObjectOtherThanContactOrLeadIsAConfigurationError() {
    TenantConfig config = TenantConfig.builder("t1", "salesforce").credential("accessToken", "x")
        .setting("instanceUrl", "https://acme.my.salesforce.com").setting("customerObject", "Account").build();

    assertThatThrownBy(() -> new SalesforceCustomerSystemProvider().create(
        new ProviderContext(config, Clock.systemUTC(), Map.of())))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("Contact or Lead");
  }

  @Test
  void aNoteObjectOtherThanContentNoteOrNoteIsAConfigurationError() {
    TenantConfig config = TenantConfig.builder("t1", "salesforce").credential("accessToken", "x")
        .setting("instanceUrl", "https://acme.my.salesforce.com").setting("noteObject", "Attachment").build();

    assertThatThrownBy(() -> new SalesforceCustomerSystemProvider().create(
        new ProviderContext(config, Clock.systemUTC(), Map.of())))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("noteObject")
        .hasMessageContaining("ContentNote or Note").hasMessageContaining("Attachment");
  }

  @Test
  void withoutCredentialsItSaysWhichAreNeeded() {
    TenantConfig config = TenantConfig.builder("t1", "salesforce")
        .setting("instanceUrl", "https://acme.my.salesforce.com").build();

    assertThatThrownBy(() -> new SalesforceCustomerSystemProvider().create(
        new ProviderContext(config, Clock.systemUTC(), Map.of())))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("refreshToken");
  }
}
