package dev.crmkit;

import dev.crmkit.provider.OAuthConnector;
import dev.crmkit.provider.ProviderDescriptor;
import dev.crmkit.webhook.WebhookRouter;
import java.util.Optional;
import java.util.Set;

/**
 * Makes {@link CustomerSystem}s of one kind. Found by {@link java.util.ServiceLoader}: list the
 * implementing class in {@code META-INF/services/dev.crmkit.CustomerSystemProvider}. Implementations
 * need a public no-argument constructor and must be thread-safe.
 */
public interface CustomerSystemProvider {

  /** The stable, lower-case name tenants configure, such as {@code "native"} or {@code "hubspot"}. */
  String name();

  /** Other names that select this provider; default none. */
  default Set<String> aliases() {
    return Set.of();
  }

  /**
   * What this provider is and what it needs: display name, category, features, auth kinds and typed
   * settings. Its {@link ProviderDescriptor#name()} equals {@link #name()}. Called once when an
   * {@link IntegrationFactory} is built; a constant is the usual implementation.
   */
  ProviderDescriptor descriptor();

  /**
   * Builds a system for one tenant. {@link IntegrationFactory} has checked the config against
   * {@link #descriptor()} ({@link ProviderDescriptor#validate}) before it calls this; a provider reads
   * its values through the descriptor's {@link dev.crmkit.provider.SettingDescriptor}s and checks
   * only what the descriptor cannot say (one of two credentials, a resource, the back end's answer).
   *
   * @throws dev.crmkit.error.ConfigurationException naming a missing or malformed setting or resource
   */
  CustomerSystem create(ProviderContext context);

  /**
   * How this provider's webhook deliveries are routed to the tenant integration they belong to, when
   * one endpoint receives every tenant's deliveries: the account a delivery names, the verifying
   * handler built from an integration's config, and the answers the vendor expects. Default: empty, for
   * a provider whose vendor sends no webhooks or that does not support routing them.
   *
   * @return the router, or empty
   */
  default Optional<WebhookRouter> webhooks() {
    return Optional.empty();
  }

  /**
   * How this provider connects an account by OAuth 2.0 (authorization URL with state and PKCE where
   * the vendor supports it, code exchange, the account id), for the integrations layer's "connect"
   * button. The default is empty: the provider has no OAuth connect (its tenants paste a token or
   * give their settings).
   *
   * @return the connector, or empty
   */
  default Optional<OAuthConnector> oauth() {
    return Optional.empty();
  }
}
