/**
 * crmkit's public API: the domain model ({@link dev.crmkit.Customer}, {@link dev.crmkit.CustomerNote},
 * {@link dev.crmkit.CustomerActivity} and their input types), the {@link dev.crmkit.CustomerSystem}
 * SPI with its {@link dev.crmkit.CustomerSystemProvider} (which describes itself with a
 * {@link dev.crmkit.provider.ProviderDescriptor}), and {@link dev.crmkit.IntegrationFactory}, which
 * builds one system per tenant.
 *
 * <p>Values are immutable records; collections in them are unmodifiable; amounts are
 * {@link java.math.BigDecimal} with a currency; times are {@link java.time.Instant}. A component is
 * {@code null} only where its javadoc says so.
 */
package dev.crmkit;
