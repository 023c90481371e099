/**
 * Framework-agnostic webhook model. The host copies an incoming HTTP call into a {@link
 * dev.crmkit.webhook.WebhookRequest} and hands it to a vendor's {@link
 * dev.crmkit.webhook.WebhookHandler}, which verifies the signature (constant-time compare, replay
 * window), parses the payload into {@link dev.crmkit.webhook.ChangeEvent}s and says which {@link
 * dev.crmkit.webhook.WebhookResponse} to send back. No third-party types appear here.
 */
package dev.crmkit.webhook;
