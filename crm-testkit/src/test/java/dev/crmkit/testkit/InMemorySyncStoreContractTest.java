package dev.crmkit.testkit;

import dev.crmkit.sync.InMemorySyncStore;
import dev.crmkit.sync.spi.SyncStore;
import java.time.Clock;

/**
 * The in-memory sync store passes the contract suite. Every store a test opens is the same
 * instance, the in-memory stand-in for two processes sharing one database.
 */
class InMemorySyncStoreContractTest extends SyncStoreContractTest {
  private InMemorySyncStore shared;

  @Override
  protected SyncStore newStore(Clock clock) {
    if (shared == null) {
      shared = new InMemorySyncStore(clock);
    }
    return shared;
  }
}
