package dev.crmkit.salesforce;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.crmkit.CustomerSystem;
import dev.crmkit.ProviderContext;
import dev.crmkit.TenantConfig;
import dev.crmkit.provider.ProviderDescriptor;
import dev.crmkit.testkit.CustomerSystemContractTest;
import dev.crmkit.testkit.salesforce.SalesforceEmulator;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;

/**
 * The provider contract suite against the Salesforce emulator. A tenant is one org, so every tenant gets its
 * own emulator on the test's clock. Salesforce keeps date-times in whole seconds, so the suite compares
 * change times at that precision ({@link #timestampPrecision()}).
 *
 * <p>On the sf-feed branch this runs the change-feed and tenant-isolation sections and the suite's top-level
 * tests only ({@link #onlyTheSectionsThisBranchCovers}); the customer sections belong to the sf-customers branch,
 * whose version of this class replaces that filter.
 */
class SalesforceContractTest extends CustomerSystemContractTest {
  private final SalesforceCustomerSystemProvider provider = new SalesforceCustomerSystemProvider();
  private final List<SalesforceEmulator> emulators = new ArrayList<>();

  @Override
  protected CustomerSystem newSystem(String tenantId, Clock clock) {
    SalesforceEmulator emulator = SalesforceEmulator.builder().clock(clock).build();
    emulators.add(emulator);
    TenantConfig config = TenantConfig.builder(tenantId, SalesforceCustomerSystemProvider.NAME)
        .credential(SalesforceCustomerSystemProvider.ACCESS_TOKEN, emulator.accessToken())
        .setting(SalesforceCustomerSystemProvider.INSTANCE_URL, emulator.baseUrl())
        .build();
    return provider.create(new ProviderContext(config, clock, Map.of()));
  }

  @Override
  protected Duration timestampPrecision() {
    return Duration.ofSeconds(1);
  }

  @Override
  protected ProviderDescriptor descriptor() {
    return SalesforceCustomerSystemProvider.DESCRIPTOR;
  }

  @BeforeEach
  void onlyTheSectionsThisBranchCovers(TestInfo test) {
    String section = test.getTestClass().map(Class::getSimpleName).orElse("");
    assumeTrue(Set.of("ChangeFeed", "TenantIsolation", "SalesforceContractTest").contains(section),
        "section " + section + " runs in the sf-customers branch's contract test");
  }

  @AfterEach
  void closeEmulators() {
    emulators.forEach(SalesforceEmulator::close);
    emulators.clear();
  }
}
