package dev.crmkit.salesforce.internal;

import dev.crmkit.Customer;
import dev.crmkit.CustomerWrite;
import dev.crmkit.UpsertOutcome;
import dev.crmkit.error.CrmException;
import dev.crmkit.error.NotFoundException;
import dev.crmkit.error.ValidationException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code bulkWrite} through sObject Collections: creates in {@code POST /composite/sobjects}, updates in
 * {@code PATCH /composite/sobjects}, {@value SalesforceApi#COLLECTION_SIZE} records per call with
 * {@code allOrNone=false}, so a bad record is rejected alone. Each SaveResult becomes the outcome of its
 * write; the stored records are read back with one SOQL query per call. Thread-safe.
 *
 * @see <a href="https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_sobjects_collections_create.htm">Salesforce: sObject Collections</a>
 */
public final class CollectionWriter {
  private final ContactReader reader;
  private final ContactWriter writer;

  public CollectionWriter(ContactReader reader, ContactWriter writer) {
    this.reader = reader;
    this.writer = writer;
  }

  public List<UpsertOutcome> bulkWrite(List<CustomerWrite> writes) {
    if (writes == null || writes.stream().anyMatch(Objects::isNull)) {
      throw ValidationException.of("writes", String.valueOf(writes), "must be a list without null elements");
    }
    reader.checkFields();
    UpsertOutcome[] outcomes = new UpsertOutcome[writes.size()];
    List<Integer> creates = new ArrayList<>();
    List<Integer> updates = new ArrayList<>();
    for (int i = 0; i < writes.size(); i++) {
      (writes.get(i).isCreate() ? creates : updates).add(i);
    }
    send(true, creates, writes, outcomes);
    send(false, updates, writes, outcomes);
    return List.of(outcomes);
  }

  private void send(boolean create, List<Integer> indexes, List<CustomerWrite> writes, UpsertOutcome[] outcomes) {
    String type = reader.mapping().object();
    for (int from = 0; from < indexes.size(); from += SalesforceApi.COLLECTION_SIZE) {
      List<Integer> chunk = indexes.subList(from, Math.min(indexes.size(), from + SalesforceApi.COLLECTION_SIZE));
      List<Map<String, Object>> records = new ArrayList<>();
      List<Integer> sent = new ArrayList<>();
      for (int i : chunk) {
        CustomerWrite w = writes.get(i);
        try {
          Map<String, Object> record = new LinkedHashMap<>();
          record.put("attributes", Map.of("type", type));
          if (create) {
            record.putAll(writer.fields(w.draft()));
          } else {
            if (!Soql.isId(w.customerId())) {
              throw new NotFoundException(SalesforceApi.PROVIDER, "customer", w.customerId());
            }
            record.put("Id", w.customerId());
            record.putAll(writer.fields(w.update()));
          }
          records.add(record);
          sent.add(i);
        } catch (CrmException e) {
          outcomes[i] = UpsertOutcome.rejected(i, e);
        }
      }
      if (records.isEmpty()) {
        continue;
      }
      List<Map<String, Object>> results = reader.api().collection(create, records);
      // One record can be written twice in a batch (two writes of one id): each write gets the outcome.
      Map<String, List<Integer>> saved = new HashMap<>();
      for (int k = 0; k < sent.size(); k++) {
        int i = sent.get(k);
        Map<String, Object> result = k < results.size() ? results.get(k) : Map.of();
        if (Boolean.TRUE.equals(result.get("success")) && result.get("id") instanceof String id) {
          saved.computeIfAbsent(id, x -> new ArrayList<>()).add(i);
        } else {
          Map<String, Object> error = result.get("errors") instanceof List<?> l && !l.isEmpty()
              && l.get(0) instanceof Map<?, ?> m ? castMap(m) : Map.of("message", "no result");
          outcomes[i] = UpsertOutcome.rejected(i, SalesforceErrors.itemError(error, "write " + i));
        }
      }
      if (!saved.isEmpty()) {
        List<Map<String, Object>> rows = reader.api().queryAllPages("SELECT " + reader.mapping().selectList()
            + " FROM " + type + " WHERE Id IN " + Soql.list(saved.keySet()), false);
        for (Customer c : reader.toCustomers(rows)) {
          for (int i : saved.getOrDefault(c.id(), List.of())) {
            outcomes[i] = create ? UpsertOutcome.created(i, c, null) : UpsertOutcome.updated(i, c, null);
          }
          saved.remove(c.id());
        }
        saved.forEach((id, is) -> is.forEach(i -> outcomes[i] = UpsertOutcome.rejected(i,
            new NotFoundException(SalesforceApi.PROVIDER, "customer", id))));
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> castMap(Map<?, ?> m) {
    return (Map<String, Object>) m;
  }
}
