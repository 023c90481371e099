package dev.crmkit.testkit.hubspot;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Associations between records, kept in both directions with HubSpot's default (unlabeled) type
 * ids: associating a note to a contact with 202 also records the contact to the note with 201.
 * Thread-safe: every method holds the lock.
 */
final class Associations {
  /** One side's view of an association: the other record and the type id from this side. */
  record Link(long toId, int typeId) {}

  private record Side(ObjectType type, long id, ObjectType toType) {}

  private final Map<Side, NavigableMap<Long, Integer>> links = new HashMap<>();

  /**
   * Associates two records both ways with the default types.
   *
   * @return false when they were associated already
   * @throws ApiError 400 when HubSpot defines no default association between the types
   */
  synchronized boolean associate(ObjectType from, long fromId, ObjectType to, long toId) {
    int forward = from.typeIdTo(to);
    int backward = to.typeIdTo(from);
    if (forward == 0 || backward == 0) {
      throw ApiError.validation("There is no default association type between " + from.singular + " and " + to.singular);
    }
    Integer previous = side(from, fromId, to).put(toId, forward);
    side(to, toId, from).put(fromId, backward);
    return previous == null;
  }

  /** @return false when they were not associated */
  synchronized boolean remove(ObjectType from, long fromId, ObjectType to, long toId) {
    boolean removed = side(from, fromId, to).remove(toId) != null;
    side(to, toId, from).remove(fromId);
    return removed;
  }

  /** @return the records of type {@code to} associated to the record, by id */
  synchronized List<Link> links(ObjectType from, long fromId, ObjectType to) {
    NavigableMap<Long, Integer> targets = links.get(new Side(from, fromId, to));
    List<Link> result = new ArrayList<>();
    if (targets != null) {
      targets.forEach((id, typeId) -> result.add(new Link(id, typeId)));
    }
    return result;
  }

  /** @return whether the two records are associated */
  synchronized boolean associated(ObjectType from, long fromId, ObjectType to, long toId) {
    NavigableMap<Long, Integer> targets = links.get(new Side(from, fromId, to));
    return targets != null && targets.containsKey(toId);
  }

  /** Forgets every association of a record, as a permanent delete does. */
  synchronized void removeAll(ObjectType type, long id) {
    for (ObjectType to : ObjectType.values()) {
      for (Link link : links(type, id, to)) {
        remove(type, id, to, link.toId());
      }
    }
  }

  /** Moves every association of {@code fromId} to {@code toId}, as a merge does. */
  synchronized void move(ObjectType type, long fromId, long toId) {
    for (ObjectType other : ObjectType.values()) {
      for (Link link : links(type, fromId, other)) {
        remove(type, fromId, other, link.toId());
        if (!(other == type && link.toId() == toId)) {
          associate(type, toId, other, link.toId());
        }
      }
    }
  }

  private NavigableMap<Long, Integer> side(ObjectType type, long id, ObjectType toType) {
    return links.computeIfAbsent(new Side(type, id, toType), k -> new TreeMap<>());
  }
}
