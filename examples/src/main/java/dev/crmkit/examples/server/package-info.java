/**
 * The example integrations server, the reference wiring of {@code crm-integrations} over HTTP: {@link
 * dev.crmkit.examples.server.IntegrationsServer} serves the REST API (tenant bearer tokens from {@link
 * dev.crmkit.examples.server.TenantTokens}), the OAuth callback, the vendor webhook route and the
 * pages; {@link dev.crmkit.examples.server.ServeEnvironment} is what {@code crmkit serve} starts around
 * it (H2 store, HubSpot and Salesforce emulators, demo tenants).
 */
package dev.crmkit.examples.server;
