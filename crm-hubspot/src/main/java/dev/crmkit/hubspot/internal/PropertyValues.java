package dev.crmkit.hubspot.internal;

import dev.crmkit.error.FieldError;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Reads and writes HubSpot property values, which are all strings on the wire. Each reader adds a
 * {@link FieldError} naming the property and the value to {@code errors} and returns {@code null}
 * when the value is malformed, so one contact reports all its bad properties at once.
 */
public final class PropertyValues {
  private static final Pattern EPOCH_MILLIS = Pattern.compile("-?\\d{1,18}");

  private PropertyValues() {}

  /** True when HubSpot means "no value": absent, {@code null} or blank. */
  public static boolean absent(String value) {
    return value == null || value.isBlank();
  }

  /**
   * A time from ISO-8601 ({@code 2024-03-01T10:15:30.123Z}, with any offset), a date alone ({@code
   * 2024-03-01}, midnight UTC, as HubSpot date properties hold) or epoch milliseconds.
   */
  public static Instant time(String property, String value, List<FieldError> errors) {
    if (absent(value)) {
      return null;
    }
    String s = value.strip();
    if (EPOCH_MILLIS.matcher(s).matches()) {
      return Instant.ofEpochMilli(Long.parseLong(s));
    }
    try {
      return OffsetDateTime.parse(s).toInstant();
    } catch (DateTimeParseException notDateTime) {
      try {
        return LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant();
      } catch (DateTimeParseException notDate) {
        errors.add(new FieldError(property, value, "not an ISO-8601 time or epoch milliseconds"));
        return null;
      }
    }
  }

  /** ISO-8601 in UTC with the precision the instant has, such as {@code 2024-03-01T10:15:30.123Z}. */
  public static String time(Instant value) {
    return value.toString();
  }

  /** A decimal number such as {@code 1234.50}. */
  public static BigDecimal decimal(String property, String value, List<FieldError> errors) {
    if (absent(value)) {
      return null;
    }
    try {
      return new BigDecimal(value.strip());
    } catch (NumberFormatException e) {
      errors.add(new FieldError(property, value, "not a decimal number"));
      return null;
    }
  }

  /** A count: a whole number from 0 to {@link Integer#MAX_VALUE}; {@code 3.0} counts as 3. */
  public static Integer count(String property, String value, List<FieldError> errors) {
    BigDecimal d = decimal(property, value, errors);
    if (d == null) {
      return null;
    }
    try {
      int n = d.intValueExact();
      if (n >= 0) {
        return n;
      }
    } catch (ArithmeticException e) {
      // falls through to the error below: a fraction or a number beyond int
    }
    errors.add(new FieldError(property, value, "not a whole number from 0 to " + Integer.MAX_VALUE));
    return null;
  }

  /** HubSpot's checkbox values {@code true} and {@code false}, in any case. */
  public static Boolean bool(String property, String value, List<FieldError> errors) {
    if (absent(value)) {
      return null;
    }
    String s = value.strip().toLowerCase(Locale.ROOT);
    if (s.equals("true")) {
      return Boolean.TRUE;
    }
    if (s.equals("false")) {
      return Boolean.FALSE;
    }
    errors.add(new FieldError(property, value, "not 'true' or 'false'"));
    return null;
  }
}
