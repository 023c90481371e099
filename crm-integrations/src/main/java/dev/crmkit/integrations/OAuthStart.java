package dev.crmkit.integrations;

import java.net.URI;
import java.time.Instant;

/**
 * Where to send the tenant's browser to connect an integration by OAuth (SKELETON: helper C).
 *
 * @param authorizationUrl the vendor's consent page, with state (and the PKCE challenge where supported)
 * @param expiresAt when the state stops being accepted
 */
public record OAuthStart(URI authorizationUrl, Instant expiresAt) {}
