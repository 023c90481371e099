/**
 * Inbound messages and first contact: {@link dev.crmkit.inbound.FirstContactHandler} finds or creates
 * the sender's customer and logs the interaction, once per message id.
 */
package dev.crmkit.inbound;
