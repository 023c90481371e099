package dev.crmkit.hubspot.internal;

import dev.crmkit.Customer;
import dev.crmkit.CustomerDraft;
import dev.crmkit.UpsertOutcome;
import dev.crmkit.error.ConflictException;
import dev.crmkit.error.CrmException;
import dev.crmkit.error.NotFoundException;
import dev.crmkit.error.ValidationException;
import dev.crmkit.hubspot.internal.HubSpotApi.BatchInput;
import dev.crmkit.identity.NormalizedPhone;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Sends one contacts batch call ({@code batch/upsert}, {@code batch/update} or {@code batch/create})
 * and reads its answer (200, 201 or 207) into outcomes record by record, through each input's
 * {@code objectWriteTraceId}. Shared by {@link ContactUpsert} and {@link ContactBatchWriter}.
 * Thread-safe: concurrent calls fill different slots of the outcomes.
 */
public final class ContactBatchCalls {
  private final ContactReader contacts;

  public ContactBatchCalls(ContactReader contacts) {
    this.contacts = contacts;
  }

  /** One record on its way through a batch write; its trace id is its index's text. */
  public static final class Item {
    final int index;
    final CustomerDraft draft;
    final NormalizedPhone phone;
    /** The stored contact an upsert matched, or {@code null}. */
    Customer match;
    /** An update by id from {@code bulkWrite}: the record exists, so its result is never CREATED. */
    boolean existing;

    Item(int index, CustomerDraft draft, NormalizedPhone phone) {
      this.index = index;
      this.draft = draft;
      this.phone = phone;
    }

    String emailKey() {
      return draft.email() == null ? null : "email:" + draft.email();
    }

    String phoneKey() {
      return phone == null ? null : "phone:" + phone.matchKey();
    }
  }

  /**
   * Sends one batch and fills the outcome of each of its items. A batch HubSpot refuses as a whole
   * for its content (400, 404 or 409) rejects each of its items with that error; transport, auth,
   * rate-limit and server errors propagate, and what earlier batches stored stays stored.
   *
   * @param sent the inputs, at most {@link HubSpotApi#BATCH_LIMIT}
   * @param byTrace the item of each trace id
   * @param outcomes the outcome slots, by item index
   * @param call the {@link HubSpotApi} batch method
   */
  public void send(List<BatchInput> sent, Map<String, Item> byTrace, UpsertOutcome[] outcomes,
      Function<List<BatchInput>, Map<String, Object>> call) {
    try {
      collect(call.apply(sent), sent, byTrace, outcomes);
    } catch (ValidationException | ConflictException | NotFoundException e) {
      for (BatchInput in : sent) {
        Item p = byTrace.get(in.traceId());
        outcomes[p.index] = new UpsertOutcome(p.index, UpsertOutcome.Status.REJECTED, null, e);
      }
    }
  }

  private void collect(Map<String, Object> answer, List<BatchInput> inputs, Map<String, Item> byTrace,
      UpsertOutcome[] outcomes) {
    Set<String> open = new LinkedHashSet<>();
    inputs.forEach(in -> open.add(in.traceId()));
    for (Map<String, Object> error : HubSpotApi.maps(answer.get("errors"))) {
      String trace = HubSpotErrors.traceId(error);
      if (trace == null || !open.remove(trace)) {
        continue;
      }
      Item p = byTrace.get(trace);
      outcomes[p.index] = new UpsertOutcome(p.index, UpsertOutcome.Status.REJECTED, null,
          HubSpotErrors.batchItemError(error, p.index));
    }
    List<Map<String, Object>> untraced = new ArrayList<>();
    for (Map<String, Object> r : HubSpotApi.maps(answer.get("results"))) {
      String trace = HubSpotApi.string(r.get("objectWriteTraceId"));
      if (trace != null && open.remove(trace)) {
        record(byTrace.get(trace), r, outcomes);
      } else {
        untraced.add(r);
      }
    }
    // HubSpot answers in input order; without a trace id, the remaining results follow the remaining inputs.
    Iterator<String> rest = open.iterator();
    for (Map<String, Object> r : untraced) {
      if (!rest.hasNext()) {
        break;
      }
      record(byTrace.get(rest.next()), r, outcomes);
      rest.remove();
    }
    for (String trace : open) {
      Item p = byTrace.get(trace);
      outcomes[p.index] = new UpsertOutcome(p.index, UpsertOutcome.Status.REJECTED, null,
          new CrmException("hubspot answered the batch without a result for draft " + p.index,
              HubSpotApi.PROVIDER, 0, null, null, null));
    }
  }

  private void record(Item p, Map<String, Object> result, UpsertOutcome[] outcomes) {
    boolean created = !p.existing && p.match == null && !Boolean.FALSE.equals(result.get("new"));
    outcomes[p.index] = new UpsertOutcome(p.index, created ? UpsertOutcome.Status.CREATED : UpsertOutcome.Status.UPDATED,
        contacts.read(result), null);
  }
}
