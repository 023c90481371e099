package dev.crmkit.testkit.hubspot;

import java.util.List;

/**
 * The CRM object types the emulator serves under {@code /crm/v3/objects/{path}} (deals also under
 * their objectTypeId, {@code /crm/v3/objects/0-3}, the form HubSpot's published deals spec uses),
 * with the HubSpot-defined association type ids between contacts and each other type.
 *
 * @see <a href="https://developers.hubspot.com/docs/api/crm/associations">HubSpot: association
 *     type ids</a>
 */
enum ObjectType {
  CONTACTS("contacts", "contactId", "CONTACT", 0, 0, "createdate", "lastmodifieddate",
      List.of("email", "firstname", "lastname", "phone", "company", "website")),
  /** Deals: associated to contacts with 3 (deal to contact) and 4 (contact to deal); objectTypeId 0-3. */
  DEALS("deals", "dealId", "DEAL", 3, 4, "createdate", "hs_lastmodifieddate", List.of("dealname")),
  NOTES("notes", "noteId", "NOTE", 202, 201, List.of("hs_note_body")),
  CALLS("calls", "callId", "CALL", 194, 193, List.of("hs_call_title", "hs_call_body")),
  EMAILS("emails", "emailId", "EMAIL", 198, 197, List.of("hs_email_subject", "hs_email_text")),
  MEETINGS("meetings", "meetingId", "MEETING", 200, 199, List.of("hs_meeting_title", "hs_meeting_body")),
  COMMUNICATIONS("communications", "communicationId", "COMMUNICATION", 81, 82, List.of("hs_communication_body"));

  /** The path segment and v4 object type name, such as {@code notes}. */
  final String path;
  /** The path parameter name in HubSpot's API reference, such as {@code noteId}. */
  final String idParameter;
  /** HubSpot's upper-case singular name, used in messages and association type names. */
  final String singular;
  /** The HUBSPOT_DEFINED type id from this type to contacts; 0 for contacts. */
  final int toContactTypeId;
  /** The HUBSPOT_DEFINED type id from contacts to this type; 0 for contacts. */
  final int fromContactTypeId;
  final String createdProperty;
  final String modifiedProperty;
  /** The properties a free-text search {@code query} looks in. */
  final List<String> queryProperties;

  ObjectType(String path, String idParameter, String singular, int toContactTypeId, int fromContactTypeId,
      List<String> queryProperties) {
    this(path, idParameter, singular, toContactTypeId, fromContactTypeId, "hs_createdate", "hs_lastmodifieddate",
        queryProperties);
  }

  ObjectType(String path, String idParameter, String singular, int toContactTypeId, int fromContactTypeId,
      String createdProperty, String modifiedProperty, List<String> queryProperties) {
    this.path = path;
    this.idParameter = idParameter;
    this.singular = singular;
    this.toContactTypeId = toContactTypeId;
    this.fromContactTypeId = fromContactTypeId;
    this.createdProperty = createdProperty;
    this.modifiedProperty = modifiedProperty;
    this.queryProperties = queryProperties;
  }

  /** @return the properties every read returns, whether asked for or not */
  List<String> alwaysReturned() {
    return List.of(createdProperty, "hs_object_id", modifiedProperty);
  }

  /** @return the properties a read returns when it asks for none */
  List<String> defaultProperties() {
    switch (this) {
      case CONTACTS:
        return List.of("createdate", "email", "firstname", "hs_object_id", "lastmodifieddate", "lastname");
      case DEALS:
        return List.of("amount", "closedate", "createdate", "dealname", "dealstage", "hs_lastmodifieddate",
            "hs_object_id", "pipeline");
      default:
        return alwaysReturned();
    }
  }

  boolean isEngagement() {
    return this != CONTACTS && this != DEALS;
  }

  /** HubSpot's objectTypeId for the types that have a well-known one, or null. */
  String objectTypeId() {
    switch (this) {
      case CONTACTS:
        return "0-1";
      case DEALS:
        return "0-3";
      default:
        return null;
    }
  }

  /** @return the type with the path name, singular or plural, any case, or objectTypeId; null when none */
  static ObjectType fromPath(String name) {
    for (ObjectType type : values()) {
      if (type.path.equalsIgnoreCase(name) || type.singular.equalsIgnoreCase(name) || name.equals(type.objectTypeId())) {
        return type;
      }
    }
    return null;
  }

  /**
   * @return the HUBSPOT_DEFINED association type id from this type to {@code to}, or 0 when HubSpot
   *     defines none the emulator knows
   */
  int typeIdTo(ObjectType to) {
    if (this == CONTACTS && to != CONTACTS) {
      return to.fromContactTypeId;
    }
    if (this != CONTACTS && to == CONTACTS) {
      return toContactTypeId;
    }
    return 0;
  }
}
