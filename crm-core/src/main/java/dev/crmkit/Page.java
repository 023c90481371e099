package dev.crmkit;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * One page of a list, able to fetch the following pages: the next page repeats the original query
 * with only the cursor changed.
 *
 * @param <T> item type
 */
public final class Page<T> {
  private final List<T> items;
  private final String nextCursor;
  private final Function<String, Page<T>> fetch;

  /**
   * @param items this page's items; copied
   * @param nextCursor cursor of the next page, or {@code null} when this is the last page
   * @param fetch reads the page at a cursor; called only when {@code nextCursor} is not null
   */
  public Page(List<T> items, String nextCursor, Function<String, Page<T>> fetch) {
    this.items = List.copyOf(items);
    this.nextCursor = nextCursor;
    this.fetch = Objects.requireNonNull(fetch, "fetch");
  }

  /** A single, last page. */
  public static <T> Page<T> last(List<T> items) {
    return new Page<>(items, null, c -> {
      throw new IllegalStateException("no page after the last");
    });
  }

  /** This page's items; unmodifiable. */
  public List<T> items() {
    return items;
  }

  /** Cursor of the next page, or {@code null} on the last page. */
  public String nextCursor() {
    return nextCursor;
  }

  /** True when another page follows. */
  public boolean hasNext() {
    return nextCursor != null;
  }

  /**
   * Fetches the next page.
   *
   * @throws NoSuchElementException on the last page
   */
  public Page<T> next() {
    if (nextCursor == null) {
      throw new NoSuchElementException("no page after the last");
    }
    return fetch.apply(nextCursor);
  }

  /** Every item of this page and the following ones, fetched lazily page by page. */
  public Iterable<T> autoPaging() {
    return () -> new Iterator<>() {
      private Page<T> page = Page.this;
      private int i;

      @Override
      public boolean hasNext() {
        while (i >= page.items.size()) {
          if (!page.hasNext()) {
            return false;
          }
          page = page.next();
          i = 0;
        }
        return true;
      }

      @Override
      public T next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return page.items.get(i++);
      }
    };
  }

  /** {@link #autoPaging()} as a sequential stream. */
  public Stream<T> stream() {
    return StreamSupport.stream(Spliterators.spliteratorUnknownSize(autoPaging().iterator(), Spliterator.ORDERED), false);
  }

  @Override
  public String toString() {
    return "Page{" + items.size() + " items, nextCursor=" + nextCursor + '}';
  }
}
