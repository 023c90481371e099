/**
 * HubSpot for crmkit: {@link dev.crmkit.hubspot.HubSpotWebhookHandler} verifies HubSpot's webhook
 * signatures (v1, v2, v3) and turns the batched event array into {@link dev.crmkit.webhook.ChangeEvent}s;
 * {@link dev.crmkit.hubspot.HubSpotSignatures} computes the signatures, also to sign payloads in tests;
 * {@link dev.crmkit.hubspot.HubSpotContactMapping} maps customers to contact properties and back.
 *
 * @see <a href="https://developers.hubspot.com/docs/api/webhooks/validating-requests">HubSpot: validating requests</a>
 */
package dev.crmkit.hubspot;
