package dev.crmkit.bench.internal;

import dev.crmkit.CustomerDraft;
import dev.crmkit.UpsertOutcome;
import dev.crmkit.bench.MessageStream;
import dev.crmkit.identity.PhoneNumbers;
import dev.crmkit.inbound.FirstContactHandler;
import dev.crmkit.inbound.FirstContactResult;
import dev.crmkit.inbound.InboundMessage;
import dev.crmkit.jdbc.NativeCustomerSystem;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * One run of each workload on each side. Only the work between the two clock readings is timed:
 * opening the system or baseline, generating messages and the first-contact runs' initial import
 * happen before it.
 */
public final class Workloads {
  /** Drafts per {@code upsert} call, as a host importing a file would send them. */
  public static final int HOST_CHUNK = 1_000;
  /** The region phones are read in. */
  public static final String REGION = "US";
  /** The seed of every message stream, so every run handles the same messages. */
  public static final long SEED = 20_260_105L;

  private Workloads() {}

  /**
   * One timed run.
   *
   * @param seconds wall time of the timed region
   * @param tally outcome name to count (created, updated, rejected; or MATCHED, CREATED, DUPLICATE)
   */
  public record Run(double seconds, Map<String, Long> tally) {}

  /** crmkit bulk import: {@code upsert} in host chunks of {@value #HOST_CHUNK}. */
  public static Run crmkitImport(DataSource ds, String tenantId, List<CustomerDraft> drafts) {
    NativeCustomerSystem system = NativeCustomerSystem.open(ds, tenantId, Clock.systemUTC(),
        PhoneNumbers.forRegion(REGION));
    Map<String, Long> tally = new TreeMap<>();
    long t0 = System.nanoTime();
    for (int i = 0; i < drafts.size(); i += HOST_CHUNK) {
      for (UpsertOutcome o : system.upsert(drafts.subList(i, Math.min(drafts.size(), i + HOST_CHUNK)))) {
        tally.merge(o.status().name().toLowerCase(Locale.ROOT), 1L, Long::sum);
      }
    }
    long t1 = System.nanoTime();
    return new Run((t1 - t0) / 1e9, tally);
  }

  /** Plain-JDBC bulk import of the same drafts. */
  public static Run baselineImport(DataSource ds, String tenantId, List<CustomerDraft> drafts) throws SQLException {
    ImportBaseline baseline = new ImportBaseline(ds, tenantId, Clock.systemUTC(), PhoneNumbers.forRegion(REGION));
    long t0 = System.nanoTime();
    ImportBaseline.Tally t = baseline.run(drafts);
    long t1 = System.nanoTime();
    Map<String, Long> tally = new TreeMap<>();
    put(tally, "created", t.created());
    put(tally, "updated", t.updated());
    put(tally, "rejected", t.rejected());
    return new Run((t1 - t0) / 1e9, tally);
  }

  /**
   * crmkit first contact: imports the drafts (untimed, with crmkit, on {@code importSource}), then
   * times {@link FirstContactHandler#handle} over the message stream on {@code ds}.
   */
  public static Run crmkitFirstContact(DataSource importSource, DataSource ds, String tenantId,
      List<CustomerDraft> drafts, int messages) {
    crmkitImport(importSource, tenantId, drafts);
    PhoneNumbers phones = PhoneNumbers.forRegion(REGION);
    List<InboundMessage> stream = MessageStream.generate(tenantId, drafts, phones, messages, SEED);
    NativeCustomerSystem system = NativeCustomerSystem.open(ds, tenantId, Clock.systemUTC(), phones);
    FirstContactHandler handler = FirstContactHandler.builder(system).defaultRegion(REGION).build();
    Map<String, Long> tally = new TreeMap<>();
    long t0 = System.nanoTime();
    for (InboundMessage m : stream) {
      FirstContactResult r = handler.handle(m);
      tally.merge(r.outcome().name(), 1L, Long::sum);
    }
    long t1 = System.nanoTime();
    return new Run((t1 - t0) / 1e9, tally);
  }

  /** Plain-JDBC first contact over the same data and messages. */
  public static Run baselineFirstContact(DataSource importSource, DataSource ds, String tenantId,
      List<CustomerDraft> drafts, int messages) throws SQLException {
    crmkitImport(importSource, tenantId, drafts);
    PhoneNumbers phones = PhoneNumbers.forRegion(REGION);
    List<InboundMessage> stream = MessageStream.generate(tenantId, drafts, phones, messages, SEED);
    FirstContactBaseline baseline = new FirstContactBaseline(ds, tenantId, Clock.systemUTC(), phones);
    Map<String, Long> tally = new TreeMap<>();
    long t0 = System.nanoTime();
    for (InboundMessage m : stream) {
      tally.merge(baseline.handle(m).name(), 1L, Long::sum);
    }
    long t1 = System.nanoTime();
    return new Run((t1 - t0) / 1e9, tally);
  }

  private static void put(Map<String, Long> tally, String key, int n) {
    if (n > 0) {
      tally.put(key, (long) n);
    }
  }
}
