/**
 * The in-memory customer system: every capability of {@link dev.crmkit.CustomerSystem} on heap data,
 * for tests, prototypes and demos. Select it with the provider name {@code "memory"}.
 */
package dev.crmkit.memory;
