/**
 * The event-actions demo behind {@code crmkit actions-demo}: a small business's day of host events
 * (messages, bookings, calls, documents, orders, customer updates) delivered through the durable
 * outbox to the native store and to the HubSpot emulator, with redeliveries and injected faults.
 */
package dev.crmkit.examples.actionsdemo;
