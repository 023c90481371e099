package dev.crmkit.sync;

import dev.crmkit.Customer;
import java.util.Objects;

/** The built-in strategies that decide for one side as a whole, or for a person. */
enum WholeRecordStrategy implements ConflictStrategy {
  LAST_WRITE_WINS("lastWriteWins") {
    @Override
    public ConflictResolution resolve(Customer base, Customer local, Customer remote) {
      Objects.requireNonNull(local, "local");
      Objects.requireNonNull(remote, "remote");
      return remote.updatedAt().isAfter(local.updatedAt())
          ? ConflictResolution.remoteWins(base, local, remote)
          : ConflictResolution.localWins(base, local, remote);
    }
  },
  LOCAL_MASTER("localMaster") {
    @Override
    public ConflictResolution resolve(Customer base, Customer local, Customer remote) {
      return ConflictResolution.localWins(base, local, remote);
    }
  },
  EXTERNAL_MASTER("externalMaster") {
    @Override
    public ConflictResolution resolve(Customer base, Customer local, Customer remote) {
      return ConflictResolution.remoteWins(base, local, remote);
    }
  },
  MANUAL("manual") {
    @Override
    public ConflictResolution resolve(Customer base, Customer local, Customer remote) {
      Objects.requireNonNull(local, "local");
      Objects.requireNonNull(remote, "remote");
      if (CustomerFields.differing(local, remote).isEmpty()) {
        return ConflictResolution.localWins(base, local, remote);
      }
      return ConflictResolution.manual(local, remote, CustomerFields.clashing(base, local, remote));
    }
  };

  private final String label;

  WholeRecordStrategy(String label) {
    this.label = label;
  }

  /** The factory's name, such as {@code lastWriteWins}. */
  @Override
  public String toString() {
    return label;
  }
}
