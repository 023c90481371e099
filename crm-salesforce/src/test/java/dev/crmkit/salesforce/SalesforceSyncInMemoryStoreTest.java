package dev.crmkit.salesforce;

import dev.crmkit.sync.InMemorySyncStore;
import dev.crmkit.sync.spi.SyncStore;
import dev.crmkit.testkit.MutableClock;
import dev.crmkit.testkit.sync.RemoteSide;
import dev.crmkit.testkit.sync.SyncScenarioSuite;
import java.time.Clock;

/** The sync scenarios against Salesforce with the sync state in memory. */
class SalesforceSyncInMemoryStoreTest extends SyncScenarioSuite {
  @Override
  protected RemoteSide newRemote(MutableClock clock) {
    return new SalesforceRemoteSide(clock);
  }

  @Override
  protected SyncStore newStore(Clock clock) {
    return new InMemorySyncStore(clock);
  }
}
