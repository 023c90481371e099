/**
 * crmkit's exceptions: one unchecked base, {@link dev.crmkit.error.CrmException}, and a subtype per
 * thing a caller can act on. Statuses and vendor codes map to these types in one place per runtime.
 */
package dev.crmkit.error;
