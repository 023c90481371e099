/**
 * Implementation of the connector runtime. Not API: not exported by the {@code dev.crmkit.http} module.
 *
 * <p>{@code ErrorMapper} turns an HTTP status and body into the typed exceptions of
 * {@code dev.crmkit.error} in one place; {@code RetryAfter} reads {@code Retry-After} (seconds or HTTP
 * date); {@code Redaction} keeps tokens and secrets out of messages and logs; {@code Json} parses bodies
 * into maps and lists; {@code SharedClient} is the one OkHttp client connectors share when the host
 * gives none.
 */
package dev.crmkit.http.internal;
