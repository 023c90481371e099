package dev.crmkit.testkit.salesforce;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One stored record: its type, its 18-character id and its field values by canonical field name
 * (system fields included). Mutable, guarded by the {@link OrgState} lock.
 */
final class SObjectRecord {
  final SObjectType type;
  final String id;
  final Map<String, Object> values;
  /** When it went to the recycle bin; null while live. */
  Instant deletedAt;

  SObjectRecord(SObjectType type, String id, Map<String, Object> values) {
    this.type = type;
    this.id = id;
    this.values = values;
  }

  boolean deleted() {
    return deletedAt != null;
  }

  Object get(String field) {
    return values.get(field);
  }

  SObjectRecord copy() {
    SObjectRecord copy = new SObjectRecord(type, id, new LinkedHashMap<>(values));
    copy.deletedAt = deletedAt;
    return copy;
  }
}
