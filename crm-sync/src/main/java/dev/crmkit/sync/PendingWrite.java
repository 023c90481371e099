package dev.crmkit.sync;

import dev.crmkit.CustomerWrite;
import dev.crmkit.UpsertOutcome;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A write queued for the page's batch to {@code target}; {@code done} takes its outcome, rejected
 * ones included. A failure is the record {@code recordId}'s, on {@code recordSide}, and fails the
 * inbox events in {@code events}: those whose outcome waits for this write (empty outside a drain).
 * {@code pendingExternalId} is, for a keyed remote create, the pending mapping stored before it is sent.
 */
record PendingWrite(SyncSide target, CustomerWrite write, String recordId, SyncSide recordSide,
    Set<String> events, String pendingExternalId, Consumer<UpsertOutcome> done) {}
