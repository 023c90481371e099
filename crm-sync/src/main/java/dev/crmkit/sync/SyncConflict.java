package dev.crmkit.sync;

import java.time.Instant;
import java.util.List;

/**
 * A record pair whose changes sync could not reconcile, parked for a person. Immutable.
 *
 * @param id the conflict's id, unique in the store
 * @param key the integration
 * @param localId the record's local id
 * @param externalId the record's remote id
 * @param fields the clashing fields in the order given; may be empty (a delete against an update);
 *     unmodifiable
 * @param strategy the name of the conflict strategy that parked it, such as {@code "manual"}
 * @param detectedAt when it was parked, by the store's clock
 * @param status whether it is still open
 * @param resolution how it was decided; {@code null} while {@link ConflictStatus#OPEN}
 */
public record SyncConflict(String id, IntegrationKey key, String localId, String externalId,
    List<FieldConflict> fields, String strategy, Instant detectedAt, ConflictStatus status,
    ConflictDecision resolution) {}
