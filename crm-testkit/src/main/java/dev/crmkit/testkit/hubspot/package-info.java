/**
 * A stateful emulator of HubSpot's CRM API for tests: contacts, engagements (notes, calls,
 * emails, meetings, communications), v4 associations, contact merge and GDPR delete, the OAuth
 * token endpoint and signed webhook delivery. Start a {@link
 * dev.crmkit.testkit.hubspot.HubSpotEmulator}, point the code under test at its base URL and
 * access token, and inspect its counters, inject faults, change records through its test hooks or
 * flush its webhooks.
 */
package dev.crmkit.testkit.hubspot;
