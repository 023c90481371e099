package dev.crmkit.salesforce.internal;

import dev.crmkit.Customer;
import dev.crmkit.CustomerQuery;
import dev.crmkit.Page;
import dev.crmkit.error.ValidationException;
import dev.crmkit.http.CursorCodec;
import dev.crmkit.identity.EmailAddresses;
import dev.crmkit.identity.NormalizedPhone;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code search}: one SOQL query per page, ordered by {@code Id} and continued after the last id read
 * (keyset paging), so a page holds exactly the requested number of customers and a cursor stays valid
 * for as long as the records exist (a {@code nextRecordsUrl} locator expires after 15 minutes of
 * inactivity). With {@code includeDeleted} the query goes to {@code queryAll}. The cursor is a
 * {@link CursorCodec} record. Thread-safe.
 *
 * @see <a href="https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_query.htm">Salesforce: query</a>
 */
public final class ContactSearch {
  /** Where a search page continues: after this record id. */
  record SearchCursor(String afterId) {
    SearchCursor {
      if (!Soql.isId(afterId)) {
        throw new IllegalArgumentException("not a record id");
      }
    }
  }

  static final CursorCodec<SearchCursor> CURSORS = CursorCodec.of(SalesforceApi.PROVIDER, "sf1", "search",
      c -> Map.of("after", c.afterId()), s -> new SearchCursor(s.requiredString("after")));

  private final ContactReader reader;

  public ContactSearch(ContactReader reader) {
    this.reader = reader;
  }

  /**
   * @throws ValidationException naming {@code tag} (Salesforce has no tags here) or a malformed {@code cursor}
   */
  public Page<Customer> search(CustomerQuery query) {
    if (query == null) {
      throw ValidationException.of("query", "null", "must not be null");
    }
    if (query.tag() != null) {
      throw ValidationException.of("tag", query.tag(), "the Salesforce provider stores no tags");
    }
    String after = query.page().cursor() == null ? null : CURSORS.decode(query.page().cursor()).afterId();
    reader.checkFields();
    return page(query, after);
  }

  private Page<Customer> page(CustomerQuery query, String after) {
    int limit = query.page().limit();
    List<String> where = conditions(query);
    if (after != null) {
      where.add("Id > " + Soql.literal(after));
    }
    String soql = "SELECT " + reader.mapping().selectList() + " FROM " + reader.mapping().object()
        + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where)) + " ORDER BY Id ASC LIMIT " + (limit + 1);
    List<Map<String, Object>> rows = new ArrayList<>(reader.api().queryAllPages(soql, query.includeDeleted()));
    boolean more = rows.size() > limit;
    if (more) {
      rows = rows.subList(0, limit);
    }
    List<Customer> customers = reader.toCustomers(rows);
    String next = more ? CURSORS.encode(new SearchCursor(customers.get(customers.size() - 1).id())) : null;
    return new Page<>(customers, next, c -> page(query, CURSORS.decode(c).afterId()));
  }

  private List<String> conditions(CustomerQuery q) {
    List<String> where = new ArrayList<>();
    if (q.includeDeleted()) {
      where.add("MasterRecordId = null");
    }
    if (q.email() != null) {
      where.add("Email = " + Soql.literal(EmailAddresses.normalize(q.email(), "email")));
    }
    if (q.phone() != null) {
      NormalizedPhone p = reader.mapping().phone(q.phone());
      where.add("Phone IN " + Soql.list(ContactReader.phoneForms(p, q.phone())));
    }
    if (q.segment() != null) {
      where.add(ContactMapping.SEGMENT + " = " + Soql.literal(q.segment().name()));
    }
    if (q.name() != null) {
      String name = q.name();
      String either = "FirstName LIKE " + Soql.containsPattern(name) + " OR LastName LIKE " + Soql.containsPattern(name);
      int space = name.indexOf(' ');
      if (space > 0) {
        either += " OR (FirstName LIKE " + Soql.containsPattern(name.substring(0, space)) + " AND LastName LIKE "
            + Soql.containsPattern(name.substring(space + 1).strip()) + ")";
      }
      where.add("(" + either + ")");
    }
    return where;
  }
}
