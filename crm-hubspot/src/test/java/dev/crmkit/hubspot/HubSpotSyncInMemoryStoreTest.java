package dev.crmkit.hubspot;

import dev.crmkit.sync.InMemorySyncStore;
import dev.crmkit.sync.spi.SyncStore;
import java.time.Clock;

/** The HubSpot sync scenarios with the sync state in memory. */
class HubSpotSyncInMemoryStoreTest extends HubSpotSyncTestBase {
  @Override
  SyncStore newStore(Clock clock) {
    return new InMemorySyncStore(clock);
  }
}
