package dev.crmkit.sync;

import dev.crmkit.Customer;
import dev.crmkit.CustomerField;
import dev.crmkit.sync.ConflictResolution.FieldDecision;
import dev.crmkit.sync.CustomerFields.ElementMerge;
import dev.crmkit.sync.CustomerFields.ElementView;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** {@link ConflictStrategy#fieldLevelMerge}: three-way merge per field, clashes to a fallback. */
final class FieldLevelMerge implements ConflictStrategy {
  private final ConflictStrategy fallback;

  FieldLevelMerge(ConflictStrategy fallback) {
    this.fallback = fallback;
  }

  @Override
  public ConflictResolution resolve(Customer base, Customer local, Customer remote) {
    Objects.requireNonNull(local, "local");
    Objects.requireNonNull(remote, "remote");
    Customer.Builder out = local.toBuilder();
    List<CustomerField> clashes = new ArrayList<>();
    Map<CustomerField, ElementMerge<?, ?>> pending = new EnumMap<>(CustomerField.class);
    for (CustomerField f : CustomerField.values()) {
      ElementView<?, ?> view = CustomerFields.elements(f);
      if (view != null) {
        ElementMerge<?, ?> m = mergeElements(view, base, local, remote, out);
        if (!m.clashing().isEmpty()) {
          clashes.add(f);
          pending.put(f, m);
        }
        continue;
      }
      Object b = base == null ? null : base.get(f);
      switch (CustomerFields.change(base != null, b, local.get(f), remote.get(f))) {
        case REMOTE_ONLY -> CustomerFields.copy(out, f, remote);
        case BOTH -> clashes.add(f);
        default -> { }
      }
    }
    if (clashes.isEmpty()) {
      return ConflictResolution.resolvedTo(local, remote, out.build(), List.of());
    }
    ConflictResolution decided = Objects.requireNonNull(
        fallback.resolve(base, local, remote), () -> "fallback strategy " + fallback + " returned null");
    if (decided.isManual()) {
      return ConflictResolution.manual(local, remote, clashes);
    }
    Customer chosen = decided.resolved();
    List<FieldDecision> decisions = new ArrayList<>();
    for (CustomerField f : clashes) {
      ElementMerge<?, ?> m = pending.get(f);
      SyncSide winner;
      if (m == null) {
        CustomerFields.copy(out, f, chosen);
        Object v = chosen.get(f);
        winner = Objects.equals(v, local.get(f)) ? SyncSide.LOCAL
            : Objects.equals(v, remote.get(f)) ? SyncSide.REMOTE : SyncSide.MERGED;
      } else {
        winner = completeElements(CustomerFields.elements(f), m, local, remote, chosen, out);
      }
      decisions.add(new FieldDecision(f, winner));
    }
    return ConflictResolution.resolvedTo(local, remote, out.build(), decisions);
  }

  private static <K, V> ElementMerge<K, V> mergeElements(
      ElementView<K, V> view, Customer base, Customer local, Customer remote, Customer.Builder out) {
    ElementMerge<K, V> m = view.merge(base, local, remote);
    view.write(out, m.merged());
    return m;
  }

  /** Takes each clashing element from the fallback's choice; returns the side all of them came from. */
  @SuppressWarnings("unchecked")
  private static <K, V> SyncSide completeElements(
      ElementView<K, V> view, ElementMerge<?, ?> pending, Customer local, Customer remote, Customer chosen,
      Customer.Builder out) {
    ElementMerge<K, V> m = (ElementMerge<K, V>) pending;
    Map<K, V> l = view.read(local);
    Map<K, V> r = view.read(remote);
    Map<K, V> c = view.read(chosen);
    Map<K, V> merged = new LinkedHashMap<>(m.merged());
    boolean allLocal = true;
    boolean allRemote = true;
    for (K k : m.clashing()) {
      V v = c.get(k);
      if (v != null) {
        merged.put(k, v);
      }
      allLocal &= Objects.equals(v, l.get(k));
      allRemote &= Objects.equals(v, r.get(k));
    }
    view.write(out, merged);
    return allLocal ? SyncSide.LOCAL : allRemote ? SyncSide.REMOTE : SyncSide.MERGED;
  }

  @Override
  public String toString() {
    return "fieldLevelMerge(" + fallback + ")";
  }
}
