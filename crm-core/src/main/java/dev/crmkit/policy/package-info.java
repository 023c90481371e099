/**
 * Pluggable policies: {@link dev.crmkit.policy.AutoCreatePolicy} for unknown senders, and the
 * conflict strategies the sync engine applies when both sides changed a customer.
 */
package dev.crmkit.policy;
