package dev.crmkit.examples.syncdemo;

import dev.crmkit.Customer;
import dev.crmkit.sync.ConflictResolution;
import dev.crmkit.sync.ConflictStrategy;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A {@link ConflictStrategy} that asks another and remembers each conflict with its answer, so the
 * demo can show what the engine met: the engine reports automatically resolved conflicts only in
 * its counts. Thread-safe.
 */
final class RecordingStrategy implements ConflictStrategy {

  /** One call: the three records and the answer. */
  record Met(Customer base, Customer local, Customer remote, ConflictResolution resolution) {}

  private final ConflictStrategy inner;
  private final List<Met> met = new ArrayList<>();

  RecordingStrategy(ConflictStrategy inner) {
    this.inner = Objects.requireNonNull(inner, "inner");
  }

  @Override
  public ConflictResolution resolve(Customer base, Customer local, Customer remote) {
    ConflictResolution resolution = inner.resolve(base, local, remote);
    synchronized (met) {
      met.add(new Met(base, local, remote, resolution));
    }
    return resolution;
  }

  /** The conflicts met so far, in order. */
  List<Met> met() {
    synchronized (met) {
      return List.copyOf(met);
    }
  }

  /** The inner strategy's name: the engine stores it with parked conflicts. */
  @Override
  public String toString() {
    return inner.toString();
  }
}
