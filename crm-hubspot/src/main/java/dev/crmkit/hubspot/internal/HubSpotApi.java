package dev.crmkit.hubspot.internal;

import dev.crmkit.Page;
import dev.crmkit.http.ApiRequest;
import dev.crmkit.http.ApiResponse;
import dev.crmkit.http.HttpConnector;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every HubSpot request the provider sends, one method per operation, so each request shape is built
 * in exactly one place and can be checked against HubSpot's OpenAPI documents (contacts.v3, notes.v3,
 * deals.v3, pipelines.v3, oauth.v1, account-info.v3). Bodies follow those documents: create inputs always carry {@code associations}, search
 * requests always carry {@code filterGroups}, {@code sorts} (strings), {@code properties},
 * {@code limit} and {@code after}, batch reads carry {@code propertiesWithHistory}.
 *
 * <p>Retries (see {@link ApiRequest#retrySafe()}): reads, searches, batch reads, PATCH updates and
 * upserts by email are marked retry-safe, since sending them twice leaves the same state; creates of
 * contacts and engagements, and merges, are not: a create sent twice would make two records (or a
 * spurious 409) and a merge sent twice fails on the id merged away. Every request is retried on 429.
 *
 * <p>Lists and searches are read through {@link HttpConnector#page}: the first page is fetched at
 * once, each next one when asked for, by the same request with only HubSpot's {@code after} changed.
 *
 * <p>Thread-safe; holds only the connector.
 */
public final class HubSpotApi {
  /** The provider name the errors carry. */
  public static final String PROVIDER = "hubspot";
  /** Rate-limit cost class of the search endpoints, which HubSpot limits separately. */
  public static final String SEARCH = "search";
  /** Largest page HubSpot's search returns. */
  public static final int SEARCH_PAGE_LIMIT = 200;
  /** Largest page HubSpot's list endpoints return. */
  public static final int LIST_PAGE_LIMIT = 100;
  /** Most inputs one batch request takes. */
  public static final int BATCH_LIMIT = 100;

  private static final String CONTACTS = "/crm/v3/objects/contacts";
  private static final String DEALS = "/crm/v3/objects/deals";
  /** HubSpot-defined association type id from a deal to a contact. */
  public static final int DEAL_TO_CONTACT = 3;

  private final HttpConnector connector;

  public HubSpotApi(HttpConnector connector) {
    this.connector = connector;
  }

  // ---------------------------------------------------------------------------------- contacts

  /** {@code POST /crm/v3/objects/contacts}. */
  public Map<String, Object> createContact(Map<String, String> properties) {
    return send(ApiRequest.post(CONTACTS, createInput(properties, List.of())));
  }

  /** {@code GET /crm/v3/objects/contacts/{contactId}}; 404 as {@link dev.crmkit.error.NotFoundException}. */
  public Map<String, Object> getContact(String id, List<String> properties, boolean archived) {
    ApiRequest r = ApiRequest.get(CONTACTS + "/" + id).withQuery("properties", String.join(",", properties));
    return send(archived ? r.withQuery("archived", "true") : r);
  }

  /** {@code GET /crm/v3/objects/contacts/{email}?idProperty=email}. */
  public Map<String, Object> getContactByEmail(String email, List<String> properties) {
    return send(ApiRequest.get(CONTACTS + "/" + email).withQuery("idProperty", "email")
        .withQuery("properties", String.join(",", properties)));
  }

  /** {@code PATCH /crm/v3/objects/contacts/{contactId}} with only the given properties. */
  public Map<String, Object> updateContact(String id, Map<String, String> properties) {
    return send(ApiRequest.patch(CONTACTS + "/" + id, Map.of("properties", properties)).retrySafe());
  }

  /** {@code DELETE /crm/v3/objects/contacts/{contactId}}: archives the contact. */
  public void archiveContact(String id) {
    connector.send(ApiRequest.delete(CONTACTS + "/" + id));
  }

  /** {@code POST /crm/v3/objects/contacts/merge}. */
  public Map<String, Object> mergeContacts(String primaryId, String mergedId) {
    return send(ApiRequest.post(CONTACTS + "/merge",
        Map.of("primaryObjectId", primaryId, "objectIdToMerge", mergedId)));
  }

  /**
   * {@code GET /crm/v3/objects/contacts}, by id, from HubSpot's {@code after} (or the start); archived
   * ones when asked.
   */
  public Page<Map<String, Object>> listContacts(boolean archived, String after, int limit, List<String> properties) {
    ApiRequest r = ApiRequest.get(CONTACTS).withQuery("limit", Integer.toString(limit))
        .withQuery("properties", String.join(",", properties)).withQuery("archived", Boolean.toString(archived));
    return connector.page(after == null ? r : r.withQuery("after", after), (first, next) -> first.withQuery("after", next),
        HubSpotApi::results, HubSpotApi::nextAfterOf);
  }

  /** {@code POST /crm/v3/objects/contacts/search}, from the search's {@code after}. */
  public Page<Map<String, Object>> searchContacts(Search search) {
    return searchObjects("contacts", search);
  }

  /** {@code POST /crm/v3/objects/contacts/batch/read}, by id or (with {@code idProperty}) by that property. */
  public Map<String, Object> batchReadContacts(List<String> ids, String idProperty, List<String> properties) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("inputs", ids.stream().map(id -> Map.of("id", id)).toList());
    body.put("properties", properties);
    body.put("propertiesWithHistory", List.of());
    if (idProperty != null) {
      body.put("idProperty", idProperty);
    }
    return send(ApiRequest.post(CONTACTS + "/batch/read", body).retrySafe());
  }

  /** {@code POST /crm/v3/objects/contacts/batch/upsert} by email; each input traced by its {@code traceId}. */
  public Map<String, Object> batchUpsertContactsByEmail(List<BatchInput> inputs) {
    List<Map<String, Object>> list = new ArrayList<>();
    for (BatchInput in : inputs) {
      list.add(Map.of("id", in.id(), "idProperty", "email", "properties", in.properties(),
          "objectWriteTraceId", in.traceId()));
    }
    return send(ApiRequest.post(CONTACTS + "/batch/upsert", Map.of("inputs", list)).retrySafe());
  }

  /** {@code POST /crm/v3/objects/contacts/batch/update} by id. */
  public Map<String, Object> batchUpdateContacts(List<BatchInput> inputs) {
    List<Map<String, Object>> list = new ArrayList<>();
    for (BatchInput in : inputs) {
      list.add(Map.of("id", in.id(), "properties", in.properties(), "objectWriteTraceId", in.traceId()));
    }
    return send(ApiRequest.post(CONTACTS + "/batch/update", Map.of("inputs", list)).retrySafe());
  }

  /** {@code POST /crm/v3/objects/contacts/batch/create}; {@code id} of the inputs is ignored. */
  public Map<String, Object> batchCreateContacts(List<BatchInput> inputs) {
    List<Map<String, Object>> list = new ArrayList<>();
    for (BatchInput in : inputs) {
      Map<String, Object> input = new LinkedHashMap<>(createInput(in.properties(), List.of()));
      input.put("objectWriteTraceId", in.traceId());
      list.add(input);
    }
    return send(ApiRequest.post(CONTACTS + "/batch/create", Map.of("inputs", list)));
  }

  // ---------------------------------------------------------------------------------- engagements

  /**
   * {@code POST /crm/v3/objects/{objectType}} of an engagement (note, call, email, meeting,
   * communication) associated to one contact with a HubSpot-defined association type.
   */
  public Map<String, Object> createEngagement(
      String objectType, Map<String, String> properties, String contactId, int associationTypeId) {
    Map<String, Object> association = Map.of(
        "to", Map.of("id", contactId),
        "types", List.of(Map.of("associationCategory", "HUBSPOT_DEFINED", "associationTypeId", associationTypeId)));
    return send(ApiRequest.post("/crm/v3/objects/" + objectType, createInput(properties, List.of(association))));
  }

  /** {@code POST /crm/v3/objects/{objectType}/search}, from the search's {@code after}. */
  public Page<Map<String, Object>> searchObjects(String objectType, Search search) {
    return connector.page(searchRequest(objectType, search), (first, next) -> searchRequest(objectType, search.after(next)),
        HubSpotApi::results, HubSpotApi::nextAfterOf);
  }

  /** {@code POST /crm/v3/objects/{objectType}/search}, for the {@code total} it reports (0 when absent). */
  public int searchTotal(String objectType, Search search) {
    Object total = send(searchRequest(objectType, search)).get("total");
    return total instanceof Number n ? n.intValue() : 0;
  }

  /** {@code GET /crm/v4/objects/{objectType}/{id}/associations/contacts}: the contact ids of an engagement. */
  public List<String> associatedContacts(String objectType, String id) {
    Map<String, Object> body = send(ApiRequest.get("/crm/v4/objects/" + objectType + "/" + id + "/associations/contacts")
        .withQuery("limit", "500"));
    List<String> ids = new ArrayList<>();
    for (Map<String, Object> r : maps(body.get("results"))) {
      if (r.get("toObjectId") != null) {
        ids.add(string(r.get("toObjectId")));
      }
    }
    return ids;
  }

  // ---------------------------------------------------------------------------------- deals

  /**
   * {@code POST /crm/v3/objects/deals} associated to one contact (type {@value #DEAL_TO_CONTACT}); not
   * retried on 5xx, since a repeat could make a second deal.
   */
  public Map<String, Object> createDeal(Map<String, String> properties, String contactId) {
    Map<String, Object> association = Map.of(
        "to", Map.of("id", contactId),
        "types", List.of(Map.of("associationCategory", "HUBSPOT_DEFINED", "associationTypeId", DEAL_TO_CONTACT)));
    return send(ApiRequest.post(DEALS, createInput(properties, List.of(association))));
  }

  /**
   * {@code GET /crm/v3/objects/deals/{dealId}} with its contact associations; 404 as
   * {@link dev.crmkit.error.NotFoundException}.
   */
  public Map<String, Object> getDeal(String id, List<String> properties) {
    return send(ApiRequest.get(DEALS + "/" + id).withQuery("properties", String.join(",", properties))
        .withQuery("associations", "contacts"));
  }

  /** {@code PATCH /crm/v3/objects/deals/{dealId}} with only the given properties. */
  public Map<String, Object> updateDeal(String id, Map<String, String> properties) {
    return send(ApiRequest.patch(DEALS + "/" + id, Map.of("properties", properties)).retrySafe());
  }

  /** {@code POST /crm/v3/objects/deals/batch/read} by id; ids HubSpot does not find are left out. */
  public List<Map<String, Object>> batchReadDeals(List<String> ids, List<String> properties) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("inputs", ids.stream().map(id -> Map.of("id", id)).toList());
    body.put("properties", properties);
    body.put("propertiesWithHistory", List.of());
    return maps(send(ApiRequest.post(DEALS + "/batch/read", body).retrySafe()).get("results"));
  }

  /**
   * {@code GET /account-info/v3/details}: the account of the credential ({@code portalId}, {@code
   * timeZone}, {@code companyCurrency}, {@code uiDomain}, {@code dataHostingLocation}, ...).
   */
  public Map<String, Object> accountDetails() {
    return send(ApiRequest.get("/account-info/v3/details"));
  }

  /** {@code GET /crm/v3/pipelines/deals}: the account's deal pipelines with their stages. */
  public List<Map<String, Object>> dealPipelines() {
    return maps(send(ApiRequest.get("/crm/v3/pipelines/deals")).get("results"));
  }

  /**
   * {@code GET /crm/v4/objects/contacts/{id}/associations/deals}, every page: the ids of the deals
   * associated to a contact.
   */
  public List<String> associatedDeals(String contactId) {
    List<String> ids = new ArrayList<>();
    ApiRequest first = ApiRequest.get("/crm/v4/objects/contacts/" + contactId + "/associations/deals")
        .withQuery("limit", "500");
    String after = null;
    do {
      Map<String, Object> body = send(after == null ? first : first.withQuery("after", after));
      for (Map<String, Object> r : maps(body.get("results"))) {
        if (r.get("toObjectId") != null) {
          ids.add(string(r.get("toObjectId")));
        }
      }
      after = nextAfter(body);
    } while (after != null);
    return ids;
  }

  // ---------------------------------------------------------------------------------- shapes

  private static Map<String, Object> createInput(Map<String, String> properties, List<Map<String, Object>> associations) {
    Map<String, Object> input = new LinkedHashMap<>();
    input.put("properties", properties);
    input.put("associations", associations);
    return input;
  }

  private static ApiRequest searchRequest(String objectType, Search search) {
    Map<String, Object> body = new LinkedHashMap<>();
    List<Map<String, Object>> groups = new ArrayList<>();
    for (List<Filter> group : search.filterGroups()) {
      groups.add(Map.of("filters", group.stream().map(Filter::toJson).toList()));
    }
    body.put("filterGroups", groups);
    body.put("sorts", search.sorts());
    body.put("properties", search.properties());
    body.put("limit", search.limit());
    body.put("after", search.after() == null ? "" : search.after());
    return ApiRequest.post("/crm/v3/objects/" + objectType + "/search", body).retrySafe().withCostClass(SEARCH);
  }

  private static List<Map<String, Object>> results(ApiResponse response) {
    return maps(response.json().get("results"));
  }

  private static String nextAfterOf(ApiResponse response) {
    return nextAfter(response.json());
  }

  private Map<String, Object> send(ApiRequest request) {
    ApiResponse response = connector.send(request);
    return response.body().isBlank() ? Map.of() : response.json();
  }

  /** One input of a batch write: the contact id (or email for upserts), its properties, a trace id. */
  public record BatchInput(String id, Map<String, String> properties, String traceId) {}

  /** One search filter; {@code value} is {@code null} for HAS_PROPERTY / NOT_HAS_PROPERTY. */
  public record Filter(String propertyName, String operator, String value) {
    Map<String, Object> toJson() {
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("propertyName", propertyName);
      f.put("operator", operator);
      if (value != null) {
        f.put("value", value);
      }
      return f;
    }
  }

  /**
   * A search request: filter groups (OR of ANDs), sorts such as {@code "lastmodifieddate"} or
   * {@code "-hs_timestamp"}, properties to return, page size and HubSpot's {@code after} offset.
   */
  public record Search(List<List<Filter>> filterGroups, List<String> sorts, List<String> properties, int limit, String after) {
    /** The same search at another {@code after}. */
    public Search after(String next) {
      return new Search(filterGroups, sorts, properties, limit, next);
    }
  }

  // ---------------------------------------------------------------------------------- JSON helpers

  /** The list of objects under a key of a response, or an empty list. */
  @SuppressWarnings("unchecked")
  public static List<Map<String, Object>> maps(Object value) {
    List<Map<String, Object>> out = new ArrayList<>();
    if (value instanceof List<?> list) {
      for (Object o : list) {
        if (o instanceof Map<?, ?> m) {
          out.add((Map<String, Object>) m);
        }
      }
    }
    return out;
  }

  /** A JSON value as text: {@code null} stays null, numbers and booleans become their text. */
  public static String string(Object value) {
    return value == null ? null : value.toString();
  }

  /** The {@code paging.next.after} of a page, or {@code null} on the last page. */
  private static String nextAfter(Map<String, Object> page) {
    if (page.get("paging") instanceof Map<?, ?> paging && paging.get("next") instanceof Map<?, ?> next) {
      Object after = next.get("after");
      return after == null || after.toString().isBlank() ? null : after.toString();
    }
    return null;
  }

  /** The {@code properties} of an object as strings. */
  public static Map<String, String> properties(Map<String, Object> object) {
    Map<String, String> out = new LinkedHashMap<>();
    if (object.get("properties") instanceof Map<?, ?> p) {
      p.forEach((k, v) -> out.put(String.valueOf(k), v == null ? null : v.toString()));
    }
    return out;
  }
}
