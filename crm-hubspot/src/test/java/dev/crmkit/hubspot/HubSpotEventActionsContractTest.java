package dev.crmkit.hubspot;

import dev.crmkit.CustomerSystem;
import dev.crmkit.ProviderContext;
import dev.crmkit.TenantConfig;
import dev.crmkit.testkit.EventActionsContractTest;
import dev.crmkit.testkit.hubspot.HubSpotEmulator;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;

/**
 * The default event actions against the HubSpot emulator: one emulated account per tenant, on the test's
 * clock, rate limits off. Where the provider lacks a capability (orders; deals until they are built) the
 * suite checks the degraded writes and the outcome that says so.
 */
class HubSpotEventActionsContractTest extends EventActionsContractTest {
  private final HubSpotCustomerSystemProvider provider = new HubSpotCustomerSystemProvider();
  private final List<HubSpotEmulator> emulators = new ArrayList<>();

  @Override
  protected CustomerSystem newSystem(String tenantId, Clock clock) {
    HubSpotEmulator emulator = HubSpotEmulator.builder().clock(clock).rateLimits(false)
        .firstObjectId(1 + emulators.size() * 1_000_000L).build();
    emulators.add(emulator);
    TenantConfig config = TenantConfig.builder(tenantId, "hubspot")
        .credential(HubSpotCustomerSystemProvider.ACCESS_TOKEN, emulator.accessToken())
        .setting(HubSpotCustomerSystemProvider.BASE_URL, emulator.baseUrl())
        .setting(HubSpotCustomerSystemProvider.PROACTIVE_RATE_LIMITING, "false")
        .build();
    return provider.create(new ProviderContext(config, clock, Map.of()));
  }

  @AfterEach
  void closeEmulators() {
    emulators.forEach(HubSpotEmulator::close);
    emulators.clear();
  }
}
