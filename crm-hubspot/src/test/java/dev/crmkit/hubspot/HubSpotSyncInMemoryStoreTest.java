package dev.crmkit.hubspot;

import dev.crmkit.sync.InMemorySyncStore;
import dev.crmkit.sync.spi.SyncStore;
import dev.crmkit.testkit.MutableClock;
import dev.crmkit.testkit.sync.RemoteSide;
import dev.crmkit.testkit.sync.SyncScenarioSuite;
import java.time.Clock;

/** The sync scenarios against HubSpot with the sync state in memory. */
class HubSpotSyncInMemoryStoreTest extends SyncScenarioSuite {
  @Override
  protected RemoteSide newRemote(MutableClock clock) {
    return new HubSpotRemoteSide(clock);
  }

  @Override
  protected SyncStore newStore(Clock clock) {
    return new InMemorySyncStore(clock);
  }
}
