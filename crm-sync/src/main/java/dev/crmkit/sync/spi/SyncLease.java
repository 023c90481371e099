package dev.crmkit.sync.spi;

import java.time.Instant;
import dev.crmkit.sync.IntegrationKey;

/**
 * The right of one owner to run one integration's sync until {@link #expiresAt()}. Immutable.
 *
 * @param key the integration
 * @param owner who holds it, as given to {@link SyncStore#acquireLease}
 * @param acquiredAt when this owner took it (renewals keep it)
 * @param expiresAt when it lapses unless renewed; after it any owner may take the lease
 * @param generation the fencing token: 1 for the integration's first lease, and 1 more each time the
 *     lease is taken by an owner that did not hold it (after an expiry or a release); renewals and
 *     re-acquisitions by the holder keep it. A run passes it to {@link SyncCheckpoint.Builder#fence},
 *     so its checkpoints fail once another owner has taken over.
 */
public record SyncLease(IntegrationKey key, String owner, Instant acquiredAt, Instant expiresAt, long generation) {}
