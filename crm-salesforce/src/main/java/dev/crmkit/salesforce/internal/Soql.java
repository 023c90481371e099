package dev.crmkit.salesforce.internal;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.stream.Collectors;

/**
 * SOQL literals: the one place where a value becomes query text, so no value can change a query's
 * structure (SOQL injection). Strings are always quoted and escaped by {@link #escape(String, boolean)}.
 *
 * @see <a href="https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_quotedstringescapes.htm">SOQL: quoted string escape sequences</a>
 * @see <a href="https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_reservedcharacters.htm">SOQL: reserved characters</a>
 */
public final class Soql {
  private Soql() {}

  /** A quoted string literal for {@code =}, {@code !=} and {@code IN}: {@code 'O\'Brien'}. */
  public static String literal(String value) {
    return "'" + escape(value, false) + "'";
  }

  /** A quoted LIKE pattern matching values that contain {@code value} literally: {@code '%50\%%'}. */
  public static String containsPattern(String value) {
    return "'%" + escape(value, true) + "%'";
  }

  /** {@code (lit1, lit2, ...)} for {@code IN}; the collection must not be empty. */
  public static String list(Collection<String> values) {
    if (values.isEmpty()) {
      throw new IllegalArgumentException("an IN list needs at least one value");
    }
    return values.stream().map(Soql::literal).collect(Collectors.joining(", ", "(", ")"));
  }

  /** A date-time literal in UTC, whole seconds: {@code 2024-01-31T10:00:00Z} (SOQL date-times are not quoted). */
  public static String dateTime(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /**
   * Escapes text for the inside of a SOQL string literal: backslash, both quotes and the control
   * characters SOQL names ({@code \n \r \t \b \f}) get their escape; any other character below
   * U+0020 becomes a backslash, {@code u} and its four hex digits. With {@code like}, {@code %} and {@code _} are escaped too,
   * so they match themselves (SOQL allows {@code \%} and {@code \_} only in LIKE).
   *
   * @param value the text, not null
   * @param like whether the literal is a LIKE pattern
   * @return the escaped text, without quotes
   */
  public static String escape(String value, boolean like) {
    StringBuilder sb = new StringBuilder(value.length() + 8);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\' -> sb.append("\\\\");
        case '\'' -> sb.append("\\'");
        case '"' -> sb.append("\\\"");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        case '%', '_' -> sb.append(like ? "\\" : "").append(c);
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.toString();
  }

  /** True for a Salesforce record id: 15 or 18 letters and digits. Anything else is never sent to Salesforce. */
  public static boolean isId(String id) {
    return id != null && (id.length() == 15 || id.length() == 18) && id.chars().allMatch(
        c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
  }
}
