/**
 * Pluggable policies of the core. Entry point: {@link dev.crmkit.policy.AutoCreatePolicy}, how an
 * unknown sender is matched and created at first contact. The conflict strategies of sync live in
 * crm-sync ({@code dev.crmkit.sync.ConflictStrategy}).
 */
package dev.crmkit.policy;
