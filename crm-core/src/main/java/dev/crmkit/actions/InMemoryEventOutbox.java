package dev.crmkit.actions;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An {@link EventOutbox} in this process's memory: for tests and for hosts whose events may be lost with
 * the process. Entries are kept until the outbox is dropped (done ones too, for {@link #find}). Thread-safe:
 * every method holds the outbox's lock.
 */
public final class InMemoryEventOutbox implements EventOutbox {
  private record Key(String tenantId, String eventId) {}

  private final Map<Key, OutboxEntry> entries = new LinkedHashMap<>();

  @Override
  public synchronized boolean append(HostEvent event, Instant now) {
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(now, "now");
    Key key = new Key(event.tenantId(), event.eventId());
    if (entries.containsKey(key)) {
      return false;
    }
    entries.put(key, new OutboxEntry(event.tenantId(), event.eventId(), event.type().name(),
        HostEventCodec.encode(event), OutboxStatus.PENDING, 0, now, null, null, null, null, now, now, null));
    return true;
  }

  /**
   * Adds a stored entry as is, such as a row a newer crmkit wrote: for tests of what a processor does
   * with a payload it cannot read.
   *
   * @return {@code false} when the tenant has an entry with this event id already
   */
  public synchronized boolean appendRaw(String tenantId, String eventId, String eventType, String payload, Instant now) {
    Key key = new Key(Objects.requireNonNull(tenantId, "tenantId"), Objects.requireNonNull(eventId, "eventId"));
    if (entries.containsKey(key)) {
      return false;
    }
    entries.put(key, new OutboxEntry(tenantId, eventId, eventType, payload, OutboxStatus.PENDING, 0, now, null, null,
        null, null, now, now, null));
    return true;
  }

  @Override
  public synchronized List<OutboxEntry> claim(String workerId, int max, Instant now, Duration lease) {
    OutboxLimits.workerId(workerId);
    OutboxLimits.max(max, "max");
    Objects.requireNonNull(now, "now");
    OutboxLimits.lease(lease);
    List<OutboxEntry> due = new ArrayList<>();
    for (OutboxEntry e : entries.values()) {
      if (e.status() == OutboxStatus.PENDING && !e.nextAttemptAt().isAfter(now)
          || e.status() == OutboxStatus.IN_PROGRESS && !e.lockedUntil().isAfter(now)) {
        due.add(e);
      }
    }
    due.sort(Comparator.comparing(InMemoryEventOutbox::dueAt));
    List<OutboxEntry> claimed = new ArrayList<>();
    for (OutboxEntry e : due.subList(0, Math.min(max, due.size()))) {
      OutboxEntry c = new OutboxEntry(e.tenantId(), e.eventId(), e.eventType(), e.payload(), OutboxStatus.IN_PROGRESS,
          e.attempts() + 1, null, workerId, now.plus(lease), e.lastError(), null, e.createdAt(), now, null);
      entries.put(new Key(e.tenantId(), e.eventId()), c);
      claimed.add(c);
    }
    return claimed;
  }

  private static Instant dueAt(OutboxEntry e) {
    return e.status() == OutboxStatus.PENDING ? e.nextAttemptAt() : e.lockedUntil();
  }

  @Override
  public synchronized boolean complete(String tenantId, String eventId, String workerId, String outcome, Instant now) {
    OutboxEntry e = held(tenantId, eventId, workerId);
    if (e == null) {
      return false;
    }
    entries.put(new Key(tenantId, eventId), new OutboxEntry(tenantId, eventId, e.eventType(), e.payload(),
        OutboxStatus.DONE, e.attempts(), null, null, null, e.lastError(), OutboxLimits.cut(outcome), e.createdAt(), now, now));
    return true;
  }

  @Override
  public synchronized boolean fail(String tenantId, String eventId, String workerId, String error, Instant retryAt,
      Instant now) {
    OutboxEntry e = held(tenantId, eventId, workerId);
    if (e == null) {
      return false;
    }
    entries.put(new Key(tenantId, eventId), new OutboxEntry(tenantId, eventId, e.eventType(), e.payload(),
        retryAt == null ? OutboxStatus.PARKED : OutboxStatus.PENDING, e.attempts(), retryAt, null, null,
        OutboxLimits.cut(error), null, e.createdAt(), now, null));
    return true;
  }

  private OutboxEntry held(String tenantId, String eventId, String workerId) {
    OutboxEntry e = entries.get(new Key(tenantId, eventId));
    return e != null && e.status() == OutboxStatus.IN_PROGRESS && e.lockedBy().equals(workerId) ? e : null;
  }

  @Override
  public synchronized List<OutboxEntry> parked(String tenantId, int limit) {
    OutboxLimits.max(limit, "limit");
    return entries.values().stream()
        .filter(e -> e.tenantId().equals(tenantId) && e.status() == OutboxStatus.PARKED)
        .sorted(Comparator.comparing(OutboxEntry::createdAt))
        .limit(limit)
        .toList();
  }

  @Override
  public synchronized boolean replay(String tenantId, String eventId, Instant now) {
    Key key = new Key(tenantId, eventId);
    OutboxEntry e = entries.get(key);
    if (e == null || e.status() != OutboxStatus.PARKED) {
      return false;
    }
    entries.put(key, new OutboxEntry(tenantId, eventId, e.eventType(), e.payload(), OutboxStatus.PENDING, 0, now,
        null, null, e.lastError(), null, e.createdAt(), now, null));
    return true;
  }

  @Override
  public synchronized Optional<OutboxEntry> find(String tenantId, String eventId) {
    return Optional.ofNullable(entries.get(new Key(tenantId, eventId)));
  }

  @Override
  public synchronized Map<OutboxStatus, Long> counts(String tenantId) {
    Map<OutboxStatus, Long> counts = new EnumMap<>(OutboxStatus.class);
    for (OutboxStatus s : OutboxStatus.values()) {
      counts.put(s, 0L);
    }
    for (OutboxEntry e : entries.values()) {
      if (e.tenantId().equals(tenantId)) {
        counts.merge(e.status(), 1L, Long::sum);
      }
    }
    return counts;
  }
}
