package dev.crmkit.integrations;

import dev.crmkit.error.FieldError;
import dev.crmkit.error.ValidationException;
import dev.crmkit.spi.Validation;
import dev.crmkit.sync.SyncFlow;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a tenant submits to create an integration. Immutable; the maps are unmodifiable sorted copies.
 * {@link #toString()} shows the credentials' keys, never their values.
 *
 * <p>The checks here are the ones that need no provider: {@link IntegrationService#create} checks the
 * settings and credentials against the provider's {@link dev.crmkit.provider.ProviderDescriptor}.
 *
 * @param provider the provider name, such as {@code "hubspot"}; required
 * @param name the tenant's label, 1 to {@value #MAX_NAME} characters, not blank; required
 * @param flow the sync direction; required
 * @param schedule how often it syncs on its own; required
 * @param settings non-secret settings; {@code null} reads as empty; keys and values not null
 * @param credentials secret settings, sealed before they are stored; {@code null} reads as empty (an
 *     OAuth connect brings them later); keys and values not null
 */
public record IntegrationDraft(String provider, String name, SyncFlow flow, SyncSchedule schedule,
    Map<String, String> settings, Map<String, String> credentials) {
  /** Longest name, in UTF-16 characters: {@value}. */
  public static final int MAX_NAME = 100;

  /**
   * @throws ValidationException naming each bad component: {@code provider}, {@code name}, {@code flow},
   *     {@code schedule}, or {@code settings.<key>} / {@code credentials.<key>} for a null key or value
   *     (a credential's value is never shown)
   */
  public IntegrationDraft {
    List<FieldError> errors = new ArrayList<>();
    if (provider == null || provider.isBlank()) {
      errors.add(new FieldError("provider", provider, "is required: an installed provider's name"));
    }
    checkName(name, errors);
    if (flow == null) {
      errors.add(new FieldError("flow", null, "is required: PUSH, PULL or BIDIRECTIONAL"));
    }
    if (schedule == null) {
      errors.add(new FieldError("schedule", null, "is required: REAL_TIME, HOURLY, DAILY or MANUAL"));
    }
    settings = copy(settings, "settings", false, errors);
    credentials = copy(credentials, "credentials", false, errors);
    Validation.throwIfAny(errors);
  }

  /** Checks a label: 1 to {@value #MAX_NAME} characters, not blank, no control characters. */
  static void checkName(String name, List<FieldError> errors) {
    if (Validation.require(name, "name", MAX_NAME, errors)
        && name.chars().anyMatch(Character::isISOControl)) {
      errors.add(new FieldError("name", Validation.abbreviate(name), "must not contain control characters"));
    }
  }

  /**
   * An unmodifiable sorted copy of a map of settings or credentials: keys must be non-blank; values
   * non-null unless {@code nullValues} (an update's removals). Credential values are never shown.
   */
  static Map<String, String> copy(Map<String, String> map, String what, boolean nullValues, List<FieldError> errors) {
    if (map == null) {
      return Map.of();
    }
    TreeMap<String, String> out = new TreeMap<>();
    map.forEach((k, v) -> {
      if (k == null || k.isBlank()) {
        errors.add(new FieldError(what, k, "a key must not be blank"));
      } else if (v == null && !nullValues) {
        errors.add(new FieldError(what + "." + k, null, "needs a value"));
      } else {
        out.put(k, v);
      }
    });
    return Collections.unmodifiableMap(out);
  }

  /** The draft with the credentials' keys only. */
  @Override
  public String toString() {
    return "IntegrationDraft{provider=" + provider + ", name=" + name + ", flow=" + flow + ", schedule=" + schedule
        + ", settings=" + settings.keySet() + ", credentials=" + credentials.keySet() + " (redacted)}";
  }
}
