package dev.crmkit.sync;

import dev.crmkit.ChangeBatch;
import dev.crmkit.Customer;
import dev.crmkit.CustomerChange;
import dev.crmkit.CustomerSystem;
import dev.crmkit.PageRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import dev.crmkit.sync.spi.SyncStore;
import dev.crmkit.sync.internal.SnapshotState;
import dev.crmkit.sync.spi.IdMapping;

/**
 * Compares both sides of a {@link SyncEngine}'s integration record by record: a health check for
 * hosts and the convergence check of crmkit's sync tests. Reads every record of both systems through
 * their change feeds, page by page, and the id mappings from the store; writes nothing.
 *
 * <p>Both sides are <em>converged</em> when every live record of a side that sends changes (the
 * remote side when the flow pulls, the local side when it pushes) is linked to a live record on the
 * other side, no live record is linked to a deleted one, no two records share one counterpart, and
 * every linked pair holds equal values on the fields that flow between them (a value the remote
 * system only spells differently, as recorded in the pair's snapshot, counts as equal). Pairs parked
 * in the conflict queue are left out and counted apart.
 *
 * <p>Every live remote record that no mapping links is a problem, whatever the flow: a push that
 * created a record twice (5,002 remote records for 5,000 linked pairs) is not converged, and neither
 * is a pull-less integration whose remote system holds records the engine never linked. A mapping
 * still waiting for a remote create after a crash points at no remote record and is a problem too.
 */
public final class SyncAudit {
  private SyncAudit() {}

  /**
   * What the audit found.
   *
   * @param localRecords live local records
   * @param remoteRecords live remote records
   * @param linkedPairs live pairs found through the id mappings
   * @param parked pairs waiting in the conflict queue (not compared)
   * @param unlinkedRemoteRecords live remote records that no mapping links (each also a problem)
   * @param problems one line per difference, naming ids and field names but never values; empty when converged
   */
  public record Report(int localRecords, int remoteRecords, int linkedPairs, int parked, int unlinkedRemoteRecords,
      List<String> problems) {
    /** Copies {@code problems}. */
    public Report {
      problems = List.copyOf(problems);
    }

    /** True when no problem was found. */
    public boolean converged() {
      return problems.isEmpty();
    }
  }

  /**
   * Audits the engine's integration.
   *
   * @param engine the engine whose systems, store and mapping to compare
   * @return the report
   * @throws dev.crmkit.error.CrmException as the systems' change feeds and the store throw them
   */
  public static Report audit(SyncEngine engine) {
    Map<String, Customer> locals = all(engine.local());
    Map<String, Customer> remotes = all(engine.remote());
    SyncStore store = engine.store();
    IntegrationKey key = engine.key();
    FieldMapping mapping = engine.mapping();
    List<String> problems = new ArrayList<>();
    Set<String> remoteSeen = new TreeSet<>();
    int pairs = 0;
    int parked = 0;
    for (Customer l : locals.values()) {
      if (l.isDeleted()) {
        continue;
      }
      Optional<IdMapping> m = store.mappingByLocalId(key, l.id());
      if (m.isEmpty()) {
        if (engine.pushes()) {
          problems.add("local " + l.id() + " is not linked");
        }
        continue;
      }
      Customer r = remotes.get(m.get().externalId());
      if (r == null || r.isDeleted()) {
        problems.add("local " + l.id() + " is linked to remote " + m.get().externalId() + ", which is "
            + (r == null ? "missing" : "deleted"));
        continue;
      }
      if (!remoteSeen.add(r.id())) {
        problems.add("remote " + r.id() + " is linked twice");
      }
      SnapshotState s = SnapshotState.of(m.get().snapshot());
      if (s.conflictId() != null) {
        parked++;
        continue;
      }
      pairs++;
      Map<String, String> lv = mapping.localValues(l);
      Map<String, String> rv = mapping.remoteValues(r);
      List<String> differing = new ArrayList<>();
      for (String f : mapping.localFields()) {
        boolean flows = engine.pushes() && mapping.rule(f).pushes() || engine.pulls() && mapping.rule(f).pulls();
        if (!flows || Objects.equals(lv.get(f), rv.get(f))) {
          continue;
        }
        boolean spelledApart = s.hasBase() && Objects.equals(lv.get(f), s.localBase().get(f))
            && Objects.equals(rv.get(f), s.remoteBase().get(f));
        if (!spelledApart) {
          differing.add(f);
        }
      }
      if (!differing.isEmpty()) {
        problems.add("local " + l.id() + " and remote " + r.id() + " differ in " + differing);
      }
    }
    int liveRemotes = 0;
    int unlinkedRemotes = 0;
    for (Customer r : remotes.values()) {
      if (r.isDeleted()) {
        continue;
      }
      liveRemotes++;
      if (remoteSeen.contains(r.id())) {
        continue;
      }
      Optional<IdMapping> m = store.mappingByExternalId(key, r.id());
      if (m.isEmpty()) {
        unlinkedRemotes++;
        problems.add("remote " + r.id() + " is not linked");
      } else {
        Customer l = locals.get(m.get().localId());
        if (l == null || l.isDeleted()) {
          problems.add("remote " + r.id() + " is linked to local " + m.get().localId() + ", which is "
              + (l == null ? "missing" : "deleted"));
        }
      }
    }
    int liveLocals = (int) locals.values().stream().filter(c -> !c.isDeleted()).count();
    return new Report(liveLocals, liveRemotes, pairs, parked, unlinkedRemotes, problems);
  }

  /** Every record of a system, by id, in its latest state, read through its change feed. */
  private static Map<String, Customer> all(CustomerSystem system) {
    Map<String, Customer> out = new LinkedHashMap<>();
    String cursor = null;
    ChangeBatch batch;
    do {
      batch = system.changesSince(cursor, PageRequest.MAX_LIMIT);
      for (CustomerChange c : batch.changes()) {
        if (c.mergedIntoId() != null) {
          out.remove(c.customerId());
        } else {
          out.put(c.customerId(), c.customer());
        }
      }
      cursor = batch.nextCursor();
    } while (batch.hasMore());
    return out;
  }
}
