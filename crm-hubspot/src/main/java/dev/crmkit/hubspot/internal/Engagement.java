package dev.crmkit.hubspot.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crmkit.ActivityDraft;
import dev.crmkit.ActivityType;
import dev.crmkit.Channel;
import dev.crmkit.CustomerActivity;
import dev.crmkit.error.FieldError;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The HubSpot engagement object types crmkit writes activities and notes to, with their association
 * type ids to contacts and their body properties, and the translation of an activity to and from
 * engagement properties.
 */
public enum Engagement {
  NOTE("notes", 202, "hs_note_body"),
  CALL("calls", 194, "hs_call_body"),
  EMAIL("emails", 198, "hs_email_text"),
  MEETING("meetings", 200, "hs_meeting_body"),
  COMMUNICATION("communications", 81, "hs_communication_body");

  /** Property holding the crmkit activity type; also marks a note as an activity, not a note. */
  public static final String ACTIVITY_TYPE = "crmkit_activity_type";
  /** Property holding the crmkit channel. */
  public static final String CHANNEL = "crmkit_channel";
  /** Property holding the activity's metadata as a JSON object of strings. */
  public static final String METADATA = "crmkit_metadata";
  /** Searchable property holding the idempotency key. */
  public static final String IDEMPOTENCY_KEY = "crmkit_idempotency_key";
  /** Property holding a note's author. */
  public static final String CREATED_BY = "crmkit_created_by";
  /** HubSpot's engagement time. */
  public static final String TIMESTAMP = "hs_timestamp";
  /** The metadata key that picks LinkedIn for a {@link Channel#SOCIAL} message. */
  public static final String NETWORK = "network";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String objectType;
  private final int associationTypeId;
  private final String bodyProperty;

  Engagement(String objectType, int associationTypeId, String bodyProperty) {
    this.objectType = objectType;
    this.associationTypeId = associationTypeId;
    this.bodyProperty = bodyProperty;
  }

  /** The CRM object type in URLs, such as {@code calls}. */
  public String objectType() {
    return objectType;
  }

  /** HubSpot-defined association type id from this engagement to a contact. */
  public int associationTypeId() {
    return associationTypeId;
  }

  /** The property holding the text. */
  public String bodyProperty() {
    return bodyProperty;
  }

  /** The properties to read back for this type. */
  public List<String> properties() {
    List<String> p = new ArrayList<>(List.of(bodyProperty, TIMESTAMP, ACTIVITY_TYPE, CHANNEL, METADATA, IDEMPOTENCY_KEY));
    if (this == NOTE) {
      p.add(CREATED_BY);
    }
    if (this == COMMUNICATION) {
      p.add("hs_communication_channel_type");
    }
    return p;
  }

  /** Where an activity is stored; see the provider's class documentation for the table. */
  public static Engagement of(ActivityType type, Channel channel, Map<String, String> metadata) {
    return switch (type) {
      case CALL -> CALL;
      case EMAIL -> EMAIL;
      case MEETING -> MEETING;
      case MESSAGE_RECEIVED, MESSAGE_SENT -> {
        if (channel == Channel.EMAIL) {
          yield EMAIL;
        }
        if (channel == Channel.PHONE) {
          yield CALL;
        }
        yield communicationChannel(channel, metadata) != null ? COMMUNICATION : NOTE;
      }
      default -> NOTE;
    };
  }

  private static String communicationChannel(Channel channel, Map<String, String> metadata) {
    if (channel == Channel.SMS) {
      return "SMS";
    }
    if (channel == Channel.WHATSAPP) {
      return "WHATS_APP";
    }
    if (channel == Channel.SOCIAL && "linkedin".equalsIgnoreCase(metadata.get(NETWORK))) {
      return "LINKEDIN_MESSAGE";
    }
    return null;
  }

  /** The engagement properties of an activity at {@code at}. */
  public Map<String, String> properties(ActivityDraft a, Instant at) {
    Map<String, String> p = new TreeMap<>();
    p.put(TIMESTAMP, at.toString());
    p.put(ACTIVITY_TYPE, a.type().name());
    if (a.channel() != null) {
      p.put(CHANNEL, a.channel().name());
    }
    if (a.description() != null) {
      p.put(bodyProperty, a.description());
    }
    if (!a.metadata().isEmpty()) {
      try {
        p.put(METADATA, JSON.writeValueAsString(new TreeMap<>(a.metadata())));
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalStateException("a map of strings always serializes", e);
      }
    }
    if (a.idempotencyKey() != null) {
      p.put(IDEMPOTENCY_KEY, a.idempotencyKey());
    }
    switch (this) {
      case EMAIL -> p.put("hs_email_direction", a.type() == ActivityType.MESSAGE_RECEIVED ? "INCOMING_EMAIL" : "EMAIL");
      case CALL -> p.put("hs_call_direction", a.type() == ActivityType.MESSAGE_RECEIVED ? "INBOUND" : "OUTBOUND");
      case MEETING -> {
        p.put("hs_meeting_start_time", at.toString());
        p.put("hs_meeting_end_time", at.toString());
      }
      case COMMUNICATION -> {
        p.put("hs_communication_channel_type", communicationChannel(a.channel(), a.metadata()));
        p.put("hs_communication_logged_from", "CRM");
      }
      default -> { }
    }
    return p;
  }

  /**
   * Reads an engagement object into an activity of {@code customerId}. Engagements crmkit did not write
   * (no {@value #ACTIVITY_TYPE}) get the type and channel their object type implies.
   *
   * @throws dev.crmkit.error.ValidationException naming a malformed time or type HubSpot should not have sent
   */
  public CustomerActivity read(Map<String, Object> object, String customerId) {
    Map<String, String> p = HubSpotApi.properties(object);
    List<FieldError> errors = new ArrayList<>();
    Instant at = PropertyValues.time(TIMESTAMP, p.get(TIMESTAMP), errors);
    if (at == null && errors.isEmpty()) {
      at = PropertyValues.time("createdAt", HubSpotApi.string(object.get("createdAt")), errors);
    }
    ActivityType type;
    Channel channel;
    String typeName = p.get(ACTIVITY_TYPE);
    if (!PropertyValues.absent(typeName)) {
      type = enumOf(ActivityType.class, ACTIVITY_TYPE, typeName, errors);
      channel = PropertyValues.absent(p.get(CHANNEL)) ? null : enumOf(Channel.class, CHANNEL, p.get(CHANNEL), errors);
    } else {
      type = switch (this) {
        case CALL -> ActivityType.CALL;
        case EMAIL -> ActivityType.EMAIL;
        case MEETING -> ActivityType.MEETING;
        case COMMUNICATION -> ActivityType.MESSAGE_RECEIVED;
        case NOTE -> ActivityType.OTHER;
      };
      String ct = p.getOrDefault("hs_communication_channel_type", "");
      channel = switch (this) {
        case CALL -> Channel.PHONE;
        case EMAIL -> Channel.EMAIL;
        case COMMUNICATION -> ct.equals("SMS") ? Channel.SMS : ct.equals("WHATS_APP") ? Channel.WHATSAPP : Channel.SOCIAL;
        default -> null;
      };
    }
    Map<String, String> metadata = new LinkedHashMap<>();
    if (!PropertyValues.absent(p.get(METADATA))) {
      try {
        metadata.putAll(JSON.readValue(p.get(METADATA), new TypeReference<Map<String, String>>() {}));
      } catch (java.io.IOException e) {
        errors.add(new FieldError(METADATA, p.get(METADATA), "not a JSON object of strings"));
      }
    }
    if (!errors.isEmpty()) {
      throw new dev.crmkit.error.ValidationException("hubspot", errors);
    }
    String body = p.get(bodyProperty);
    String key = p.get(IDEMPOTENCY_KEY);
    return new CustomerActivity(HubSpotApi.string(object.get("id")), customerId, type, channel,
        PropertyValues.absent(body) ? null : body, at, metadata, PropertyValues.absent(key) ? null : key);
  }

  private static <E extends Enum<E>> E enumOf(Class<E> type, String property, String value, List<FieldError> errors) {
    try {
      return Enum.valueOf(type, value.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      errors.add(new FieldError(property, value, "not a " + type.getSimpleName()));
      return null;
    }
  }
}
