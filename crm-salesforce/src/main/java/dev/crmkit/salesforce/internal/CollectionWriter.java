package dev.crmkit.salesforce.internal;

import dev.crmkit.Customer;
import dev.crmkit.CustomerField;
import dev.crmkit.CustomerWrite;
import dev.crmkit.UpsertOutcome;
import dev.crmkit.error.CrmException;
import dev.crmkit.error.NotFoundException;
import dev.crmkit.error.ValidationException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * {@code bulkWrite} through sObject Collections inside composite calls, so that a composite call
 * carries five collections of {@value SalesforceApi#COLLECTION_SIZE} records and counts as one call
 * toward the API limits. In order:
 *
 * <ol>
 *   <li>the Accounts of all the writes' companies, found or created by {@link AccountResolver#resolveAll}
 *       (cached names cost nothing; 1,000 new names cost two calls);
 *   <li>the creates ({@code POST /composite/sobjects}) and updates ({@code PATCH}), each collection with
 *       {@code allOrNone=false} so a bad record is rejected alone, five collections per composite call
 *       ({@code allOrNone=false} there too, so a failing collection does not fail the others);
 *   <li>the saved records read back by {@code Id IN (...)} queries of 200 ids, five per composite call,
 *       because a {@link Customer} carries what only Salesforce knows ({@code CreatedDate},
 *       {@code LastModifiedDate}, values changed by triggers, an update's untouched fields).
 * </ol>
 *
 * So 1,000 new customers with 1,000 new companies cost four calls; with known companies, two. A write
 * whose company has no Account (its query or create failed) is rejected with that error. Outcomes are
 * in input order. Thread-safe.
 *
 * @see <a href="https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_sobjects_collections_create.htm">Salesforce: sObject Collections</a>
 * @see <a href="https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_composite_post.htm">Salesforce: Composite</a>
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
    AccountResolver.Resolution accounts = reader.accounts().resolveAll(companies(reader, writes));
    List<Chunk> chunks = new ArrayList<>();
    chunk(true, writes, accounts, outcomes, chunks);
    chunk(false, writes, accounts, outcomes, chunks);
    List<SalesforceApi.SubResult> results = reader.api().composite(chunks.stream()
        .map(c -> SalesforceApi.Subrequest.collection(c.create, c.records)).toList());
    Map<String, Integer> saved = new LinkedHashMap<>();
    Map<Integer, Boolean> created = new HashMap<>();
    for (int c = 0; c < chunks.size(); c++) {
      Chunk chunk = chunks.get(c);
      SalesforceApi.SubResult result = results.get(c);
      List<Map<String, Object>> saves = result.list();
      for (int k = 0; k < chunk.indexes.size(); k++) {
        int i = chunk.indexes.get(k);
        Map<String, Object> save = k < saves.size() ? saves.get(k) : Map.of();
        if (result.error() != null) {
          outcomes[i] = UpsertOutcome.rejected(i, result.error());
        } else if (Boolean.TRUE.equals(save.get("success")) && save.get("id") instanceof String id) {
          saved.put(id, i);
          created.put(i, chunk.create);
        } else {
          outcomes[i] = UpsertOutcome.rejected(i, SalesforceErrors.itemError(AccountResolver.firstError(save),
              "write " + i));
        }
      }
    }
    readBack(saved, created, outcomes);
    return List.of(outcomes);
  }

  /** The distinct companies the writes name (a Lead's company is text, not an Account). */
  /** The company names the writes set (none for Leads, whose company is text). */
  static Set<String> companies(ContactReader reader, List<CustomerWrite> writes) {
    Set<String> names = new LinkedHashSet<>();
    if (reader.mapping().isLead()) {
      return names;
    }
    for (CustomerWrite w : writes) {
      if (w.isCreate() && w.draft().company() != null) {
        names.add(w.draft().company());
      } else if (!w.isCreate() && w.update().touches(CustomerField.COMPANY)
          && w.update().valueOf(CustomerField.COMPANY) instanceof String company) {
        names.add(company);
      }
    }
    return names;
  }

  private void chunk(boolean create, List<CustomerWrite> writes, AccountResolver.Resolution accounts,
      UpsertOutcome[] outcomes, List<Chunk> chunks) {
    String type = reader.mapping().object();
    Chunk chunk = new Chunk(create);
    for (int i = 0; i < writes.size(); i++) {
      CustomerWrite w = writes.get(i);
      if (w.isCreate() != create) {
        continue;
      }
      try {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("attributes", Map.of("type", type));
        if (create) {
          record.putAll(writer.fields(w.draft(), accounts::idOf));
        } else {
          if (!Soql.isId(w.customerId())) {
            throw new NotFoundException(SalesforceApi.PROVIDER, "customer", w.customerId());
          }
          record.put("Id", w.customerId());
          record.putAll(writer.fields(w.update(), accounts::idOf));
        }
        chunk.records.add(record);
        chunk.indexes.add(i);
      } catch (CrmException e) {
        outcomes[i] = UpsertOutcome.rejected(i, e);
      }
      if (chunk.records.size() == SalesforceApi.COLLECTION_SIZE) {
        chunks.add(chunk);
        chunk = new Chunk(create);
      }
    }
    if (!chunk.records.isEmpty()) {
      chunks.add(chunk);
    }
  }

  private void readBack(Map<String, Integer> saved, Map<Integer, Boolean> created, UpsertOutcome[] outcomes) {
    if (saved.isEmpty()) {
      return;
    }
    String select = "SELECT " + reader.mapping().selectList() + " FROM " + reader.mapping().object() + " WHERE Id IN ";
    List<List<String>> idChunks = new ArrayList<>();
    List<String> ids = new ArrayList<>(saved.keySet());
    for (int from = 0; from < ids.size(); from += SalesforceApi.COLLECTION_SIZE) {
      idChunks.add(ids.subList(from, Math.min(ids.size(), from + SalesforceApi.COLLECTION_SIZE)));
    }
    List<SalesforceApi.SubResult> results = reader.api().composite(idChunks.stream()
        .map(c -> SalesforceApi.Subrequest.query(select + Soql.list(c))).toList());
    for (int q = 0; q < idChunks.size(); q++) {
      SalesforceApi.SubResult result = results.get(q);
      if (result.error() != null) {
        for (String id : idChunks.get(q)) {
          int i = saved.remove(id);
          outcomes[i] = UpsertOutcome.rejected(i, result.error());
        }
        continue;
      }
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> rows = result.map().get("records") instanceof List<?> l
          ? (List<Map<String, Object>>) l : List.of();
      for (Customer c : reader.toCustomers(rows)) {
        Integer i = saved.remove(c.id());
        if (i != null) {
          outcomes[i] = created.get(i) ? UpsertOutcome.created(i, c, null) : UpsertOutcome.updated(i, c, null);
        }
      }
    }
    saved.forEach((id, i) -> outcomes[i] = UpsertOutcome.rejected(i,
        new NotFoundException(SalesforceApi.PROVIDER, "customer", id)));
  }

  /** Up to 200 records of one collection subrequest and the input positions they came from. */
  private static final class Chunk {
    final boolean create;
    final List<Map<String, Object>> records = new ArrayList<>();
    final List<Integer> indexes = new ArrayList<>();

    Chunk(boolean create) {
      this.create = create;
    }
  }
}
