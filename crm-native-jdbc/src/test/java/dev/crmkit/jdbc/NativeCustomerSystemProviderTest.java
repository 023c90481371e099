package dev.crmkit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmkit.Capability;
import dev.crmkit.CustomerDraft;
import dev.crmkit.CustomerSystem;
import dev.crmkit.CustomerSystemProvider;
import dev.crmkit.IntegrationFactory;
import dev.crmkit.Pipeline;
import dev.crmkit.ProviderContext;
import dev.crmkit.TenantConfig;
import dev.crmkit.error.ConfigurationException;
import dev.crmkit.error.ValidationException;
import dev.crmkit.identity.PhoneNumbers;
import dev.crmkit.jdbc.internal.DriverManagerDataSource;
import dev.crmkit.provider.AuthKind;
import dev.crmkit.provider.ProviderCategory;
import dev.crmkit.provider.ProviderDescriptor;
import dev.crmkit.provider.SettingDescriptor;
import dev.crmkit.provider.SettingType;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.time.Clock;
import java.util.EnumSet;
import java.util.Map;
import java.util.ServiceLoader;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeCustomerSystemProviderTest {
  @TempDir Path dir;

  private static ProviderContext context(TenantConfig config, Map<Class<?>, Object> resources) {
    return new ProviderContext(config, Clock.systemUTC(), resources);
  }

  @Test
  void serviceLoaderFindsTheProviderUnderItsNameAndAlias() {
    CustomerSystemProvider provider = ServiceLoader.load(CustomerSystemProvider.class).stream()
        .map(ServiceLoader.Provider::get).filter(p -> p.name().equals("native")).findFirst().orElseThrow();

    assertThat(provider).isInstanceOf(NativeCustomerSystemProvider.class);
    assertThat(provider.aliases()).containsExactly("coccinelle-native");
  }

  @Test
  void buildsAMigratedStoreFromTheJdbcUrlSetting() {
    TenantConfig config = TenantConfig.builder("t1", "native")
        .setting("jdbcUrl", "jdbc:h2:file:" + dir.resolve("crm") + ";DB_CLOSE_DELAY=-1")
        .credential("jdbcUser", "sa").credential("jdbcPassword", "").build();

    try (CustomerSystem crm = new NativeCustomerSystemProvider().create(context(config, Map.of()))) {
      assertThat(crm.tenantId()).isEqualTo("t1");
      assertThat(crm.create(CustomerDraft.builder().firstName("Ada").build()).id()).isNotBlank();
    }
  }

  @Test
  void prefersTheRegisteredDataSourceAndSkipsMigrationWhenToldTo() {
    DataSource ds = new DriverManagerDataSource("jdbc:h2:file:" + dir.resolve("other") + ";DB_CLOSE_DELAY=-1",
        "sa", "");
    NativeSchema.migrate(ds);
    TenantConfig config = TenantConfig.builder("t2", "coccinelle-native").setting("migrate", "false").build();

    try (CustomerSystem crm = new NativeCustomerSystemProvider().create(context(config, Map.of(DataSource.class, ds)))) {
      assertThat(crm.findByEmail("nobody@example.com")).isEmpty();
    }
  }

  @Test
  void rejectsAConfigWithoutDataSourceOrUrlAndAMalformedMigrateSetting() {
    NativeCustomerSystemProvider provider = new NativeCustomerSystemProvider();

    assertThatThrownBy(() -> provider.create(context(TenantConfig.builder("t", "native").build(), Map.of())))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("jdbcUrl");
    assertThatThrownBy(() -> provider.create(context(
        TenantConfig.builder("t", "native").setting("migrate", "maybe").build(), Map.of())))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("maybe");
  }

  @Test
  void describesALocalCrmWithEveryCapabilityAndItsDatabaseSettings() {
    NativeCustomerSystemProvider provider = new NativeCustomerSystemProvider();
    ProviderDescriptor d = provider.descriptor();

    assertThat(d).isSameAs(NativeCustomerSystemProvider.DESCRIPTOR);
    assertThat(d.name()).isEqualTo(provider.name());
    assertThat(d.category()).isEqualTo(ProviderCategory.CRM);
    assertThat(d.features()).isEqualTo(EnumSet.allOf(Capability.class));
    assertThat(d.authKinds()).containsExactly(AuthKind.NONE);
    assertThat(d.settings()).extracting(SettingDescriptor::key)
        .containsExactly("jdbcUrl", "jdbcUser", "jdbcPassword", "migrate", "dealPipelines", "defaultRegion");
    assertThat(d.setting(Pipeline.SETTING)).hasValueSatisfying(s -> {
      assertThat(s.type()).isEqualTo(SettingType.STRING);
      assertThat(Pipeline.parse(s.defaultValue())).containsExactly(Pipeline.DEFAULT);
    });
    assertThat(d.setting("jdbcPassword")).hasValueSatisfying(s -> assertThat(s.secret()).isTrue());
    assertThat(d.setting("migrate")).hasValueSatisfying(s -> {
      assertThat(s.type()).isEqualTo(SettingType.BOOLEAN);
      assertThat(s.defaultValue()).isEqualTo("true");
    });
    assertThat(d.settings()).noneMatch(SettingDescriptor::required);
  }

  @Test
  void theFactoryRefusesAMisspelledSettingBeforeTouchingTheDatabase() {
    try (IntegrationFactory factory = IntegrationFactory.builder().serviceLoading(false)
        .provider(new NativeCustomerSystemProvider()).build()) {
      assertThatThrownBy(() -> factory.system(TenantConfig.builder("t", "coccinelle-native")
              .setting("jdbcURL", "jdbc:h2:mem:x").credential("jdbcPassword", "s3cret").build()))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("unknown setting 'jdbcURL' (did you mean 'jdbcUrl'?)")
          .hasMessageNotContaining("s3cret");
    }
  }

  @Test
  void systemsOfTheProviderHaveTheDescribedCapabilities() {
    TenantConfig config = TenantConfig.builder("t3", "native")
        .setting("jdbcUrl", "jdbc:h2:file:" + dir.resolve("caps") + ";DB_CLOSE_DELAY=-1").build();

    try (CustomerSystem crm = new NativeCustomerSystemProvider().create(context(config, Map.of()))) {
      assertThat(crm.capabilities()).isEqualTo(NativeCustomerSystemProvider.DESCRIPTOR.features());
    }
  }

  @Test
  void theFactoryBuildsASystemWithTheTenantsPipelines() {
    String pipelines = "repairs=Repairs: booked=Booked, done=Done!won, cancelled=Cancelled!lost";
    try (IntegrationFactory factory = IntegrationFactory.builder().serviceLoading(false)
        .provider(new NativeCustomerSystemProvider()).build()) {
      CustomerSystem crm = factory.system(TenantConfig.builder("t4", "native")
          .setting("jdbcUrl", "jdbc:h2:file:" + dir.resolve("pipelines") + ";DB_CLOSE_DELAY=-1")
          .setting(Pipeline.SETTING, pipelines).build());

      assertThat(crm.pipelines()).isEqualTo(Pipeline.parse(pipelines));
      assertThat(crm.capabilities()).contains(Capability.DEALS);
    }
  }

  @Test
  void refusesAnUnsupportedDatabaseListingTheSupportedOnes() {
    DatabaseMetaData meta = (DatabaseMetaData) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {DatabaseMetaData.class}, (p, m, a) -> m.getName().equals("getDatabaseProductName")
            ? "Oracle" : null);
    Connection connection = (Connection) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {Connection.class}, (p, m, a) -> m.getName().equals("getMetaData") ? meta : null);
    DataSource oracle = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {DataSource.class}, (p, m, a) -> m.getName().equals("getConnection") ? connection : null);

    assertThatThrownBy(() -> NativeSchema.migrate(oracle)).isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("Oracle").hasMessageContaining("H2, SQLite, PostgreSQL, MariaDB or MySQL");
  }

  @Test
  void openRejectsABlankTenantId() {
    DataSource ds = new DriverManagerDataSource("jdbc:h2:mem:x", "sa", "");

    assertThatThrownBy(() -> NativeCustomerSystem.open(ds, " ", Clock.systemUTC(), PhoneNumbers.forRegion("US")))
        .isInstanceOfSatisfying(ValidationException.class,
            e -> assertThat(e.fieldErrors().get(0).field()).isEqualTo("tenantId"));
  }
}
