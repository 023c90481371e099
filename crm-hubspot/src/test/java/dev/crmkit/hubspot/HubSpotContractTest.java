package dev.crmkit.hubspot;

import dev.crmkit.CustomerSystem;
import dev.crmkit.ProviderContext;
import dev.crmkit.TenantConfig;
import dev.crmkit.provider.ProviderDescriptor;
import dev.crmkit.testkit.CustomerSystemContractTest;
import dev.crmkit.testkit.hubspot.HubSpotEmulator;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;

/**
 * The provider contract suite against the HubSpot emulator. A tenant is one HubSpot account, so every
 * tenant gets its own emulator, built on the test's clock. The clock only moves when a test moves it, so
 * the emulator's rate limits and the provider's proactive limiter are both off. Each account's ids start
 * a million apart. The custom fields the
 * suite writes are mapped to custom contact properties, as a HubSpot account would define them.
 */
class HubSpotContractTest extends CustomerSystemContractTest {
  private final HubSpotCustomerSystemProvider provider = new HubSpotCustomerSystemProvider();
  private final List<HubSpotEmulator> emulators = new ArrayList<>();

  @Override
  protected CustomerSystem newSystem(String tenantId, Clock clock) {
    // Ids of different accounts start apart, as HubSpot's do, so the suite can tell records of two tenants apart.
    HubSpotEmulator emulator = HubSpotEmulator.builder().clock(clock).rateLimits(false)
        .firstObjectId(1 + emulators.size() * 1_000_000L).build();
    emulators.add(emulator);
    TenantConfig.Builder config = TenantConfig.builder(tenantId, "hubspot")
        .credential(HubSpotCustomerSystemProvider.ACCESS_TOKEN, emulator.accessToken())
        .setting(HubSpotCustomerSystemProvider.BASE_URL, emulator.baseUrl())
        .setting(HubSpotCustomerSystemProvider.PROACTIVE_RATE_LIMITING, "false");
    for (String field : List.of("source", "loyaltyId", "rank", "tier", "a", "b")) {
      config.setting(HubSpotCustomerSystemProvider.CUSTOM_FIELD_PREFIX + field, "crmkit_cf_" + field.toLowerCase());
    }
    return provider.create(new ProviderContext(config.build(), clock, Map.of()));
  }

  @Override
  protected ProviderDescriptor descriptor() {
    return HubSpotCustomerSystemProvider.DESCRIPTOR;
  }

  @AfterEach
  void closeEmulators() {
    emulators.forEach(HubSpotEmulator::close);
    emulators.clear();
  }
}
