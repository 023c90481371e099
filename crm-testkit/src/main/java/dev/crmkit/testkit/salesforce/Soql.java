package dev.crmkit.testkit.salesforce;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the SOQL subset the emulator runs:
 *
 * <pre>
 * SELECT field, ... | COUNT()  FROM object
 *   [WHERE condition]  [ORDER BY field [ASC|DESC] [NULLS FIRST|LAST], ...]  [LIMIT n]  [OFFSET n]
 * condition := ( condition ) | NOT condition | condition AND condition | condition OR condition
 *            | field (= | != | &lt;&gt; | &lt; | &gt; | &lt;= | &gt;=) literal
 *            | field LIKE 'pattern' | field [NOT] IN (literal, ...)
 * literal   := 'string' | number | TRUE | FALSE | NULL | 2024-01-31 | 2024-01-31T10:00:00Z
 *            | TODAY | YESTERDAY | TOMORROW | LAST_N_DAYS:n | NEXT_N_DAYS:n
 * </pre>
 *
 * <p>As in Salesforce: keywords, object and field names are case-insensitive; text comparisons
 * and LIKE are case-insensitive; AND and OR may not be mixed at one level without parentheses;
 * string literals take the escapes {@code \' \" \\ \n \r \t \b \f} and, for LIKE, {@code \%} and
 * {@code \_}; any other backslash sequence is an error; a literal must have its field's type (text
 * quoted, numbers, booleans, dates and date-times not); ids compare in their 18-character form.
 * Date literals are ranges of whole UTC days (the emulated org's time zone is UTC); {@code
 * LAST_N_DAYS:n} runs from midnight n days ago to the end of today. Errors: MALFORMED_QUERY for
 * syntax, INVALID_TYPE for an unknown object, INVALID_FIELD for an unknown field,
 * INVALID_QUERY_FILTER_OPERATOR for a literal of the wrong type. Messages carry Salesforce's
 * "ERROR at Row:1:Column:n" locator. Relationship paths, aggregates other than COUNT(), GROUP BY,
 * subqueries and semi-joins are not supported and answer MALFORMED_QUERY or INVALID_FIELD.
 *
 * @see <a href="https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select.htm">SOQL SELECT syntax</a>
 */
final class Soql {
  private static final Pattern DATE_TIME = Pattern.compile(
      "\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,3})?(Z|[+-]\\d{2}:?\\d{2}))?");
  private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?");
  private static final Pattern IDENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_.]*");
  private static final Set<String> RESERVED = Set.of("SELECT", "FROM", "WHERE", "AND", "OR", "NOT", "LIKE", "IN",
      "ORDER", "BY", "LIMIT", "OFFSET", "ASC", "DESC", "NULLS", "FIRST", "LAST", "NULL", "TRUE", "FALSE", "GROUP",
      "HAVING");

  private enum Kind { WORD, STRING, NUMBER, DATE, OPERATOR, END }

  /** One token and where it starts (from 0) in the query. */
  private record Token(Kind kind, String text, int position, String likeRegex) {
    boolean is(String keyword) {
      return kind == Kind.WORD && text.equalsIgnoreCase(keyword);
    }

    boolean isOp(String op) {
      return kind == Kind.OPERATOR && text.equals(op);
    }
  }

  private final String query;
  private final Clock clock;
  private final List<Token> tokens;
  private int next;
  private SObjectType type;

  private final OrgState org;

  private Soql(String query, Clock clock, OrgState org) {
    this.query = query;
    this.clock = clock;
    this.org = org;
    this.tokens = tokenize();
  }

  /**
   * @param query SOQL text
   * @param clock for date literals such as TODAY
   * @param org the org whose fields (standard and custom) the query may name
   * @throws SfError 400 MALFORMED_QUERY, INVALID_TYPE, INVALID_FIELD or INVALID_QUERY_FILTER_OPERATOR
   */
  static SoqlQuery parse(String query, Clock clock, OrgState org) {
    if (query == null || query.isBlank()) {
      throw SfError.malformedQuery("The query string is empty");
    }
    return new Soql(query, clock, org).query();
  }

  private SoqlQuery query() {
    expectKeyword("SELECT");
    List<Token> selected = new ArrayList<>();
    boolean count = false;
    if (peek().is("COUNT") && tokens.get(next + 1).isOp("(")) {
      next++;
      expectOp("(");
      expectOp(")");
      count = true;
    } else {
      do {
        Token field = take();
        if (field.kind != Kind.WORD || RESERVED.contains(field.text.toUpperCase(Locale.ROOT))) {
          throw malformed(field, "unexpected token: '" + display(field) + "'");
        }
        if (peek().isOp("(")) {
          throw malformed(field, "Aggregate functions other than COUNT() are not supported by the emulator: " + field.text);
        }
        selected.add(field);
      } while (acceptOp(","));
    }
    expectKeyword("FROM");
    Token object = take();
    if (object.kind != Kind.WORD) {
      throw malformed(object, "unexpected token: '" + display(object) + "'");
    }
    type = SObjectType.fromName(object.text);
    if (type == null) {
      throw error(400, "INVALID_TYPE", object, "sObject type '" + object.text + "' is not supported. If you are "
          + "attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference "
          + "your WSDL or the describe call for the appropriate names.");
    }
    List<FieldDef> fields = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (Token token : selected) {
      FieldDef field = field(token);
      if (!seen.add(field.name())) {
        throw malformed(token, "duplicate field selected: " + field.name());
      }
      fields.add(field);
    }
    SoqlQuery.Condition where = null;
    if (acceptKeyword("WHERE")) {
      where = condition();
    }
    List<SoqlQuery.Order> orderBy = new ArrayList<>();
    if (acceptKeyword("ORDER")) {
      expectKeyword("BY");
      do {
        FieldDef field = field(take());
        boolean descending = false;
        if (acceptKeyword("DESC")) {
          descending = true;
        } else {
          acceptKeyword("ASC");
        }
        boolean nullsFirst = !descending;
        if (acceptKeyword("NULLS")) {
          Token which = take();
          if (which.is("FIRST")) {
            nullsFirst = true;
          } else if (which.is("LAST")) {
            nullsFirst = false;
          } else {
            throw malformed(which, "unexpected token: '" + display(which) + "'");
          }
        }
        orderBy.add(new SoqlQuery.Order(field, descending, nullsFirst));
      } while (acceptOp(","));
    }
    Integer limit = null;
    if (acceptKeyword("LIMIT")) {
      limit = nonNegative(take());
    }
    int offset = 0;
    if (acceptKeyword("OFFSET")) {
      Token token = peek();
      offset = nonNegative(take());
      if (offset > 2000) {
        throw error(400, "NUMBER_OUTSIDE_VALID_RANGE", token, "Maximum SOQL offset allowed is 2000");
      }
    }
    Token end = peek();
    if (end.kind != Kind.END) {
      throw malformed(end, "unexpected token: '" + display(end) + "'");
    }
    if (count && !orderBy.isEmpty()) {
      throw malformed(end, "ORDER BY is not allowed with COUNT()");
    }
    return new SoqlQuery(type, List.copyOf(fields), count, where, List.copyOf(orderBy), limit, offset);
  }

  private SoqlQuery.Condition condition() {
    List<SoqlQuery.Condition> parts = new ArrayList<>();
    parts.add(unary());
    String joiner = null;
    while (peek().is("AND") || peek().is("OR")) {
      Token token = take();
      String word = token.text.toUpperCase(Locale.ROOT);
      if (joiner != null && !joiner.equals(word)) {
        throw malformed(token, "unexpected token: '" + token.text + "'");
      }
      joiner = word;
      parts.add(unary());
    }
    if (parts.size() == 1) {
      return parts.get(0);
    }
    return "AND".equals(joiner) ? new SoqlQuery.And(List.copyOf(parts)) : new SoqlQuery.Or(List.copyOf(parts));
  }

  private SoqlQuery.Condition unary() {
    if (acceptKeyword("NOT")) {
      return new SoqlQuery.Not(unary());
    }
    if (acceptOp("(")) {
      SoqlQuery.Condition inner = condition();
      expectOp(")");
      return inner;
    }
    return comparison();
  }

  private SoqlQuery.Condition comparison() {
    Token fieldToken = take();
    FieldDef field = field(fieldToken);
    Token op = take();
    if (op.is("LIKE")) {
      Token pattern = take();
      if (pattern.kind != Kind.STRING) {
        throw malformed(pattern, "unexpected token: '" + display(pattern) + "'");
      }
      if (!field.type().textual()) {
        throw error(400, "INVALID_QUERY_FILTER_OPERATOR", op, "invalid operator on " + field.type().describeName
            + " field: LIKE");
      }
      return new SoqlQuery.Like(field, Pattern.compile(pattern.likeRegex, Pattern.CASE_INSENSITIVE
          | Pattern.UNICODE_CASE | Pattern.DOTALL));
    }
    boolean negated = false;
    if (op.is("NOT") && peek().is("IN")) {
      op = take();
      negated = true;
    }
    if (op.is("IN")) {
      expectOp("(");
      List<Object> values = new ArrayList<>();
      do {
        Object value = literal(field, take());
        if (value instanceof SoqlQuery.Range) {
          throw malformed(op, "date literals are not supported in IN by the emulator");
        }
        values.add(value);
      } while (acceptOp(","));
      expectOp(")");
      return new SoqlQuery.In(field, List.copyOf(values), negated);
    }
    if (op.kind != Kind.OPERATOR) {
      throw malformed(op, "unexpected token: '" + display(op) + "'");
    }
    SoqlQuery.Op comparison;
    switch (op.text) {
      case "=":
        comparison = SoqlQuery.Op.EQ;
        break;
      case "!=":
      case "<>":
        comparison = SoqlQuery.Op.NE;
        break;
      case "<":
        comparison = SoqlQuery.Op.LT;
        break;
      case ">":
        comparison = SoqlQuery.Op.GT;
        break;
      case "<=":
        comparison = SoqlQuery.Op.LE;
        break;
      case ">=":
        comparison = SoqlQuery.Op.GE;
        break;
      default:
        throw malformed(op, "unexpected token: '" + display(op) + "'");
    }
    Object value = literal(field, take());
    if (value == null && comparison != SoqlQuery.Op.EQ && comparison != SoqlQuery.Op.NE) {
      throw error(400, "INVALID_QUERY_FILTER_OPERATOR", op, "invalid operator on null: " + op.text);
    }
    if (field.type() == FieldType.BOOLEAN && comparison != SoqlQuery.Op.EQ && comparison != SoqlQuery.Op.NE) {
      throw error(400, "INVALID_QUERY_FILTER_OPERATOR", op, "invalid operator on boolean field: " + op.text);
    }
    return new SoqlQuery.Compare(field, comparison, value);
  }

  /** @return the held value of a literal for the field's type, a Range for a date literal, or null for NULL */
  private Object literal(FieldDef field, Token token) {
    if (token.is("NULL")) {
      return null;
    }
    FieldType type = field.type();
    String name = field.name();
    if (type.textual()) {
      if (token.kind != Kind.STRING) {
        throw wrongType(token, name, "string", true);
      }
      if (type == FieldType.ID || type == FieldType.REFERENCE) {
        String id = SalesforceIds.normalize(token.text);
        if (id == null) {
          throw error(400, "INVALID_QUERY_FILTER_OPERATOR", token, "invalid ID field: " + token.text);
        }
        return id;
      }
      return token.text;
    }
    if (token.kind == Kind.STRING) {
      throw wrongType(token, name, type == FieldType.DATETIME ? "dateTime" : type.describeName, false);
    }
    switch (type) {
      case BOOLEAN:
        if (token.is("TRUE") || token.is("FALSE")) {
          return Boolean.parseBoolean(token.text.toLowerCase(Locale.ROOT));
        }
        throw wrongType(token, name, "boolean", false);
      case DOUBLE:
      case CURRENCY:
      case PERCENT:
      case INT:
        if (token.kind == Kind.NUMBER) {
          return new BigDecimal(token.text);
        }
        throw wrongType(token, name, type.describeName, false);
      case DATE:
        if (token.kind == Kind.DATE && token.text.length() == 10) {
          return LocalDate.parse(token.text);
        }
        if (token.kind == Kind.WORD) {
          return dateLiteral(token, name);
        }
        throw wrongType(token, name, "date", false);
      case DATETIME:
        if (token.kind == Kind.DATE && token.text.length() > 10) {
          Instant instant = Values.parseDateTime(token.text);
          if (instant != null) {
            return instant;
          }
        }
        if (token.kind == Kind.WORD) {
          return dateLiteral(token, name);
        }
        throw wrongType(token, name, "dateTime", false);
      default:
        throw malformed(token, "unexpected token: '" + display(token) + "'");
    }
  }

  private SoqlQuery.Range dateLiteral(Token token, String field) {
    LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    String word = token.text.toUpperCase(Locale.ROOT);
    switch (word) {
      case "TODAY":
        return SoqlQuery.Range.days(today, today.plusDays(1));
      case "YESTERDAY":
        return SoqlQuery.Range.days(today.minusDays(1), today);
      case "TOMORROW":
        return SoqlQuery.Range.days(today.plusDays(1), today.plusDays(2));
      case "LAST_N_DAYS":
      case "NEXT_N_DAYS":
        expectOp(":");
        int days = nonNegative(take());
        return word.equals("LAST_N_DAYS")
            ? SoqlQuery.Range.days(today.minusDays(days), today.plusDays(1))
            : SoqlQuery.Range.days(today.plusDays(1), today.plusDays(1L + days));
      default:
        throw wrongType(token, field, "date", false);
    }
  }

  private FieldDef field(Token token) {
    if (token.kind != Kind.WORD || RESERVED.contains(token.text.toUpperCase(Locale.ROOT))) {
      throw malformed(token, "unexpected token: '" + display(token) + "'");
    }
    if (token.text.contains(".")) {
      throw error(400, "INVALID_FIELD", token, "Didn't understand relationship '"
          + token.text.substring(0, token.text.indexOf('.')) + "' in field path. The emulator does not support "
          + "relationship queries.");
    }
    FieldDef field = org.field(type, token.text);
    if (field == null) {
      throw error(400, "INVALID_FIELD", token, "No such column '" + token.text + "' on entity '" + type.apiName
          + "'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name."
          + " Please reference your WSDL or the describe call for the appropriate names.");
    }
    return field;
  }

  private int nonNegative(Token token) {
    if (token.kind != Kind.NUMBER || token.text.contains(".") || token.text.startsWith("-")) {
      throw malformed(token, "unexpected token: '" + display(token) + "'");
    }
    try {
      return Integer.parseInt(token.text);
    } catch (NumberFormatException e) {
      throw malformed(token, "number too large: " + token.text);
    }
  }

  private SfError wrongType(Token token, String field, String typeName, boolean quoted) {
    return error(400, "INVALID_QUERY_FILTER_OPERATOR", token, "value of filter criterion for field '" + field
        + "' must be of type " + typeName + " and should " + (quoted ? "" : "not ") + "be enclosed in quotes");
  }

  private Token peek() {
    return tokens.get(next);
  }

  private Token take() {
    Token token = tokens.get(next);
    if (token.kind != Kind.END) {
      next++;
    }
    return token;
  }

  private boolean acceptKeyword(String keyword) {
    if (peek().is(keyword)) {
      next++;
      return true;
    }
    return false;
  }

  private boolean acceptOp(String op) {
    if (peek().isOp(op)) {
      next++;
      return true;
    }
    return false;
  }

  private void expectKeyword(String keyword) {
    Token token = take();
    if (!token.is(keyword)) {
      throw malformed(token, "unexpected token: '" + display(token) + "'");
    }
  }

  private void expectOp(String op) {
    Token token = take();
    if (!token.isOp(op)) {
      throw malformed(token, "unexpected token: '" + display(token) + "'");
    }
  }

  private static String display(Token token) {
    return token.kind == Kind.END ? "<EOF>" : token.text;
  }

  private SfError malformed(Token token, String detail) {
    return error(400, "MALFORMED_QUERY", token, detail);
  }

  private SfError malformedAt(int position, String detail) {
    return new SfError(400, "MALFORMED_QUERY", locate(position, detail));
  }

  private SfError error(int status, String code, Token token, String detail) {
    return new SfError(status, code, locate(token.position, detail));
  }

  /** Salesforce's message layout: the query, a caret under the column, "ERROR at Row:1:Column:n", the detail. */
  private String locate(int position, String detail) {
    String line = query.replace('\n', ' ');
    return "\n" + line + "\n" + " ".repeat(Math.max(0, position)) + "^\nERROR at Row:1:Column:" + (position + 1)
        + "\n" + detail;
  }

  private List<Token> tokenize() {
    List<Token> out = new ArrayList<>();
    int i = 0;
    int n = query.length();
    while (i < n) {
      char c = query.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
        continue;
      }
      if (c == '\'') {
        i = string(i, out);
        continue;
      }
      Matcher date = DATE_TIME.matcher(query).region(i, n);
      if (Character.isDigit(c) && date.lookingAt()) {
        out.add(new Token(Kind.DATE, date.group(), i, null));
        i = date.end();
        continue;
      }
      Matcher number = NUMBER.matcher(query).region(i, n);
      if ((Character.isDigit(c) || c == '-') && number.lookingAt()) {
        out.add(new Token(Kind.NUMBER, number.group(), i, null));
        i = number.end();
        continue;
      }
      Matcher ident = IDENT.matcher(query).region(i, n);
      if (ident.lookingAt()) {
        out.add(new Token(Kind.WORD, ident.group(), i, null));
        i = ident.end();
        continue;
      }
      String two = i + 1 < n ? query.substring(i, i + 2) : "";
      if (two.equals("!=") || two.equals("<>") || two.equals("<=") || two.equals(">=")) {
        out.add(new Token(Kind.OPERATOR, two, i, null));
        i += 2;
        continue;
      }
      if ("=<>(),:".indexOf(c) >= 0) {
        out.add(new Token(Kind.OPERATOR, String.valueOf(c), i, null));
        i++;
        continue;
      }
      throw malformedAt(i, "unexpected token: '" + c + "'");
    }
    out.add(new Token(Kind.END, "", n, null));
    return out;
  }

  /** Reads a quoted string from {@code start}; adds its token (value and LIKE regex); returns the index after it. */
  private int string(int start, List<Token> out) {
    StringBuilder value = new StringBuilder();
    StringBuilder regex = new StringBuilder();
    int i = start + 1;
    while (i < query.length()) {
      char c = query.charAt(i);
      if (c == '\'') {
        out.add(new Token(Kind.STRING, value.toString(), start, regex.toString()));
        return i + 1;
      }
      if (c == '\\') {
        if (i + 1 >= query.length()) {
          break;
        }
        char e = query.charAt(i + 1);
        char literal;
        switch (e) {
          case 'n':
          case 'N':
            literal = '\n';
            break;
          case 'r':
          case 'R':
            literal = '\r';
            break;
          case 't':
          case 'T':
            literal = '\t';
            break;
          case 'b':
          case 'B':
            literal = '\b';
            break;
          case 'f':
          case 'F':
            literal = '\f';
            break;
          case '"':
          case '\'':
          case '\\':
          case '%':
          case '_':
            literal = e;
            break;
          default:
            throw malformedAt(start, "Invalid string literal '" + query.substring(start, Math.min(query.length(), i + 2))
                + "'. Illegal character sequence '\\" + e + "' in string literal.");
        }
        value.append(literal);
        regex.append(Pattern.quote(String.valueOf(literal)));
        i += 2;
        continue;
      }
      value.append(c);
      if (c == '%') {
        regex.append(".*");
      } else if (c == '_') {
        regex.append('.');
      } else {
        regex.append(Pattern.quote(String.valueOf(c)));
      }
      i++;
    }
    throw malformedAt(start, "line 1:" + start + " mismatched character '<EOF>' expecting '''");
  }
}
