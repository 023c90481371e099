package dev.crmkit.testkit.salesforce;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A parsed SOQL query of the subset the emulator understands (see {@link Soql}), ready to run
 * against the store. Immutable.
 *
 * @param fields the selected fields in order; empty for {@code SELECT COUNT()}
 * @param where null for no filter
 * @param limit null for no limit
 */
record SoqlQuery(SObjectType type, List<FieldDef> fields, boolean count, Condition where, List<Order> orderBy,
    Integer limit, int offset) {

  /** A filter on one record. */
  interface Condition {
    boolean test(SObjectRecord record);
  }

  /** One ORDER BY item. */
  record Order(FieldDef field, boolean descending, boolean nullsFirst) {}

  /** @return the matching records, sorted, after OFFSET and LIMIT */
  List<SObjectRecord> run(List<SObjectRecord> candidates) {
    List<SObjectRecord> out = new ArrayList<>();
    for (SObjectRecord record : candidates) {
      if (where == null || where.test(record)) {
        out.add(record);
      }
    }
    if (!orderBy.isEmpty()) {
      Comparator<SObjectRecord> comparator = null;
      for (Order order : orderBy) {
        Comparator<SObjectRecord> next = (a, b) -> compareForOrder(order, a.get(order.field().name()), b.get(order.field().name()));
        comparator = comparator == null ? next : comparator.thenComparing(next);
      }
      out.sort(comparator);
    }
    int from = Math.min(offset, out.size());
    int to = limit == null ? out.size() : Math.min(out.size(), from + limit);
    return new ArrayList<>(out.subList(from, to));
  }

  private static int compareForOrder(Order order, Object a, Object b) {
    if (a == null || b == null) {
      if (a == b) {
        return 0;
      }
      return (a == null) == order.nullsFirst() ? -1 : 1;
    }
    int c = compareValues(a, b);
    return order.descending() ? -c : c;
  }

  /** Compares two non-null held values of one field: text case-insensitively, the rest naturally. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static int compareValues(Object a, Object b) {
    if (a instanceof String) {
      return ((String) a).toLowerCase(Locale.ROOT).compareTo(((String) b).toLowerCase(Locale.ROOT));
    }
    return ((Comparable) a).compareTo(b);
  }

  /** The comparison operators of a WHERE condition. */
  enum Op {
    EQ("="), NE("!="), LT("<"), GT(">"), LE("<="), GE(">=");

    final String symbol;

    Op(String symbol) {
      this.symbol = symbol;
    }
  }

  /**
   * A date literal such as TODAY or LAST_N_DAYS:n, as the range of instants [start, end) in UTC,
   * the emulated org's time zone.
   */
  record Range(Instant start, Instant end) {
    static Range days(LocalDate first, LocalDate lastExclusive) {
      return new Range(first.atStartOfDay(ZoneOffset.UTC).toInstant(), lastExclusive.atStartOfDay(ZoneOffset.UTC).toInstant());
    }

    /** @param value a held date or date-time */
    int position(Object value) {
      Instant instant = value instanceof LocalDate ? ((LocalDate) value).atStartOfDay(ZoneOffset.UTC).toInstant() : (Instant) value;
      if (instant.isBefore(start)) {
        return -1;
      }
      return instant.isBefore(end) ? 0 : 1;
    }
  }

  /** {@code field op value}; {@code value} is a held value, a {@link Range}, or null for {@code null}. */
  record Compare(FieldDef field, Op op, Object value) implements Condition {
    @Override
    public boolean test(SObjectRecord record) {
      Object actual = record.get(field.name());
      if (value == null) {
        return op == Op.EQ ? actual == null : op == Op.NE && actual != null;
      }
      if (actual == null) {
        return op == Op.NE;
      }
      int c = value instanceof Range ? ((Range) value).position(actual) : compareValues(actual, value);
      switch (op) {
        case EQ:
          return c == 0;
        case NE:
          return c != 0;
        case LT:
          return c < 0;
        case GT:
          return c > 0;
        case LE:
          return c <= 0;
        default:
          return c >= 0;
      }
    }
  }

  /**
   * {@code field [NOT] IN (values)}. When every value is text, {@code lowered} holds them lower-cased, so a
   * record is tested with one set lookup (the same case-insensitive equality as {@link #compareValues}); an
   * {@code Id IN (...)} of hundreds of ids over a large org stays fast. Otherwise {@code lowered} is null.
   */
  record In(FieldDef field, List<Object> values, boolean negated, Set<String> lowered) implements Condition {
    In(FieldDef field, List<Object> values, boolean negated) {
      this(field, values, negated, values.stream().allMatch(v -> v instanceof String)
          ? values.stream().map(v -> ((String) v).toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet())
          : null);
    }

    @Override
    public boolean test(SObjectRecord record) {
      Object actual = record.get(field.name());
      if (lowered != null && (actual == null || actual instanceof String)) {
        return (actual != null && lowered.contains(((String) actual).toLowerCase(Locale.ROOT))) != negated;
      }
      boolean found = false;
      for (Object value : values) {
        if (value == null ? actual == null : actual != null && compareValues(actual, value) == 0) {
          found = true;
          break;
        }
      }
      return found != negated;
    }
  }

  /** {@code field LIKE 'pattern'}: case-insensitive, {@code %} and {@code _} wildcards. */
  record Like(FieldDef field, Pattern pattern) implements Condition {
    @Override
    public boolean test(SObjectRecord record) {
      Object actual = record.get(field.name());
      return actual != null && pattern.matcher(actual.toString()).matches();
    }
  }

  record And(List<Condition> parts) implements Condition {
    @Override
    public boolean test(SObjectRecord record) {
      return parts.stream().allMatch(c -> c.test(record));
    }
  }

  record Or(List<Condition> parts) implements Condition {
    @Override
    public boolean test(SObjectRecord record) {
      return parts.stream().anyMatch(c -> c.test(record));
    }
  }

  record Not(Condition inner) implements Condition {
    @Override
    public boolean test(SObjectRecord record) {
      return !inner.test(record);
    }
  }
}
