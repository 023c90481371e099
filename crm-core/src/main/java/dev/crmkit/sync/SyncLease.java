package dev.crmkit.sync;

import java.time.Instant;

/**
 * The right of one owner to run one integration's sync until {@link #expiresAt()}. Immutable.
 *
 * @param key the integration
 * @param owner who holds it, as given to {@link SyncStore#acquireLease}
 * @param acquiredAt when this owner took it (renewals keep it)
 * @param expiresAt when it lapses unless renewed; after it any owner may take the lease
 */
public record SyncLease(IntegrationKey key, String owner, Instant acquiredAt, Instant expiresAt) {}
