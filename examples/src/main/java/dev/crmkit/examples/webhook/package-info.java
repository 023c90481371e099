/**
 * A host's real-time endpoints on the JDK HTTP server: {@link
 * dev.crmkit.examples.webhook.HubSpotWebhookEndpoint} verifies each HubSpot webhook delivery with {@code
 * HubSpotWebhookHandler} and passes the events to a consumer (typically the sync engine's inbox); {@link
 * dev.crmkit.examples.webhook.SalesforceOutboundMessageEndpoint} hands each Salesforce outbound message to
 * {@code SalesforceOutboundMessageHandler}, whose inbox takes the events, and answers its SOAP ack.
 */
package dev.crmkit.examples.webhook;
