package dev.crmkit;

import java.util.List;
import java.util.Objects;

/**
 * A slice of a delta feed: the changes after a cursor, oldest first, at most one per customer per
 * batch (its latest state).
 *
 * @param changes the changes; unmodifiable
 * @param nextCursor the cursor to pass next time; never null (equal to the given one when nothing changed)
 * @param hasMore whether more changes are waiting after {@code nextCursor}
 */
public record ChangeBatch(List<CustomerChange> changes, String nextCursor, boolean hasMore) {
  public ChangeBatch {
    changes = List.copyOf(changes);
    Objects.requireNonNull(nextCursor, "nextCursor");
  }
}
