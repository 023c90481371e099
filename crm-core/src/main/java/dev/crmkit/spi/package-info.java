/**
 * Building blocks for implementers of {@link dev.crmkit.CustomerSystem}, of sync state stores and of
 * connectors, so that every provider applies the same rules: {@link dev.crmkit.spi.Validation} (every
 * input limit and its check, raising {@link dev.crmkit.error.ValidationException}),
 * {@link dev.crmkit.spi.TenantIds} (the tenant id rule) and {@link dev.crmkit.spi.Secrets} (which names
 * carry credentials, and their redaction). Host applications rarely need them.
 */
package dev.crmkit.spi;
