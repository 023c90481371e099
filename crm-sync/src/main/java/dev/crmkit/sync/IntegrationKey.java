package dev.crmkit.sync;

import dev.crmkit.error.ValidationException;
import dev.crmkit.spi.TenantIds;
import java.util.regex.Pattern;

/**
 * Names one tenant integration, the unit all sync state belongs to: a tenant linked to one remote
 * system, such as {@code ("acme", "hubspot")}. Two integrations of one tenant (say {@code "hubspot"}
 * and {@code "hubspot-eu"}) keep separate state. Immutable.
 *
 * @param tenantId the tenant, 1 to 128 characters, compared exactly; no leading or trailing
 *     whitespace, control characters or unpaired surrogates
 * @param integration the integration's name, 1 to 64 of letters, digits, {@code _}, {@code .} and
 *     {@code -}, starting with a letter or digit
 */
public record IntegrationKey(String tenantId, String integration) {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

  /** @throws ValidationException naming {@code tenantId} or {@code integration} when malformed */
  public IntegrationKey {
    TenantIds.check(tenantId, "tenantId");
    if (integration == null || !NAME.matcher(integration).matches()) {
      throw ValidationException.of("integration", integration,
          "must be 1 to 64 letters, digits, '_', '.' or '-', starting with a letter or digit");
    }
  }

  /** {@code tenantId/integration}. */
  @Override
  public String toString() {
    return tenantId + "/" + integration;
  }
}
