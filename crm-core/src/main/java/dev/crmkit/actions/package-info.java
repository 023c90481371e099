/**
 * Event actions: host events (a message received, an appointment booked, a call completed, a document
 * sent, an order placed, a customer updated) become CRM writes, configured per tenant, once per event id,
 * delivered through a durable outbox with bounded retries.
 *
 * <p>Entry point: {@link dev.crmkit.actions.EventActions}, built with an {@link
 * dev.crmkit.actions.EventOutbox} ({@link dev.crmkit.actions.InMemoryEventOutbox} here, {@code
 * dev.crmkit.jdbc.JdbcEventOutbox} in crm-native-jdbc for a durable one), a function from tenant id to
 * {@link dev.crmkit.CustomerSystem}, and optionally an {@link dev.crmkit.actions.ActionMapping} per tenant
 * (default {@link dev.crmkit.actions.ActionMapping#defaults()}, see {@link dev.crmkit.actions.DefaultActions}).
 *
 * <p>Events: {@link dev.crmkit.actions.HostEvent} and its records {@link dev.crmkit.actions.MessageReceived},
 * {@link dev.crmkit.actions.AppointmentBooked}, {@link dev.crmkit.actions.CallCompleted}, {@link
 * dev.crmkit.actions.DocumentSent}, {@link dev.crmkit.actions.OrderPlaced} and {@link
 * dev.crmkit.actions.CustomerUpdated}, each naming its customer by a {@link dev.crmkit.actions.CustomerRef}.
 * {@link dev.crmkit.actions.HostEventCodec} writes them as versioned text for an outbox.
 */
package dev.crmkit.actions;
