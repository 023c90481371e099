/**
 * A host's HubSpot webhook endpoint on the JDK HTTP server: {@link
 * dev.crmkit.examples.webhook.HubSpotWebhookEndpoint} verifies each delivery with {@code
 * HubSpotWebhookHandler} and passes the events to a consumer (typically the sync engine's inbox).
 */
package dev.crmkit.examples.webhook;
