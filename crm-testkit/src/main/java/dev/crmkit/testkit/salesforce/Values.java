package dev.crmkit.testkit.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Field values as the emulator holds them: text as {@link String}, checkboxes as {@link Boolean},
 * numbers as {@link BigDecimal}, dates as {@link LocalDate}, date-times as {@link Instant}; null
 * when blank. Converts JSON input to them (rejecting what Salesforce rejects) and renders them as
 * Salesforce does ({@code 2024-01-01T00:00:00.000+0000}). Stateless.
 */
final class Values {
  static final DateTimeFormatter DATETIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSxx", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

  private Values() {}

  /**
   * @param type the field's object type, for messages
   * @return the held value; null for JSON null or an empty string
   * @throws SfError JSON_PARSER_ERROR for a value of the wrong JSON kind, INVALID_EMAIL_ADDRESS,
   *     STRING_TOO_LONG, INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST or MALFORMED_ID naming the field
   */
  static Object fromJson(SObjectType type, FieldDef field, JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    FieldType kind = field.type();
    if (kind.textual()) {
      if (!node.isValueNode()) {
        throw SfError.jsonParser("Cannot deserialize instance of " + kind.describeName + " from " + node.getNodeType()
            + " value for field " + field.name());
      }
      String text = node.asText();
      if (text.isEmpty()) {
        return null;
      }
      return text(type, field, text);
    }
    switch (kind) {
      case BOOLEAN:
        if (!node.isBoolean()) {
          throw SfError.jsonParser("Cannot deserialize instance of boolean from " + node.getNodeType()
              + " value " + node + " for field " + field.name());
        }
        return node.booleanValue();
      case DOUBLE:
      case CURRENCY:
      case PERCENT:
      case INT:
        if (node.isNumber()) {
          return number(field, node.decimalValue());
        }
        if (node.isTextual()) {
          try {
            return number(field, new BigDecimal(node.asText().trim()));
          } catch (NumberFormatException e) {
            throw SfError.jsonParser("Cannot deserialize instance of " + kind.describeName + " from VALUE_STRING value "
                + node + " for field " + field.name());
          }
        }
        throw SfError.jsonParser("Cannot deserialize instance of " + kind.describeName + " from "
            + node.getNodeType() + " value for field " + field.name());
      case DATE:
        return date(field, node.asText());
      case DATETIME:
        return dateTime(field, node.asText());
      case BASE64:
        if (!node.isTextual()) {
          throw SfError.jsonParser("Cannot deserialize instance of base64 from " + node.getNodeType()
              + " value for field " + field.name());
        }
        try {
          java.util.Base64.getMimeDecoder().decode(node.asText());
        } catch (IllegalArgumentException e) {
          throw SfError.jsonParser("Cannot deserialize value of type base64 from String for field " + field.name());
        }
        return node.asText().isEmpty() ? null : node.asText();
      default:
        throw new IllegalStateException("unhandled field type " + kind);
    }
  }

  /** Validates text for a text field, as a create or a CSV row gives it. */
  static String text(SObjectType type, FieldDef field, String text) {
    switch (field.type()) {
      case REFERENCE:
      case ID:
        String id = SalesforceIds.normalize(text);
        SObjectType target = id == null ? null : SObjectType.fromId(id);
        if (id == null || (target != null && !field.referenceTo().contains(target.apiName))
            || (target == null && !field.referenceTo().contains("User"))) {
          String label = field.referenceTo().isEmpty() ? type.apiName : field.referenceTo().get(0);
          throw SfError.field("MALFORMED_ID", label + " ID: id value of incorrect type: " + text, List.of(field.name()));
        }
        return id;
      case EMAIL:
        if (!EMAIL.matcher(text).matches()) {
          throw SfError.field("INVALID_EMAIL_ADDRESS", "Email: invalid email address: " + text, List.of(field.name()));
        }
        break;
      case PICKLIST:
        if (field.picklist().stream().noneMatch(v -> v.value().equals(text))) {
          throw SfError.field("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
              field.label() + ": bad value for restricted picklist field: " + text, List.of(field.name()));
        }
        break;
      default:
        break;
    }
    if (field.length() > 0 && text.length() > field.length()) {
      throw SfError.field("STRING_TOO_LONG", field.label() + ": data value too large: "
          + text.substring(0, Math.min(20, text.length())) + "... (max length=" + field.length() + ")",
          List.of(field.name()));
    }
    return text;
  }

  private static BigDecimal number(FieldDef field, BigDecimal value) {
    if (field.type() == FieldType.INT && value.stripTrailingZeros().scale() > 0) {
      throw SfError.jsonParser("Cannot deserialize instance of int from value " + value + " for field " + field.name());
    }
    return value;
  }

  static LocalDate date(FieldDef field, String text) {
    try {
      return LocalDate.parse(text.length() > 10 ? text.substring(0, 10) : text);
    } catch (DateTimeParseException e) {
      throw SfError.jsonParser("Cannot deserialize value of type date from String \"" + text
          + "\": expected format yyyy-MM-dd for field " + field.name());
    }
  }

  static Instant dateTime(FieldDef field, String text) {
    Instant parsed = parseDateTime(text);
    if (parsed == null) {
      throw SfError.jsonParser("Cannot deserialize value of type datetime from String \"" + text
          + "\" for field " + field.name());
    }
    return parsed;
  }

  /** @return the instant of an ISO-8601 date-time with Z, +hh:mm or +hhmm; null when it is not one */
  static Instant parseDateTime(String text) {
    String normalized = text.matches(".*[+-]\\d{4}$")
        ? text.substring(0, text.length() - 2) + ":" + text.substring(text.length() - 2)
        : text;
    try {
      return OffsetDateTime.parse(normalized).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** @return the value as a JSON node: text, boolean, number, {@code yyyy-MM-dd} or a Salesforce date-time */
  static JsonNode toJson(Object value) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    if (value == null) {
      return f.nullNode();
    }
    if (value instanceof Boolean) {
      return f.booleanNode((Boolean) value);
    }
    if (value instanceof BigDecimal) {
      return f.numberNode((BigDecimal) value);
    }
    if (value instanceof Instant) {
      return f.textNode(DATETIME.format((Instant) value));
    }
    return f.textNode(value.toString());
  }

  /** @return the value as CSV text: empty for null, dates ISO, date-times Salesforce-formatted */
  static String toText(Object value) {
    if (value == null) {
      return "";
    }
    if (value instanceof Instant) {
      return DATETIME.format((Instant) value);
    }
    if (value instanceof BigDecimal) {
      return ((BigDecimal) value).toPlainString();
    }
    return value.toString();
  }
}
