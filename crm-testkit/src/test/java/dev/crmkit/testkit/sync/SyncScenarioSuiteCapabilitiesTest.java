package dev.crmkit.testkit.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import dev.crmkit.CustomerSystem;
import dev.crmkit.ProviderContext;
import dev.crmkit.TenantConfig;
import dev.crmkit.memory.InMemoryCustomerSystem;
import dev.crmkit.sync.FieldMapping;
import dev.crmkit.sync.InMemorySyncStore;
import dev.crmkit.sync.SyncEngine;
import dev.crmkit.sync.spi.SyncStore;
import dev.crmkit.testkit.MutableClock;
import dev.crmkit.webhook.ChangeEvent;
import dev.crmkit.webhook.ChangeEventType;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

class SyncScenarioSuiteCapabilitiesTest {

  @Test
  void scenariosARemoteCannotDoAreSkippedWithAMessageNamingTheMissingCapability() {
    LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request().selectors(
        selectMethod(WithoutCapabilities.class, "aUiEditArrivesInRealTimeAndIsAppliedAtOnceWhileTheEnginesOwnWritesComeBackAsEchoes"),
        selectMethod(WithoutCapabilities.class, "aDeliveryMadeTwiceIsAppliedOnce"),
        selectMethod(WithoutCapabilities.class, "shuffledAndRetriedDeliveriesOfSeveralEditsToOneRecordEndOnTheLatest"),
        selectMethod(WithoutCapabilities.class, "deletionRestoreAndMergeEventsFromTheUiApplyLocallyAndTheEnginesOwnComeBackAsEchoes"),
        selectMethod(WithoutCapabilities.class, "aMergeInTheVendorUiBecomesALocalMergeAndALocalMergeBecomesARemoteMerge"))
        .build();
    List<String> outcomes = new ArrayList<>();
    LauncherFactory.create().execute(request, new TestExecutionListener() {
      @Override
      public void executionSkipped(TestIdentifier test, String reason) {
        outcomes.add(test.getDisplayName() + " skipped: " + reason);
      }

      @Override
      public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (test.isTest()) {
          outcomes.add(test.getDisplayName() + " " + result.getStatus() + ": "
              + result.getThrowable().map(Throwable::getMessage).orElse(""));
        }
      }
    });

    assertThat(outcomes).containsExactlyInAnyOrder(
        "aUiEditArrivesInRealTimeAndIsAppliedAtOnceWhileTheEnginesOwnWritesComeBackAsEchoes() ABORTED: "
            + "Assumption failed: stub cannot do REALTIME_CHANGES",
        "aDeliveryMadeTwiceIsAppliedOnce() ABORTED: Assumption failed: stub cannot do REALTIME_CHANGES",
        "shuffledAndRetriedDeliveriesOfSeveralEditsToOneRecordEndOnTheLatest() ABORTED: "
            + "Assumption failed: stub cannot do REALTIME_CHANGES",
        "deletionRestoreAndMergeEventsFromTheUiApplyLocallyAndTheEnginesOwnComeBackAsEchoes() ABORTED: "
            + "Assumption failed: stub cannot do REALTIME_DELETIONS",
        "aMergeInTheVendorUiBecomesALocalMergeAndALocalMergeBecomesARemoteMerge() ABORTED: "
            + "Assumption failed: stub cannot do MERGE_IN_UI");
  }

  /** The suite over a remote that can do nothing optional; run only through the launcher above. */
  static class WithoutCapabilities extends SyncScenarioSuite {
    @Override
    protected RemoteSide newRemote(MutableClock clock) {
      return new IncapableRemote(clock);
    }

    @Override
    protected SyncStore newStore(Clock clock) {
      return new InMemorySyncStore(clock);
    }
  }

  /** A remote with no optional capability; every vendor hook fails, so a scenario that is not skipped fails. */
  private static final class IncapableRemote implements RemoteSide {
    private final CustomerSystem system;

    IncapableRemote(Clock clock) {
      system = new InMemoryCustomerSystem(new ProviderContext(TenantConfig.builder("shop-1", "stub").build(), clock, Map.of()));
    }

    @Override public String provider() { return "stub"; }
    @Override public CustomerSystem system() { return system; }
    @Override public FieldMapping mapping() { throw unsupported(); }
    @Override public int batchLimit() { return 10; }
    @Override public Set<Capability> capabilities() { return Set.of(); }
    @Override public String createInUi(Map<Field, String> fields) { throw unsupported(); }
    @Override public void editInUi(String id, Map<Field, String> fields) { throw unsupported(); }
    @Override public void deleteInUi(String id) { throw unsupported(); }
    @Override public void restoreInUi(String id) { throw unsupported(); }
    @Override public void mergeInUi(String survivorId, String mergedId) { throw unsupported(); }
    @Override public Optional<Map<Field, String>> readInUi(String id) { throw unsupported(); }
    @Override public int liveCount() { throw unsupported(); }
    @Override public void deliverInto(SyncEngine engine) { throw unsupported(); }
    @Override public List<Delivery> deliver() { throw unsupported(); }
    @Override public List<Delivery> deliverTwice() { throw unsupported(); }
    @Override public List<Delivery> deliverShuffled(long seed) { throw unsupported(); }
    @Override public List<String> pendingEventIds() { throw unsupported(); }
    @Override public void refuseNextDeliveries(int count) { throw unsupported(); }
    @Override public List<ChangeEvent> received() { throw unsupported(); }
    @Override public int accepted() { throw unsupported(); }
    @Override public int duplicates() { throw unsupported(); }
    @Override public int refused() { throw unsupported(); }
    @Override public ChangeEvent event(String eventId, ChangeEventType type, String recordId, Field field) { throw unsupported(); }
    @Override public boolean isOwnWrite(ChangeEvent event) { throw unsupported(); }
    @Override public void failNext(int requests, Failure failure) { throw unsupported(); }
    @Override public void clearFaults() { throw unsupported(); }
    @Override public void resetCalls() { throw unsupported(); }
    @Override public long calls(Call kind) { throw unsupported(); }
    @Override public void close() {}

    private static UnsupportedOperationException unsupported() {
      return new UnsupportedOperationException("not a capability of this stub");
    }
  }
}
