/**
 * The integrations layer a host puts behind "Settings, Integrations": {@link
 * dev.crmkit.integrations.IntegrationService} over the host's {@link javax.sql.DataSource}.
 */
package dev.crmkit.integrations;
