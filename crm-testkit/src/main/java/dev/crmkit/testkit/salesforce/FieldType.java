package dev.crmkit.testkit.salesforce;

/** The describe {@code type} of a field, and how its values are held: see {@link Values}. */
enum FieldType {
  ID("id"),
  REFERENCE("reference"),
  STRING("string"),
  EMAIL("email"),
  PHONE("phone"),
  TEXTAREA("textarea"),
  PICKLIST("picklist"),
  BOOLEAN("boolean"),
  DOUBLE("double"),
  CURRENCY("currency"),
  PERCENT("percent"),
  INT("int"),
  DATE("date"),
  DATETIME("datetime"),
  /** Binary content, held base64-encoded; a query shows the URL of its blob resource instead. */
  BASE64("base64");

  final String describeName;

  FieldType(String describeName) {
    this.describeName = describeName;
  }

  boolean textual() {
    return this == ID || this == REFERENCE || this == STRING || this == EMAIL || this == PHONE
        || this == TEXTAREA || this == PICKLIST;
  }

  boolean numeric() {
    return this == DOUBLE || this == CURRENCY || this == PERCENT || this == INT;
  }
}
