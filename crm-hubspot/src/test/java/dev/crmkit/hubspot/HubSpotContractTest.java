package dev.crmkit.hubspot;

import dev.crmkit.CustomerSystem;
import dev.crmkit.DealStage;
import dev.crmkit.DealStatus;
import dev.crmkit.Pipeline;
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
 * suite writes are mapped to custom contact properties (and the deal custom field to a deal property),
 * as a HubSpot account would define them; deal owners are numeric HubSpot owner ids.
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
    // A second deal pipeline, as a Sales Hub Starter account may have, so the suite's other-pipeline case runs.
    emulator.addDealPipeline(new Pipeline("repairs", "Repairs", List.of(DealStage.open("booked", "Booked"),
        new DealStage("done", "Done", DealStatus.WON), new DealStage("cancelled", "Cancelled", DealStatus.LOST))));
    TenantConfig.Builder config = TenantConfig.builder(tenantId, "hubspot")
        .credential(HubSpotCustomerSystemProvider.ACCESS_TOKEN, emulator.accessToken())
        .setting(HubSpotCustomerSystemProvider.BASE_URL, emulator.baseUrl())
        .setting(HubSpotCustomerSystemProvider.PROACTIVE_RATE_LIMITING, "false");
    for (String field : List.of("source", "loyaltyId", "rank", "tier", "a", "b")) {
      config.setting(HubSpotCustomerSystemProvider.CUSTOM_FIELD_PREFIX + field, "crmkit_cf_" + field.toLowerCase());
    }
    // Deal custom fields live in deal properties of their own, as the account would define them.
    config.setting(HubSpotCustomerSystemProvider.DEAL_CUSTOM_FIELD_PREFIX + "source", "crmkit_deal_source");
    return provider.create(new ProviderContext(config.build(), clock, Map.of()));
  }

  /** HubSpot keeps a deal's owner as a numeric owner id ({@code hubspot_owner_id}). */
  @Override
  protected String dealOwner() {
    return "101";
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
