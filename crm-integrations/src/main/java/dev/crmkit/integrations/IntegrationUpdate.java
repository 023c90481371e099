package dev.crmkit.integrations;

import dev.crmkit.error.FieldError;
import dev.crmkit.error.ValidationException;
import dev.crmkit.spi.Validation;
import dev.crmkit.sync.SyncFlow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A change to a tenant integration; a null component leaves that part as it is. Settings and
 * credentials are merged key by key: a key mapped to {@code null} (or blank) removes it. Immutable;
 * {@link #toString()} shows the credentials' keys, never their values.
 *
 * @param name new label (1 to {@value IntegrationDraft#MAX_NAME} characters, not blank), or null
 * @param flow new direction, or null
 * @param schedule new schedule, or null
 * @param settings settings to set or remove, or null; an unmodifiable sorted copy
 * @param credentials credentials to set or remove, or null; an unmodifiable sorted copy
 * @param expectedVersion the version the caller read, or null to skip the optimistic check
 */
public record IntegrationUpdate(String name, SyncFlow flow, SyncSchedule schedule, Map<String, String> settings,
    Map<String, String> credentials, Long expectedVersion) {

  /**
   * @throws ValidationException naming {@code name} (blank, too long, control characters),
   *     {@code settings} / {@code credentials} (a blank key) or {@code expectedVersion} (negative)
   */
  public IntegrationUpdate {
    List<FieldError> errors = new ArrayList<>();
    if (name != null) {
      IntegrationDraft.checkName(name, errors);
    }
    settings = settings == null ? null : IntegrationDraft.copy(settings, "settings", true, errors);
    credentials = credentials == null ? null : IntegrationDraft.copy(credentials, "credentials", true, errors);
    if (expectedVersion != null && expectedVersion < 0) {
      errors.add(new FieldError("expectedVersion", expectedVersion.toString(), "must be 0 or more"));
    }
    Validation.throwIfAny(errors);
  }

  /** The update with the credentials' keys only. */
  @Override
  public String toString() {
    return "IntegrationUpdate{name=" + name + ", flow=" + flow + ", schedule=" + schedule + ", settings="
        + (settings == null ? null : settings.keySet()) + ", credentials="
        + (credentials == null ? null : credentials.keySet() + " (redacted)") + ", expectedVersion="
        + expectedVersion + "}";
  }
}
