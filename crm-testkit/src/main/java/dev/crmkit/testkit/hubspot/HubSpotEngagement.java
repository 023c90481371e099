package dev.crmkit.testkit.hubspot;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One engagement (note, call, email, meeting or communication) as the emulator stores it, for
 * test assertions.
 *
 * @param type the object type's path name: {@code notes}, {@code calls}, {@code emails}, {@code
 *     meetings} or {@code communications}
 * @param id the engagement's numeric id
 * @param properties every set property, sorted by name, including {@code hs_timestamp} as an
 *     ISO-8601 instant such as {@code 2026-03-01T10:00:00.000Z}; unmodifiable
 */
public record HubSpotEngagement(String type, String id, Map<String, String> properties) {
  /** Copies the properties; every argument must be non-null. */
  public HubSpotEngagement {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(id, "id");
    properties = Collections.unmodifiableMap(new TreeMap<>(properties));
  }
}
