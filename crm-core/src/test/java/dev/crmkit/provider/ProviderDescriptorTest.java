package dev.crmkit.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmkit.Capability;
import dev.crmkit.TenantConfig;
import dev.crmkit.error.ConfigurationException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ProviderDescriptorTest {
  private static final SettingDescriptor PATH = SettingDescriptor.builder("path", SettingType.PATH).required()
      .description("The file.").build();
  private static final SettingDescriptor LIMIT = SettingDescriptor.builder("tenSecondlyLimit", SettingType.POSITIVE_INTEGER)
      .defaultValue("100").description("Requests per rolling 10 seconds.").build();
  private static final SettingDescriptor LIMITING = SettingDescriptor.builder("proactiveRateLimiting", SettingType.BOOLEAN)
      .defaultValue("true").description("Whether to limit before the vendor does.").build();
  private static final SettingDescriptor TOKEN = SettingDescriptor.builder("accessToken", SettingType.STRING).secret()
      .description("A private app's access token.").docLink("https://developers.hubspot.com/docs/api/private-apps").build();
  private static final SettingDescriptor PIN = SettingDescriptor.builder("pinCode", SettingType.POSITIVE_INTEGER).secret()
      .description("A numeric secret.").build();
  private static final SettingDescriptor CUSTOM_FIELD = SettingDescriptor.builder("customField.", SettingType.STRING)
      .prefix().description("The property holding custom field <name>.").build();

  private static final ProviderDescriptor DESCRIPTOR = ProviderDescriptor.builder("acme-crm", "Acme CRM", ProviderCategory.CRM)
      .features(Capability.SEARCH, Capability.NOTES)
      .auth(AuthKind.apiToken("accessToken"))
      .setting(PATH, LIMIT, LIMITING, TOKEN, PIN, CUSTOM_FIELD)
      .build();

  private static TenantConfig.Builder config() {
    return TenantConfig.builder("acme", "acme-crm").setting("path", "/tmp/customers.csv");
  }

  @Test
  void aCompleteConfigPasses() {
    DESCRIPTOR.validate(config().setting("tenSecondlyLimit", " 190 ").setting("proactiveRateLimiting", "FALSE")
        .setting("customField.loyaltyId", "crmkit_loyalty_id").setting("defaultRegion", "de")
        .credential("accessToken", "pat-na1-secret").credential("pinCode", "1234").build());
  }

  @Test
  void aMissingRequiredSettingIsNamedWithTheTenantAndProvider() {
    assertThatThrownBy(() -> DESCRIPTOR.validate(TenantConfig.builder("acme", "acme-crm").build()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("tenant 'acme', provider 'acme-crm': ")
        .hasMessageContaining("needs setting 'path' (The file.)");
    assertThatThrownBy(() -> DESCRIPTOR.validate(TenantConfig.builder("acme", "acme-crm").setting("path", " ").build()))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("needs setting 'path'");
  }

  @Test
  void aValueOfTheWrongTypeIsNamedWithItsTypeAndValue() {
    assertThatThrownBy(() -> DESCRIPTOR.validate(config().setting("tenSecondlyLimit", "lots").build()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("setting 'tenSecondlyLimit' must be a whole number above 0 (POSITIVE_INTEGER), was 'lots'");
    assertThatThrownBy(() -> DESCRIPTOR.validate(config().setting("tenSecondlyLimit", "0").build()))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("was '0'");
    assertThatThrownBy(() -> DESCRIPTOR.validate(config().setting("proactiveRateLimiting", "yes").build()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("setting 'proactiveRateLimiting' must be true or false (BOOLEAN), was 'yes'");
  }

  @Test
  void everyProblemIsListedInOneMessage() {
    assertThatThrownBy(() -> DESCRIPTOR.validate(TenantConfig.builder("acme", "acme-crm")
            .setting("tenSecondlyLimit", "lots").setting("migrate", "false").build()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("needs setting 'path'")
        .hasMessageContaining("'tenSecondlyLimit'")
        .hasMessageContaining("unknown setting 'migrate'");
  }

  @Test
  void anUnknownKeyIsNamedWithTheClosestKnownKey() {
    assertThatThrownBy(() -> DESCRIPTOR.validate(config().setting("tenSecondlyLimt", "100").build()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("unknown setting 'tenSecondlyLimt' (did you mean 'tenSecondlyLimit'?)")
        .hasMessageContaining("known: path, tenSecondlyLimit, proactiveRateLimiting, accessToken, pinCode, "
            + "customField.<name>, defaultRegion");
    assertThatThrownBy(() -> DESCRIPTOR.validate(config().setting("paht", "x").build()))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("did you mean 'path'?");
    assertThatThrownBy(() -> DESCRIPTOR.validate(config().setting("DefaultRegion", "US").build()))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("did you mean 'defaultRegion'?");
    assertThatThrownBy(() -> DESCRIPTOR.validate(config().setting("customFeld.loyaltyId", "x").build()))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("did you mean 'customField.loyaltyId'?");
    assertThatThrownBy(() -> DESCRIPTOR.validate(config().credential("acessToken", "pat-na1-secret").build()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("unknown credential 'acessToken' (did you mean 'accessToken'?)");
  }

  @Test
  void anUnknownKeyFarFromEveryKnownOneGetsNoGuessButTheKnownKeys() {
    assertThatThrownBy(() -> DESCRIPTOR.validate(config().setting("portalId", "42").build()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("unknown setting 'portalId'; known: path")
        .hasMessageNotContaining("did you mean");
  }

  @Test
  void aSecretValueNeverAppearsInAMessage() {
    TenantConfig config = config().credential("pinCode", "s3cret-pin").credential("acessToken", "pat-na1-s3cret")
        .setting("tenSecondlyLimt", "x").build();

    assertThatThrownBy(() -> DESCRIPTOR.validate(config))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("credential 'pinCode' must be a whole number above 0 (POSITIVE_INTEGER), was a value not "
            + "shown here (secret)")
        .hasMessageNotContaining("s3cret");
    assertThatThrownBy(() -> PIN.value(config))
        .isInstanceOf(ConfigurationException.class).hasMessageNotContaining("s3cret");
  }

  @Test
  void aRequiredSecretIsAskedForAsACredential() {
    ProviderDescriptor d = ProviderDescriptor.builder("x", "X", ProviderCategory.SUPPORT).auth(AuthKind.apiToken("apiToken"))
        .setting(SettingDescriptor.builder("apiToken", SettingType.STRING).required().secret()
            .description("The API token.").build())
        .build();

    assertThatThrownBy(() -> d.validate(TenantConfig.builder("t", "x").build()))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("needs credential 'apiToken' (The API token.)");
    d.validate(TenantConfig.builder("t", "x").credential("apiToken", "t0ken").build());
  }

  @Test
  void everyDescriptorDeclaresTheDefaultRegionOnce() {
    ProviderDescriptor bare = ProviderDescriptor.builder("bare", "Bare", ProviderCategory.CRM).auth(AuthKind.NONE).build();

    assertThat(bare.settings()).containsExactly(ProviderDescriptor.DEFAULT_REGION);
    assertThat(DESCRIPTOR.settings()).last().isEqualTo(ProviderDescriptor.DEFAULT_REGION);
    assertThat(bare.setting("defaultRegion")).contains(ProviderDescriptor.DEFAULT_REGION);
    assertThatThrownBy(() -> bare.validate(TenantConfig.builder("t", "bare").setting("defaultRegion", "Germany").build()))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("defaultRegion").hasMessageContaining("Germany");
  }

  @Test
  void findsTheSettingThatCoversAKey() {
    assertThat(DESCRIPTOR.setting("customField.loyaltyId")).contains(CUSTOM_FIELD);
    assertThat(DESCRIPTOR.setting("customField.")).isEmpty();
    assertThat(DESCRIPTOR.setting("path")).contains(PATH);
    assertThat(DESCRIPTOR.setting("paths")).isEmpty();
    assertThat(CUSTOM_FIELD.displayKey()).isEqualTo("customField.<name>");
  }

  @Test
  void readsTypedValuesAndDefaults() {
    TenantConfig config = config().setting("tenSecondlyLimit", " 190").setting("customField.a", "prop_a")
        .setting("customField.b", "prop_b").credential("accessToken", "from-credentials")
        .setting("accessToken", "from-settings").build();

    assertThat(LIMIT.intValue(config)).isEqualTo(190);
    assertThat(LIMITING.booleanValue(config)).isTrue();
    assertThat(TOKEN.value(config)).isEqualTo("from-credentials");
    assertThat(PATH.value(config)).isEqualTo("/tmp/customers.csv");
    assertThat(CUSTOM_FIELD.prefixedValues(config)).containsExactly(Map.entry("a", "prop_a"), Map.entry("b", "prop_b"));
    assertThat(PIN.value(config)).isNull();
    assertThatThrownBy(() -> LIMIT.intValue(config().setting("tenSecondlyLimit", "-1").build()))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("tenSecondlyLimit").hasMessageContaining("-1");
    assertThatThrownBy(() -> PATH.value(TenantConfig.builder("acme", "acme-crm").build()))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("needs setting 'path'");
    assertThatThrownBy(() -> LIMIT.booleanValue(config)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> PIN.intValue(config)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> CUSTOM_FIELD.value(config)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void rejectsABadDescriptorNamingTheArgument() {
    assertThatThrownBy(() -> ProviderDescriptor.builder("HubSpot", "HubSpot", ProviderCategory.CRM).auth(AuthKind.NONE).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name").hasMessageContaining("HubSpot");
    assertThatThrownBy(() -> ProviderDescriptor.builder("x", "X", ProviderCategory.CRM).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("authKinds");
    assertThatThrownBy(() -> ProviderDescriptor.builder("x", "X", ProviderCategory.CRM).auth(AuthKind.NONE)
            .setting(PATH, PATH).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'path' twice");
    assertThatThrownBy(() -> ProviderDescriptor.builder("x", " ", ProviderCategory.CRM).auth(AuthKind.NONE).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("displayName");
    assertThatThrownBy(() -> ProviderDescriptor.builder("x", "X", null).auth(AuthKind.NONE).build())
        .isInstanceOf(NullPointerException.class).hasMessageContaining("category");
    assertThatThrownBy(() -> ProviderDescriptor.builder("x", "X", ProviderCategory.CRM).auth(AuthKind.NONE)
            .features((Capability) null).build())
        .isInstanceOf(NullPointerException.class).hasMessageContaining("features");
  }

  @Test
  void rejectsABadSettingNamingTheArgument() {
    assertThatThrownBy(() -> SettingDescriptor.builder("a key", SettingType.STRING).description("d").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'a key'");
    assertThatThrownBy(() -> SettingDescriptor.builder("k", SettingType.STRING).build())
        .isInstanceOf(NullPointerException.class).hasMessageContaining("description");
    assertThatThrownBy(() -> SettingDescriptor.builder("k", SettingType.POSITIVE_INTEGER).defaultValue("many")
            .description("d").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("defaultValue").hasMessageContaining("many");
    assertThatThrownBy(() -> SettingDescriptor.builder("k", SettingType.STRING).required().defaultValue("x")
            .description("d").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("required");
    assertThatThrownBy(() -> SettingDescriptor.builder("k", SettingType.STRING).secret().defaultValue("x")
            .description("d").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("secret");
  }

  @Test
  void describesItsFeaturesAndAuthKinds() {
    assertThat(DESCRIPTOR.features()).containsExactlyInAnyOrder(Capability.SEARCH, Capability.NOTES);
    assertThatThrownBy(() -> DESCRIPTOR.features().add(Capability.MERGE)).isInstanceOf(UnsupportedOperationException.class);
    assertThat(DESCRIPTOR.authKinds()).containsExactly(new AuthKind.ApiToken("accessToken"));
    assertThat(TOKEN.docLink()).hasToString("https://developers.hubspot.com/docs/api/private-apps");
  }

  @Test
  void oauth2TakesHttpsUrlsAndKeepsTheScopes() {
    AuthKind.OAuth2 oauth = AuthKind.oauth2("https://app.hubspot.com/oauth/authorize",
        "https://api.hubapi.com/oauth/v1/token", List.of("crm.objects.contacts.read"));

    assertThat(oauth.scopes()).containsExactly("crm.objects.contacts.read");
    assertThat(oauth.tokenUrl().getHost()).isEqualTo("api.hubapi.com");
    assertThatThrownBy(() -> AuthKind.oauth2("http://app.hubspot.com/oauth/authorize", "https://a.b/token", List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("authorizeUrl");
    assertThatThrownBy(() -> AuthKind.oauth2("https://a.b/authorize", "https://a.b/token", List.of(" ")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("scopes");
    assertThatThrownBy(() -> AuthKind.apiToken(" ")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("credentialKey");
  }

  @Test
  void eachSettingTypeAcceptsItsValues() {
    assertThat(SettingType.STRING.accepts("")).isTrue();
    assertThat(SettingType.POSITIVE_INTEGER.accepts(" 7 ")).isTrue();
    assertThat(SettingType.POSITIVE_INTEGER.accepts("99999999999")).isFalse();
    assertThat(SettingType.BOOLEAN.accepts("True")).isTrue();
    assertThat(SettingType.HTTP_URL.accepts("http://127.0.0.1:8080")).isTrue();
    assertThat(SettingType.HTTP_URL.accepts("not a url")).isFalse();
    assertThat(SettingType.HTTP_URL.accepts("ftp://example.com")).isFalse();
    assertThat(SettingType.TIME_ZONE.accepts("America/New_York")).isTrue();
    assertThat(SettingType.TIME_ZONE.accepts("Mars/Olympus")).isFalse();
    assertThat(SettingType.REGION.accepts("de")).isTrue();
    assertThat(SettingType.REGION.accepts("DEU")).isFalse();
    assertThat(SettingType.PATH.accepts("/var/lib/acme/customers.csv")).isTrue();
    assertThat(SettingType.PATH.accepts(" ")).isFalse();
    assertThat(Set.of(SettingType.values())).allMatch(t -> !t.accepts(null));
  }
}
