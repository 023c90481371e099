/**
 * Implementation of the HubSpot provider. Not API: not exported by the {@code dev.crmkit.hubspot}
 * module.
 *
 * <p>{@link dev.crmkit.hubspot.HubSpotCustomerSystem} delegates one job to each class here:
 * {@code ContactReader} (get, find by email and phone, contact-to-customer mapping), {@code ContactWriter}
 * (create, update, delete, merge), {@code ContactUpsert} and {@code ContactBatchWriter} (batched writes,
 * through {@code ContactBatchCalls}), {@code ContactSearch} and {@code ContactScan} (search re-windowed
 * past HubSpot's result cap), {@code ContactChangeFeed}, {@code Engagements} and {@code Engagement}
 * (notes, calls, emails, meetings, communications), {@code ContactIdempotencyKeys}. Every request is
 * built in {@code HubSpotApi}, every cursor decoded and validated in {@code HubSpotCursors}, every
 * HubSpot error body mapped in {@code HubSpotErrors}; {@code EventParser} and {@code SignatureVerifier}
 * serve the webhook handler, {@code AccountState} holds what one account's systems share (credential, rate limiter, locks),
 * {@code PropertyValues} reads HubSpot's property values.
 */
package dev.crmkit.hubspot.internal;
