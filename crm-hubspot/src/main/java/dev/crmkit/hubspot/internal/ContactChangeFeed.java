package dev.crmkit.hubspot.internal;

import dev.crmkit.ChangeBatch;
import dev.crmkit.ChangeType;
import dev.crmkit.Customer;
import dev.crmkit.CustomerChange;
import dev.crmkit.PageRequest;
import dev.crmkit.error.ValidationException;
import dev.crmkit.hubspot.internal.HubSpotCursors.FeedCursor;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * {@link dev.crmkit.CustomerSystem#changesSince}: searches {@code lastmodifieddate GTE (cursor −
 * overlap)} in ascending order and leaves out every (contact, {@code lastmodifieddate}) the cursor
 * already covered; deletions come from the archived list, read in full on each call; merges from the
 * survivors' {@code hs_merged_object_ids}. Positions are {@link HubSpotCursors#FEED} cursors, which
 * carry the changes delivered within the overlap window. Thread-safe.
 */
public final class ContactChangeFeed {
  private final ContactReader contacts;
  private final Duration overlap;

  /**
   * @param overlap how far each call re-reads behind its cursor, for HubSpot's search lag
   */
  public ContactChangeFeed(ContactReader contacts, Duration overlap) {
    this.contacts = contacts;
    this.overlap = overlap;
  }

  /** One candidate change, with the key the cursor records it under. */
  private record Candidate(CustomerChange change, String key) {}

  /**
   * The changes after a cursor, oldest first.
   *
   * @param cursor a feed cursor, or {@code null} for every contact
   * @param limit most changes returned, 1 to {@link PageRequest#MAX_LIMIT}
   * @throws ValidationException naming {@code limit} when out of range, or {@code cursor} when it is
   *     not a feed cursor of this provider
   */
  public ChangeBatch changesSince(String cursor, int limit) {
    if (limit < 1 || limit > PageRequest.MAX_LIMIT) {
      throw ValidationException.of("limit", Integer.toString(limit), "must be between 1 and " + PageRequest.MAX_LIMIT);
    }
    FeedCursor from = cursor == null ? FeedCursor.EMPTY : HubSpotCursors.FEED.decode(cursor);
    Long high = from.high();
    Set<String> covered = from.covered();
    // Ids of archived contacts without archivedAt already reported: they have no time a window
    // could cover, so they are remembered for as long as they stay on the archived list.
    Set<String> undatedReported = from.undated();
    Long start = high == null ? null : high - overlap.toMillis();
    Set<String> coveredIds = new HashSet<>();
    covered.forEach(k -> coveredIds.add(FeedCursor.id(k)));

    Map<String, Candidate> byCustomer = new LinkedHashMap<>();
    ContactScan scan = contacts.scan(List.of(), start, Set.of());
    int fresh = 0;
    while (fresh <= limit && scan.hasNext()) {
      Map<String, Object> contact = scan.next();
      Customer c = contacts.read(contact);
      long lm = ContactScan.lastModified(contact);
      Instant at = Instant.ofEpochMilli(lm);
      String mergedIds = HubSpotApi.properties(contact).get(ContactReader.MERGED_IDS);
      if (mergedIds != null) {
        for (String m : mergedIds.split(";")) {
          String mid = m.strip();
          String key = FeedCursor.key('m', mid, lm);
          if (!mid.isEmpty() && !mid.equals(c.id()) && covered.stream().noneMatch(k -> k.startsWith("m:" + mid + "@"))) {
            Customer stub = Customer.builder().id(mid).tenantId(contacts.tenantId()).createdAt(at).updatedAt(at)
                .deletedAt(at).build();
            byCustomer.put(mid, new Candidate(new CustomerChange(ChangeType.DELETED, mid, stub, at, c.id()), key));
          }
        }
      }
      String key = FeedCursor.key('u', c.id(), lm);
      if (covered.contains(key)) {
        continue;
      }
      boolean created = start == null || !coveredIds.contains(c.id()) && !c.createdAt().isBefore(Instant.ofEpochMilli(start));
      byCustomer.put(c.id(), new Candidate(new CustomerChange(created ? ChangeType.CREATED : ChangeType.UPDATED, c.id(), c, at, null), key));
      fresh++;
    }
    Set<String> stillUndated = new TreeSet<>();
    for (Map<String, Object> contact : contacts.api().listContacts(true, null, HubSpotApi.LIST_PAGE_LIMIT,
        contacts.readProperties()).autoPaging()) {
      Customer c = contacts.read(contact, true);
      if (PropertyValues.absent(HubSpotApi.string(contact.get("archivedAt")))) {
        // No archivedAt: its updatedAt may predate the window, so report it once, at the read time.
        if (undatedReported.contains(c.id())) {
          stillUndated.add(c.id());
        } else if (!byCustomer.containsKey(c.id())) {
          Instant readAt = contacts.now();
          byCustomer.put(c.id(), new Candidate(new CustomerChange(ChangeType.DELETED, c.id(), c, readAt, null),
              FeedCursor.key('x', c.id(), readAt.toEpochMilli())));
        }
        continue;
      }
      Instant at = c.deletedAt();
      String key = FeedCursor.key('d', c.id(), at.toEpochMilli());
      if ((start == null || at.toEpochMilli() >= start) && !covered.contains(key) && !byCustomer.containsKey(c.id())) {
        byCustomer.put(c.id(), new Candidate(new CustomerChange(ChangeType.DELETED, c.id(), c, at, null), key));
      }
    }

    List<Candidate> all = new ArrayList<>(byCustomer.values());
    all.sort(Comparator.comparing((Candidate x) -> x.change().changedAt()).thenComparing(x -> x.change().customerId()));
    List<Candidate> delivered = all.subList(0, Math.min(limit, all.size()));
    boolean more = all.size() > limit || fresh > limit;
    delivered.stream().filter(d -> d.key().startsWith("x:")).forEach(d -> stillUndated.add(d.change().customerId()));
    if (delivered.isEmpty() && stillUndated.equals(undatedReported)) {
      return new ChangeBatch(List.of(), cursor != null ? cursor : HubSpotCursors.FEED.encode(FeedCursor.EMPTY), false);
    }
    Long newHigh = delivered.isEmpty() ? high : Long.valueOf(Math.max(high == null ? Long.MIN_VALUE : high,
        delivered.get(delivered.size() - 1).change().changedAt().toEpochMilli()));
    SortedSet<String> nextCovered = new TreeSet<>();
    covered.forEach(k -> {
      if (newHigh != null && FeedCursor.time(k) >= newHigh - overlap.toMillis()) {
        nextCovered.add(k);
      }
    });
    delivered.stream().filter(d -> !d.key().startsWith("x:")).forEach(d -> nextCovered.add(d.key()));
    FeedCursor next = new FeedCursor(newHigh, nextCovered, new TreeSet<>(stillUndated));
    return new ChangeBatch(delivered.stream().map(Candidate::change).toList(), HubSpotCursors.FEED.encode(next), more);
  }
}
