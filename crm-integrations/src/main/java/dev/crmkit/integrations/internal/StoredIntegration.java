package dev.crmkit.integrations.internal;

import dev.crmkit.integrations.TenantIntegration;
import java.util.Objects;

/**
 * A row of {@code crmkit_integration}: the integration as reads return it, and its sealed credentials
 * (the {@link CredentialCipher} envelope, or {@code null} when none is set). Internal only: the
 * envelope never leaves crm-integrations. {@link #toString()} shows no envelope.
 *
 * @param integration the integration; never null
 * @param sealedCredentials the envelope, or null
 */
public record StoredIntegration(TenantIntegration integration, String sealedCredentials) {
  /** @throws NullPointerException when {@code integration} is null */
  public StoredIntegration {
    Objects.requireNonNull(integration, "integration");
  }

  /** The integration's id. */
  public String id() {
    return integration.id();
  }

  /** The owning tenant. */
  public String tenantId() {
    return integration.tenantId();
  }

  /** The key id the credentials are sealed under, or null when none is set. */
  public String keyId() {
    return sealedCredentials == null ? null : CredentialCipher.keyId(sealedCredentials);
  }

  @Override
  public String toString() {
    return "StoredIntegration{" + integration + ", credentials=" + (sealedCredentials == null ? "none" : "sealed") + "}";
  }
}
