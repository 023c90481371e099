package dev.crmkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmkit.TestSystems.BareSystem;
import dev.crmkit.TestSystems.NamedProvider;
import dev.crmkit.error.ConfigurationException;
import dev.crmkit.error.ValidationException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class IntegrationFactoryTest {

  private static TenantConfig config(String tenant, String provider, long version) {
    return TenantConfig.builder(tenant, provider).version(version).build();
  }

  @Test
  void findsProvidersThroughTheServiceLoaderAndSurvivesABrokenOne() {
    IntegrationFactory factory = IntegrationFactory.builder().build();

    assertThat(factory.providerNames()).contains("loadable").doesNotContain("broken");
    assertThat(factory.loadFailures()).singleElement()
        .satisfies(f -> assertThat(f.description()).contains("BrokenProvider"));
    assertThat(factory.system(config("t1", "loadable", 0)).providerName()).isEqualTo("loadable");
  }

  @Test
  void resolvesAliasesCaseInsensitively() {
    IntegrationFactory factory = IntegrationFactory.builder().build();

    CustomerSystem system = factory.system(config("t1", " Loadable-Alias ", 0));

    assertThat(system).isInstanceOf(BareSystem.class);
    assertThat(system.tenantId()).isEqualTo("t1");
  }

  @Test
  void findsAProviderByNameOrAliasForItsOptionalHooks() {
    IntegrationFactory factory = IntegrationFactory.builder().build();

    assertThat(factory.provider(" Loadable-Alias ")).get().satisfies(p -> {
      assertThat(p.name()).isEqualTo(factory.provider("loadable-alias").orElseThrow().name());
      assertThat(p.webhooks()).isEmpty();
    });
    assertThat(factory.provider("nope")).isEmpty();
    assertThat(factory.provider(null)).isEmpty();
  }

  @Test
  void rejectsAnUnknownProviderListingTheKnownOnesAndTheBrokenOnes() {
    IntegrationFactory factory = IntegrationFactory.builder().provider(new NamedProvider("alpha")).build();

    assertThatThrownBy(() -> factory.system(config("t1", "hubspott", 0)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("unknown crmkit provider 'hubspott'")
        .hasMessageContaining("tenant 't1'")
        .hasMessageContaining("alpha")
        .hasMessageContaining("loadable-alias")
        .hasMessageContaining("failed to load");
  }

  @Test
  void rejectsTwoProvidersClaimingTheSameName() {
    assertThatThrownBy(() -> IntegrationFactory.builder().serviceLoading(false)
            .provider(new NamedProvider("dup")).provider(new NamedProvider("other", "DUP")).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("'dup'");
  }

  @Test
  void cachesOneSystemPerTenantAndVersion() {
    IntegrationFactory factory = IntegrationFactory.builder().serviceLoading(false)
        .provider(new NamedProvider("alpha")).build();

    CustomerSystem a1 = factory.system(config("a", "alpha", 1));
    CustomerSystem again = factory.system(config("a", "alpha", 1));
    CustomerSystem b1 = factory.system(config("b", "alpha", 1));

    assertThat(again).isSameAs(a1);
    assertThat(b1).isNotSameAs(a1);
    assertThat(b1.tenantId()).isEqualTo("b");
  }

  @Test
  void aNewConfigVersionReplacesAndClosesTheOldSystem() {
    IntegrationFactory factory = IntegrationFactory.builder().serviceLoading(false)
        .provider(new NamedProvider("alpha")).build();
    BareSystem v1 = (BareSystem) factory.system(config("a", "alpha", 1));

    CustomerSystem v2 = factory.system(config("a", "alpha", 2));

    assertThat(v2).isNotSameAs(v1);
    assertThat(v1.closed).isTrue();
    assertThat(((BareSystem) v2).closed).isFalse();
  }

  @Test
  void anotherProviderWithTheSameVersionBuildsThatProvidersSystem() {
    IntegrationFactory factory = IntegrationFactory.builder().serviceLoading(false)
        .provider(new dev.crmkit.memory.InMemoryCustomerSystemProvider()).provider(new NamedProvider("hubspot")).build();
    CustomerSystem memory = factory.system(config("acme", "memory", 1));

    CustomerSystem hubspot = factory.system(config("acme", "hubspot", 1));

    assertThat(hubspot).isInstanceOf(BareSystem.class);
    assertThat(hubspot.providerName()).isEqualTo("hubspot");
    assertThat(factory.system(config("acme", "memory", 1))).isNotSameAs(memory).isNotSameAs(hubspot);
  }

  @Test
  void changedCredentialsOrSettingsWithTheSameVersionBuildANewSystem() {
    IntegrationFactory factory = IntegrationFactory.builder().serviceLoading(false)
        .provider(new NamedProvider("alpha", "alpha-alias")).build();
    BareSystem first = (BareSystem) factory.system(
        TenantConfig.builder("a", "alpha").version(3).credential("token", "one").setting("s", "x").build());

    BareSystem sameContent = (BareSystem) factory.system(
        TenantConfig.builder("a", "ALPHA-ALIAS").version(3).credential("token", "one").setting("s", "x").build());
    BareSystem otherToken = (BareSystem) factory.system(
        TenantConfig.builder("a", "alpha").version(3).credential("token", "two").setting("s", "x").build());
    BareSystem otherSetting = (BareSystem) factory.system(
        TenantConfig.builder("a", "alpha").version(3).credential("token", "two").setting("s", "y").build());

    assertThat(sameContent).isSameAs(first);
    assertThat(otherToken).isNotSameAs(first);
    assertThat(otherToken.context.config().credentials()).containsEntry("token", "two");
    assertThat(first.closed).isTrue();
    assertThat(otherSetting).isNotSameAs(otherToken);
    assertThat(otherSetting.context.config().setting("s")).isEqualTo("y");
  }

  @Test
  void closesSystemsThatExpireOrAreEvictedOrRemainAtClose() {
    AtomicLong nanos = new AtomicLong();
    IntegrationFactory factory = IntegrationFactory.builder().serviceLoading(false)
        .provider(new NamedProvider("alpha")).expireAfterAccess(Duration.ofMinutes(10)).nanoTime(nanos::get).build();
    BareSystem idle = (BareSystem) factory.system(config("idle", "alpha", 0));
    BareSystem evicted = (BareSystem) factory.system(config("evicted", "alpha", 0));

    factory.evict("evicted");
    nanos.addAndGet(Duration.ofMinutes(11).toNanos());
    BareSystem fresh = (BareSystem) factory.system(config("idle", "alpha", 0));
    BareSystem open = (BareSystem) factory.system(config("open", "alpha", 0));
    factory.close();

    assertThat(evicted.closed).isTrue();
    assertThat(idle.closed).isTrue();
    assertThat(fresh).isNotSameAs(idle);
    assertThat(open.closed).isTrue();
  }

  @Test
  void passesClockResourcesAndRegionToProviders() {
    java.time.Clock clock = java.time.Clock.fixed(java.time.Instant.parse("2026-01-02T03:04:05Z"), java.time.ZoneOffset.UTC);
    IntegrationFactory factory = IntegrationFactory.builder().serviceLoading(false)
        .provider(new NamedProvider("alpha")).clock(clock).resource(StringBuilder.class, new StringBuilder("host")).build();

    BareSystem system = (BareSystem) factory.system(
        TenantConfig.builder("a", "alpha").setting(TenantConfig.DEFAULT_REGION, "de").build());

    assertThat(system.context.clock()).isSameAs(clock);
    assertThat(system.context.resource(StringBuilder.class)).hasValueSatisfying(b -> assertThat(b).hasToString("host"));
    assertThat(system.context.phoneNumbers().region()).isEqualTo("DE");
    assertThatThrownBy(() -> system.context.requireResource(Integer.class))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("java.lang.Integer");
  }

  @Test
  void rejectsAnUnknownDefaultRegionNamingTheSetting() {
    IntegrationFactory factory = IntegrationFactory.builder().serviceLoading(false).provider(new NamedProvider("alpha")).build();

    assertThatThrownBy(() -> factory.system(TenantConfig.builder("a", "alpha").setting("defaultRegion", "XX").build()))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("tenant 'a'").hasMessageContaining("defaultRegion").hasMessageContaining("XX");
  }

  @Test
  void rejectsBadBuilderSettingsNamingTheValue() {
    assertThatThrownBy(() -> IntegrationFactory.builder().maximumSize(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maximumSize").hasMessageContaining("0");
    assertThatThrownBy(() -> IntegrationFactory.builder().expireAfterAccess(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT0S");
    assertThatThrownBy(() -> IntegrationFactory.builder().maximumSize(-1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maximumSize").hasMessageContaining("-1");
    assertThatThrownBy(() -> IntegrationFactory.builder().expireAfterAccess(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT-1S");
    assertThatThrownBy(() -> IntegrationFactory.builder().expireAfterAccess(null))
        .isInstanceOf(NullPointerException.class).hasMessage("expireAfterAccess");
    assertThatThrownBy(() -> IntegrationFactory.builder().clock(null)).isInstanceOf(NullPointerException.class).hasMessage("clock");
    assertThatThrownBy(() -> IntegrationFactory.builder().classLoader(null))
        .isInstanceOf(NullPointerException.class).hasMessage("classLoader");
    assertThatThrownBy(() -> IntegrationFactory.builder().provider(null)).isInstanceOf(NullPointerException.class).hasMessage("provider");
    assertThatThrownBy(() -> IntegrationFactory.builder().resource(String.class, null))
        .isInstanceOf(NullPointerException.class).hasMessage("value");
  }

  @Test
  void checksTheConfigAgainstTheProvidersDescriptorBeforeTheProviderBuildsASystem() {
    java.util.concurrent.atomic.AtomicInteger built = new java.util.concurrent.atomic.AtomicInteger();
    NamedProvider counting = new NamedProvider("alpha") {
      @Override public CustomerSystem create(ProviderContext context) {
        built.incrementAndGet();
        return super.create(context);
      }
    };
    IntegrationFactory factory = IntegrationFactory.builder().serviceLoading(false).provider(counting).build();

    assertThatThrownBy(() -> factory.system(TenantConfig.builder("a", "alpha").setting("ss", "x").build()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("tenant 'a', provider 'alpha': unknown setting 'ss' (did you mean 's'?)");
    assertThatThrownBy(() -> factory.system(TenantConfig.builder("a", "alpha").credential("tokn", "s3cret").build()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("unknown credential 'tokn' (did you mean 'token'?)").hasMessageNotContaining("s3cret");
    assertThat(built).hasValue(0);
    assertThat(factory.system(TenantConfig.builder("a", "alpha").setting("s", "x").credential("token", "t").build()))
        .isInstanceOf(BareSystem.class);
    assertThat(built).hasValue(1);
  }

  @Test
  void listsTheDescriptorOfEveryLoadedProviderOnceSortedByName() {
    IntegrationFactory factory = IntegrationFactory.builder().serviceLoading(false)
        .provider(new NamedProvider("beta", "b")).provider(new dev.crmkit.memory.InMemoryCustomerSystemProvider())
        .provider(new NamedProvider("alpha")).build();

    assertThat(factory.descriptors()).extracting(dev.crmkit.provider.ProviderDescriptor::name)
        .containsExactly("alpha", "beta", "memory");
    assertThat(factory.descriptors()).contains(dev.crmkit.memory.InMemoryCustomerSystemProvider.DESCRIPTOR);
  }

  @Test
  void aProviderWithoutAUsableDescriptorIsReportedAndSkipped() {
    NamedProvider misnamed = new NamedProvider("alpha") {
      @Override public dev.crmkit.provider.ProviderDescriptor descriptor() {
        return new NamedProvider("beta").descriptor();
      }
    };
    NamedProvider failing = new NamedProvider("gamma") {
      @Override public dev.crmkit.provider.ProviderDescriptor descriptor() {
        throw new IllegalStateException("no descriptor today");
      }
    };
    IntegrationFactory factory = IntegrationFactory.builder().serviceLoading(false)
        .provider(misnamed).provider(failing).provider(new NamedProvider("delta")).build();

    assertThat(factory.providerNames()).containsExactly("delta");
    assertThat(factory.loadFailures()).extracting(ProviderLoadFailure::description).satisfiesExactly(
        d -> assertThat(d).contains("'alpha'", "named 'beta'"),
        d -> assertThat(d).contains("'gamma'", "no descriptor today"));
    assertThatThrownBy(() -> factory.system(config("t", "alpha", 0)))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("failed to load");
  }

  @Test
  void tenantConfigNeverPrintsCredentialValues() {
    TenantConfig config = TenantConfig.builder("a", "hubspot").credential("accessToken", "pat-na1-secret").build();

    assertThat(config.toString()).doesNotContain("pat-na1-secret").contains("accessToken");
    assertThatThrownBy(() -> config.requireCredential("refreshToken"))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("refreshToken").hasMessageNotContaining("secret");
    assertThatThrownBy(() -> config.requireSetting("portalId"))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("portalId");
  }

  @Test
  void tenantConfigNeverPrintsADatabasePasswordGivenInTheJdbcUrlOrAsASetting() {
    TenantConfig postgres = TenantConfig.builder("a", "native")
        .setting("jdbcUrl", "jdbc:postgresql://h/db?user=u&password=s3cret&ssl=true")
        .setting("jdbcPassword", "pw-setting").setting("defaultRegion", "DE").build();
    TenantConfig mysql = TenantConfig.builder("a", "native").setting("jdbcUrl", "jdbc:mysql://u:s3cret@h:3306/db").build();
    TenantConfig sqlServerStyle = TenantConfig.builder("a", "native")
        .setting("jdbcUrl", "jdbc:sqlserver://h;user=u;Password=s3cret;encrypt=true").build();

    assertThat(postgres.toString()).doesNotContain("s3cret", "pw-setting")
        .contains("jdbc:postgresql://h/db?user=u&password=***&ssl=true", "jdbcPassword=***", "defaultRegion=DE");
    assertThat(mysql.toString()).doesNotContain("s3cret").contains("jdbc:mysql://u:***@h:3306/db");
    assertThat(sqlServerStyle.toString()).doesNotContain("s3cret").contains(";Password=***;encrypt=true");
    assertThat(postgres.setting("jdbcUrl")).contains("s3cret");
  }
}
