package dev.crmkit.hubspot.internal;

import dev.crmkit.Customer;
import dev.crmkit.CustomerQuery;
import dev.crmkit.Page;
import dev.crmkit.Segment;
import dev.crmkit.error.ValidationException;
import dev.crmkit.hubspot.HubSpotContactMapping;
import dev.crmkit.hubspot.internal.HubSpotApi.Filter;
import dev.crmkit.hubspot.internal.HubSpotCursors.ArchivedSearch;
import dev.crmkit.hubspot.internal.HubSpotCursors.LiveSearch;
import dev.crmkit.hubspot.internal.HubSpotCursors.SearchCursor;
import dev.crmkit.identity.EmailAddresses;
import dev.crmkit.identity.NormalizedPhone;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * {@link dev.crmkit.CustomerSystem#search}: a query becomes HubSpot filter groups (at most 6 groups of
 * 5 filters; what does not fit is checked on each result), the live contacts are read by
 * {@link ContactScan} in ascending {@code lastmodifieddate}, then, with {@code includeDeleted}, the
 * archived list, which search cannot reach. Page positions are {@link HubSpotCursors#SEARCH} cursors.
 * Thread-safe.
 */
public final class ContactSearch {
  private static final int MAX_GROUPS = 6;
  private static final int MAX_FILTERS_PER_GROUP = 5;

  private final ContactReader contacts;

  public ContactSearch(ContactReader contacts) {
    this.contacts = contacts;
  }

  /** What a query asks HubSpot, and the exact check of each result. */
  private record Plan(List<List<Filter>> groups, Predicate<Customer> matches, boolean empty) {}

  /**
   * One page of the query's results, at its cursor.
   *
   * @throws ValidationException naming {@code query} when it is null, or {@code cursor} when the
   *     query's cursor is not a search cursor of this provider
   */
  public Page<Customer> search(CustomerQuery query) {
    if (query == null) {
      throw ValidationException.of("query", null, "must not be null");
    }
    SearchCursor at = query.page().cursor() == null ? LiveSearch.FIRST : HubSpotCursors.SEARCH.decode(query.page().cursor());
    Plan plan = plan(query);
    if (plan.empty()) {
      return Page.last(List.of());
    }
    return searchPage(query, plan, at);
  }

  private Page<Customer> searchPage(CustomerQuery query, Plan plan, SearchCursor at) {
    int limit = query.page().limit();
    List<Customer> items = new ArrayList<>();
    String after;
    Set<String> skip;
    if (at instanceof LiveSearch live) {
      ContactScan scan = contacts.scan(plan.groups(), live.window(), live.skip());
      Long last = live.window();
      Set<String> atLast = new HashSet<>(live.skip());
      while (items.size() < limit && scan.hasNext()) {
        Map<String, Object> contact = scan.next();
        Customer c = contacts.read(contact);
        if (!plan.matches().test(c)) {
          continue;
        }
        long lm = ContactScan.lastModified(contact);
        if (last == null || lm != last) {
          last = lm;
          atLast.clear();
        }
        atLast.add(c.id());
        items.add(c);
      }
      if (items.size() == limit && scan.hasNext()) {
        return page(query, items, new LiveSearch(last, new TreeSet<>(atLast)));
      }
      if (!query.includeDeleted()) {
        return page(query, items, null);
      }
      after = null;
      skip = new HashSet<>();
    } else {
      ArchivedSearch archived = (ArchivedSearch) at;
      after = archived.after();
      skip = new HashSet<>(archived.skip());
    }
    Page<Map<String, Object>> list = contacts.api().listContacts(true, after, HubSpotApi.LIST_PAGE_LIMIT,
        contacts.readProperties());
    while (true) {
      for (Map<String, Object> contact : list.items()) {
        Customer c = contacts.read(contact, true);
        if (skip.contains(c.id()) || !plan.matches().test(c)) {
          continue;
        }
        if (items.size() == limit) {
          return page(query, items, new ArchivedSearch(after, new TreeSet<>(skip)));
        }
        items.add(c);
        skip.add(c.id());
      }
      if (!list.hasNext()) {
        return page(query, items, null);
      }
      after = list.nextCursor();
      list = list.next();
      skip.clear();
    }
  }

  private Page<Customer> page(CustomerQuery query, List<Customer> items, SearchCursor next) {
    return new Page<>(items, next == null ? null : HubSpotCursors.SEARCH.encode(next),
        c -> search(query.withCursor(c)));
  }

  private Plan plan(CustomerQuery q) {
    List<Filter> all = new ArrayList<>();
    List<List<Filter>> dimensions = new ArrayList<>();
    Predicate<Customer> matches = c -> true;
    if (q.email() != null) {
      if (!EmailAddresses.isValid(q.email())) {
        return new Plan(List.of(), c -> false, true);
      }
      String email = EmailAddresses.normalize(q.email());
      all.add(new Filter("email", "EQ", email));
      matches = matches.and(c -> email.equals(c.email()));
    }
    if (q.phone() != null) {
      NormalizedPhone n = contacts.normalizeQuietly(q.phone());
      if (n == null) {
        return new Plan(List.of(), c -> false, true);
      }
      dimensions.add(ContactReader.phoneAlternatives(n));
      matches = matches.and(c -> n.matchKey().equals(contacts.phoneNumbers().matchKey(c.phone())));
    }
    if (q.tag() != null) {
      String tag = q.tag();
      all.add(new Filter("crmkit_tags", "CONTAINS_TOKEN", tag));
      matches = matches.and(c -> c.tags().contains(tag));
    }
    if (q.segment() != null) {
      Segment segment = q.segment();
      HubSpotContactMapping mapping = contacts.mapping();
      if (segment == Segment.PROSPECT) {
        for (Segment other : Segment.values()) {
          if (other != Segment.PROSPECT) {
            mapping.stagesReadAs(other).forEach(s -> all.add(new Filter(HubSpotContactMapping.LIFECYCLE_STAGE, "NEQ", s)));
          }
        }
      } else {
        Set<String> stages = mapping.stagesReadAs(segment);
        if (stages.isEmpty()) {
          return new Plan(List.of(), c -> false, true);
        }
        dimensions.add(stages.stream().map(s -> new Filter(HubSpotContactMapping.LIFECYCLE_STAGE, "EQ", s)).toList());
      }
      matches = matches.and(c -> c.segment() == segment);
    }
    if (q.name() != null) {
      String needle = q.name().toLowerCase(Locale.ROOT);
      String token = Arrays.stream(needle.split("\\s+")).max(Comparator.comparingInt(String::length)).orElse(needle);
      dimensions.add(List.of(new Filter("firstname", "CONTAINS_TOKEN", "*" + token + "*"),
          new Filter("lastname", "CONTAINS_TOKEN", "*" + token + "*")));
      matches = matches.and(c -> contains(c.firstName(), needle) || contains(c.lastName(), needle)
          || contains(c.fullName(), needle));
    }
    // HubSpot allows 6 groups of 6 filters; what does not fit is left to the exact check of each result.
    while (product(dimensions) > MAX_GROUPS) {
      dimensions.remove(dimensions.stream().max(Comparator.comparingInt(List::size)).orElseThrow());
    }
    List<List<Filter>> groups = new ArrayList<>();
    groups.add(List.of());
    for (List<Filter> alternatives : dimensions) {
      List<List<Filter>> next = new ArrayList<>();
      for (List<Filter> g : groups) {
        for (Filter f : alternatives) {
          List<Filter> extended = new ArrayList<>(g);
          extended.add(f);
          next.add(extended);
        }
      }
      groups = next;
    }
    List<List<Filter>> out = new ArrayList<>();
    for (List<Filter> g : groups) {
      List<Filter> full = new ArrayList<>(g);
      full.addAll(all);
      out.add(full.subList(0, Math.min(full.size(), MAX_FILTERS_PER_GROUP)));
    }
    return new Plan(out.size() == 1 && out.get(0).isEmpty() ? List.of() : out, matches, false);
  }

  private static int product(List<List<Filter>> dimensions) {
    int n = 1;
    for (List<Filter> d : dimensions) {
      n *= d.size();
    }
    return n;
  }

  private static boolean contains(String text, String needle) {
    return text != null && text.toLowerCase(Locale.ROOT).contains(needle);
  }
}
