package dev.crmkit;

/**
 * The fields of a {@link Customer} that callers write: what a {@link CustomerUpdate} can set or
 * clear, what field mappings and field-level conflict resolution work on. Ids, timestamps other
 * than {@link #LAST_CONTACT_AT}, and stats are maintained by the system.
 */
public enum CustomerField {
  FIRST_NAME("firstName"),
  LAST_NAME("lastName"),
  EMAIL("email"),
  /** The phone number together with its extension. */
  PHONE("phone"),
  COMPANY("company"),
  PREFERRED_CHANNEL("preferredChannel"),
  LANGUAGE("language"),
  SEGMENT("segment"),
  TAGS("tags"),
  ADDRESS("address"),
  CONTACT_PREFERENCES("contactPreferences"),
  CUSTOM_FIELDS("customFields"),
  LAST_CONTACT_AT("lastContactAt");

  private final String apiName;

  CustomerField(String apiName) {
    this.apiName = apiName;
  }

  /** The field's name as error messages and JSON spell it, such as {@code "firstName"}. */
  public String apiName() {
    return apiName;
  }
}
