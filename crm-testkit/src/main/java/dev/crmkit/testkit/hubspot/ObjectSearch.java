package dev.crmkit.testkit.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The CRM search request model: filter groups are OR-ed, the filters inside one group are
 * AND-ed, and one sort is allowed. A filter on {@code associations.<type>} (such as {@code
 * associations.contact}) with EQ matches records associated to that record id. Values compare as numbers when both sides are numbers or
 * timestamps (ISO-8601 or epoch milliseconds), otherwise as case-insensitive text. Immutable.
 */
final class ObjectSearch {
  static final int MAX_FILTER_GROUPS = 6;
  static final int MAX_FILTERS_PER_GROUP = 6;
  static final int MAX_FILTERS = 18;

  private static final Pattern TOKEN_SEPARATORS = Pattern.compile("[\\s,;:()\\[\\]\"'<>/]+");
  private static final String ASSOCIATIONS = "associations.";

  private final Predicate<CrmObject> filter;
  private final Comparator<CrmObject> order;

  private ObjectSearch(Predicate<CrmObject> filter, Comparator<CrmObject> order) {
    this.filter = filter;
    this.order = order;
  }

  /** @throws ApiError 400 naming the part of the request that is not valid */
  static ObjectSearch parse(JsonNode request, ObjectType type, Associations associations) {
    Predicate<CrmObject> filter = parseFilterGroups(request.path("filterGroups"), type, associations);
    JsonNode query = request.get("query");
    if (query != null && !query.isNull() && !query.asText().isBlank()) {
      String needle = query.asText().trim().toLowerCase(Locale.ROOT);
      filter = filter.and(c -> matchesQuery(c, type.queryProperties, needle));
    }
    return new ObjectSearch(filter, parseSorts(request.path("sorts")));
  }

  /** @return the matching contacts, sorted */
  List<CrmObject> run(List<CrmObject> contacts) {
    List<CrmObject> hits = new ArrayList<>();
    for (CrmObject contact : contacts) {
      if (filter.test(contact)) {
        hits.add(contact);
      }
    }
    hits.sort(order);
    return hits;
  }

  private static Predicate<CrmObject> parseFilterGroups(
      JsonNode groups, ObjectType type, Associations associations) {
    if (groups.isMissingNode() || groups.isNull() || groups.isEmpty()) {
      return c -> true;
    }
    if (!groups.isArray()) {
      throw ApiError.validation("filterGroups must be an array, was " + groups);
    }
    if (groups.size() > MAX_FILTER_GROUPS) {
      throw ApiError.validation(
          "filterGroups has " + groups.size() + " groups; at most " + MAX_FILTER_GROUPS + " are allowed");
    }
    Predicate<CrmObject> any = c -> false;
    int total = 0;
    for (JsonNode group : groups) {
      JsonNode filters = group.path("filters");
      if (!filters.isArray()) {
        throw ApiError.validation("filterGroups[].filters must be an array, was " + filters);
      }
      if (filters.size() > MAX_FILTERS_PER_GROUP) {
        throw ApiError.validation(
            "a filter group has " + filters.size() + " filters; at most " + MAX_FILTERS_PER_GROUP + " are allowed");
      }
      total += filters.size();
      Predicate<CrmObject> all = c -> true;
      for (JsonNode f : filters) {
        all = all.and(parseFilter(f, type, associations));
      }
      any = any.or(all);
    }
    if (total > MAX_FILTERS) {
      throw ApiError.validation(
          "the request has " + total + " filters; at most " + MAX_FILTERS + " are allowed");
    }
    return any;
  }

  private static Predicate<CrmObject> parseFilter(JsonNode f, ObjectType type, Associations associations) {
    String property = f.path("propertyName").asText("");
    String operator = f.path("operator").asText("");
    if (property.isEmpty()) {
      throw ApiError.validation("a filter has no propertyName: " + f);
    }
    String value = f.hasNonNull("value") ? f.get("value").asText() : null;
    if (property.startsWith(ASSOCIATIONS)) {
      return associationFilter(property, operator, value, type, associations);
    }
    switch (operator) {
      case "HAS_PROPERTY":
        return c -> c.property(property) != null;
      case "NOT_HAS_PROPERTY":
        return c -> c.property(property) == null;
      default:
        break;
    }
    if (value == null) {
      throw ApiError.validation(
          "filter on " + property + " with operator " + operator + " needs a value");
    }
    switch (operator) {
      case "EQ":
        return c -> c.property(property) != null && compare(c.property(property), value) == 0;
      case "NEQ":
        return c -> c.property(property) == null || compare(c.property(property), value) != 0;
      case "GT":
        return c -> c.property(property) != null && compare(c.property(property), value) > 0;
      case "GTE":
        return c -> c.property(property) != null && compare(c.property(property), value) >= 0;
      case "LT":
        return c -> c.property(property) != null && compare(c.property(property), value) < 0;
      case "LTE":
        return c -> c.property(property) != null && compare(c.property(property), value) <= 0;
      case "CONTAINS_TOKEN":
        Pattern token = tokenPattern(value);
        return c -> c.property(property) != null && containsToken(c.property(property), token);
      default:
        throw ApiError.validation(
            "filter on " + property + " has an unsupported operator: '" + operator + "'");
    }
  }

  private static Predicate<CrmObject> associationFilter(
      String property, String operator, String value, ObjectType type, Associations associations) {
    ObjectType to = ObjectType.fromPath(property.substring(ASSOCIATIONS.length()));
    if (to == null || type.typeIdTo(to) == 0) {
      throw ApiError.validation("filter on " + property + ": " + type.singular + " records have no associations of that type");
    }
    if (!operator.equals("EQ")) {
      throw ApiError.validation("filter on " + property + " supports only the EQ operator, was '" + operator + "'");
    }
    if (value == null || !value.matches("\\d{1,18}")) {
      throw ApiError.validation("filter on " + property + " needs a record id as its value, was '" + value + "'");
    }
    long toId = Long.parseLong(value);
    return o -> associations.associated(type, o.id(), to, toId);
  }

  private static Comparator<CrmObject> parseSorts(JsonNode sorts) {
    Comparator<CrmObject> byId = Comparator.comparingLong(CrmObject::id);
    if (sorts.isMissingNode() || sorts.isNull() || sorts.isEmpty()) {
      return byId;
    }
    if (!sorts.isArray() || sorts.size() > 1) {
      throw ApiError.validation("sorts must be an array of at most one sort, was " + sorts);
    }
    JsonNode sort = sorts.get(0);
    String property;
    boolean descending;
    if (sort.isTextual()) {
      String text = sort.asText();
      descending = text.startsWith("-");
      property = descending ? text.substring(1) : text;
    } else {
      property = sort.path("propertyName").asText("");
      String direction = sort.path("direction").asText("ASCENDING");
      if (!direction.equals("ASCENDING") && !direction.equals("DESCENDING")) {
        throw ApiError.validation(
            "sort direction must be ASCENDING or DESCENDING, was '" + direction + "'");
      }
      descending = direction.equals("DESCENDING");
    }
    if (property.isEmpty()) {
      throw ApiError.validation("a sort has no propertyName: " + sort);
    }
    // Contacts without the property sort last either way, as HubSpot does.
    Comparator<String> values = ObjectSearch::compare;
    Comparator<String> directed = descending ? values.reversed() : values;
    Comparator<CrmObject> byProperty =
        Comparator.comparing(c -> c.property(property), Comparator.nullsLast(directed));
    return byProperty.thenComparing(byId);
  }

  static int compare(String left, String right) {
    BigDecimal l = number(left);
    BigDecimal r = number(right);
    if (l != null && r != null) {
      return l.compareTo(r);
    }
    return left.compareToIgnoreCase(right);
  }

  private static BigDecimal number(String text) {
    try {
      return new BigDecimal(text.trim());
    } catch (NumberFormatException notNumber) {
      try {
        return BigDecimal.valueOf(Instant.parse(text.trim()).toEpochMilli());
      } catch (DateTimeParseException notInstant) {
        return null;
      }
    }
  }

  /** A {@code *} in a token value stands for any run of characters. */
  private static Pattern tokenPattern(String value) {
    String regex =
        Arrays.stream(value.split("\\*", -1)).map(Pattern::quote).collect(Collectors.joining(".*"));
    return Pattern.compile(regex, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
  }

  private static boolean containsToken(String text, Pattern token) {
    if (token.matcher(text).matches()) {
      return true;
    }
    for (String part : TOKEN_SEPARATORS.split(text)) {
      if (token.matcher(part).matches()) {
        return true;
      }
    }
    return false;
  }

  private static boolean matchesQuery(CrmObject contact, List<String> queryProperties, String needle) {
    for (String property : queryProperties) {
      String value = contact.property(property);
      if (value != null && value.toLowerCase(Locale.ROOT).contains(needle)) {
        return true;
      }
    }
    return false;
  }
}
