package dev.crmkit;

import dev.crmkit.error.ValidationException;

/**
 * Which page of a list to read.
 *
 * @param limit page size, 1 to {@value #MAX_LIMIT}
 * @param cursor the opaque cursor from the previous page's {@link Page#nextCursor()}, or {@code null}
 *     for the first page
 */
public record PageRequest(int limit, String cursor) {
  /** Default page size. */
  public static final int DEFAULT_LIMIT = 50;
  /** Largest page size. */
  public static final int MAX_LIMIT = 1000;

  /** @throws ValidationException naming {@code limit} when out of range */
  public PageRequest {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw ValidationException.of("limit", String.valueOf(limit), "must be between 1 and " + MAX_LIMIT);
    }
  }

  /** The first page of the given size. */
  public static PageRequest first(int limit) {
    return new PageRequest(limit, null);
  }

  /** The first page of {@value #DEFAULT_LIMIT}. */
  public static PageRequest first() {
    return new PageRequest(DEFAULT_LIMIT, null);
  }

  /** The same size at another cursor. */
  public PageRequest at(String nextCursor) {
    return new PageRequest(limit, nextCursor);
  }
}
