package dev.crmkit.testkit.hubspot;

import java.time.Instant;
import java.util.SortedMap;

/**
 * One stored contact as an immutable snapshot; the store replaces it on every write.
 *
 * @param properties unmodifiable, sorted by name; values are never null or empty
 * @param archivedAt null while the contact is live
 */
record CrmObject(
    long id, SortedMap<String, String> properties, Instant createdAt, Instant updatedAt, Instant archivedAt) {

  boolean archived() {
    return archivedAt != null;
  }

  String property(String name) {
    return properties.get(name);
  }
}
