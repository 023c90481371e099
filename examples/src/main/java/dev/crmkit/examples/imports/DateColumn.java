package dev.crmkit.examples.imports;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How one column's dates are read, decided from all its values before any row is mapped.
 *
 * <p>Year-first dates ({@code 2021-03-15}, {@code 2021/03/15}) and ISO timestamps are read as they
 * are. A date with the year last ({@code 03/15/2021}, {@code 15.03.2021}, {@code 15-03-2021}) may be
 * day-first or month-first; per separator the column's values decide: a first number above 12 makes
 * them day-first, a second number above 12 month-first. Dotted dates are day-first when no value
 * decides, as everywhere dots are written. Slashed or dashed dates that no value decides (every
 * number 12 or less) are ambiguous: they are read only with an explicit format
 * ({@code --date-format}), otherwise left out with a warning. A column whose values point both ways
 * reads each value that only one order fits, and leaves the others out.
 */
final class DateColumn {
  private static final Pattern YEAR_LAST = Pattern.compile("(\\d{1,2})([/.\\-])(\\d{1,2})\\2(\\d{4})");
  private static final Pattern YEAR_FIRST = Pattern.compile("(\\d{4})([/.\\-])(\\d{1,2})\\2(\\d{1,2})");

  /** The order of day and month in dates written year last. */
  enum Order {
    DAY_FIRST,
    MONTH_FIRST,
    /** No value decides. */
    AMBIGUOUS,
    /** Values decide both ways. */
    MIXED
  }

  private final DateTimeFormatter explicit;
  private final Map<Character, Order> orders = new LinkedHashMap<>();

  private DateColumn(DateTimeFormatter explicit) {
    this.explicit = explicit;
  }

  /**
   * Decides from a column's values.
   *
   * @param values the column's non-blank values
   * @param explicit the user's format, tried first on every value, or {@code null}
   */
  static DateColumn of(Collection<String> values, DateTimeFormatter explicit) {
    Evidence slash = new Evidence();
    Evidence dash = new Evidence();
    Evidence dot = new Evidence();
    for (String v : values) {
      Matcher m = YEAR_LAST.matcher(v);
      if (m.matches()) {
        Evidence e = switch (m.group(2)) {
          case "/" -> slash;
          case "-" -> dash;
          default -> dot;
        };
        e.seen = true;
        e.dayFirst |= Integer.parseInt(m.group(1)) > 12;
        e.monthFirst |= Integer.parseInt(m.group(3)) > 12;
      }
    }
    DateColumn column = new DateColumn(explicit);
    slash.decide(column, '/', Order.AMBIGUOUS);
    dash.decide(column, '-', Order.AMBIGUOUS);
    dot.decide(column, '.', Order.DAY_FIRST);
    return column;
  }

  /** The order decided for year-last dates with this separator ({@code '/'}, {@code '-'} or {@code '.'}). */
  Order order(char separator) {
    return orders.getOrDefault(separator, Order.AMBIGUOUS);
  }

  /**
   * What was decided, one sentence per separator the column's year-last dates use, such as
   * {@code "dates written 15/03/2021 read day first (dd/MM/yyyy): a first number above 12 appears"};
   * empty when the column has none or an explicit format was given.
   */
  List<String> decisions() {
    List<String> out = new ArrayList<>();
    if (explicit != null) {
      return out;
    }
    orders.forEach((sep, order) -> {
      String s = String.valueOf(sep);
      out.add(switch (order) {
        case DAY_FIRST -> "dates written dd" + s + "mm" + s + "yyyy read day first (dd" + s + "MM" + s + "yyyy)"
            + (sep == '.' ? "" : ": a first number above 12 appears");
        case MONTH_FIRST -> "dates written mm" + s + "dd" + s + "yyyy read month first (MM" + s + "dd" + s
            + "yyyy): a second number above 12 appears";
        case AMBIGUOUS -> "dates with '" + s + "' are ambiguous (every day and month is 12 or less) and are left"
            + " out: give --date-format dd" + s + "MM" + s + "yyyy or MM" + s + "dd" + s + "yyyy";
        case MIXED -> "dates with '" + s + "' are written both day first and month first; values that fit both"
            + " orders are left out: give --date-format to read them";
      });
    });
    return out;
  }

  /** True when an explicit format was given. */
  boolean explicit() {
    return explicit != null;
  }

  /**
   * Reads one value: a date alone is midnight UTC.
   *
   * @return the instant, or {@code null} when the value is no date this column can read
   */
  Instant parse(String value) {
    if (explicit != null) {
      try {
        return LocalDate.parse(value, explicit).atStartOfDay(ZoneOffset.UTC).toInstant();
      } catch (DateTimeParseException e) {
        // fall through to the unambiguous forms
      }
    }
    Matcher first = YEAR_FIRST.matcher(value);
    if (first.matches()) {
      return date(first.group(1), first.group(3), first.group(4));
    }
    Matcher last = YEAR_LAST.matcher(value);
    if (last.matches()) {
      int a = Integer.parseInt(last.group(1));
      int b = Integer.parseInt(last.group(3));
      Order o = order(last.group(2).charAt(0));
      if (o == Order.MIXED) {
        o = a > 12 ? Order.DAY_FIRST : b > 12 ? Order.MONTH_FIRST : Order.AMBIGUOUS;
      }
      return switch (o) {
        case DAY_FIRST -> date(last.group(4), last.group(3), last.group(1));
        case MONTH_FIRST -> date(last.group(4), last.group(1), last.group(3));
        default -> null;
      };
    }
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException e) {
      // not a timestamp with an offset
    }
    try {
      return LocalDateTime.parse(value).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** True when {@code value} is a year-last date whose order this column cannot decide. */
  boolean undecided(String value) {
    Matcher last = YEAR_LAST.matcher(value);
    if (!last.matches() || explicit != null) {
      return false;
    }
    Order o = order(last.group(2).charAt(0));
    return o == Order.AMBIGUOUS
        || (o == Order.MIXED && Integer.parseInt(last.group(1)) <= 12 && Integer.parseInt(last.group(3)) <= 12);
  }

  /**
   * A {@code --date-format} pattern as a strict formatter.
   *
   * @throws IllegalArgumentException when the pattern is not a {@link DateTimeFormatter} pattern
   */
  static DateTimeFormatter formatter(String pattern) {
    // yyyy in a user's pattern means the calendar year; STRICT needs uuuu for that.
    return DateTimeFormatter.ofPattern(pattern.replace('y', 'u'), Locale.ROOT).withResolverStyle(ResolverStyle.STRICT);
  }

  private static Instant date(String year, String month, String day) {
    try {
      return LocalDate.of(Integer.parseInt(year), Integer.parseInt(month), Integer.parseInt(day))
          .atStartOfDay(ZoneOffset.UTC).toInstant();
    } catch (java.time.DateTimeException e) {
      return null;
    }
  }

  private static final class Evidence {
    boolean seen;
    boolean dayFirst;
    boolean monthFirst;

    void decide(DateColumn column, char separator, Order undecided) {
      if (!seen) {
        return;
      }
      column.orders.put(separator, dayFirst && monthFirst ? Order.MIXED
          : dayFirst ? Order.DAY_FIRST : monthFirst ? Order.MONTH_FIRST : undecided);
    }
  }
}
