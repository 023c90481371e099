package dev.crmkit.actions;

import dev.crmkit.Channel;
import dev.crmkit.Money;
import dev.crmkit.error.ValidationException;
import dev.crmkit.spi.Validation;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a {@link HostEvent} as text for an outbox and reads it back: form-encoded {@code key=value}
 * pairs (UTF-8, {@code application/x-www-form-urlencoded} escaping) joined by {@code &}, such as
 * {@code v=1&type=CALL_COMPLETED&tenantId=acme&eventId=call-17&customer.phone=%2B14155550100&...}.
 *
 * <p>Versioned: {@code v} is the format version, {@value #VERSION} for this release. A reader tolerates
 * keys it does not know (a newer writer's optional fields) and refuses a higher version than its own.
 * Absent keys are {@code null} values; times are ISO-8601 instants, durations ISO-8601 durations, money
 * a plain decimal and an ISO 4217 code in two keys; a {@link CustomerUpdated} change is
 * {@code change.<field>=s:<value>} (set) or {@code change.<field>=c} (clear).
 *
 * <p>Stateless and thread-safe.
 */
public final class HostEventCodec {
  /** The format version this class writes, {@value}. */
  public static final int VERSION = 1;

  private static final String CHANGE = "change.";

  private HostEventCodec() {}

  /**
   * The event as text.
   *
   * @throws NullPointerException naming {@code event} when null
   */
  public static String encode(HostEvent event) {
    if (event == null) {
      throw new NullPointerException("event");
    }
    Map<String, String> m = new LinkedHashMap<>();
    m.put("v", Integer.toString(VERSION));
    m.put("type", event.type().name());
    m.put("tenantId", event.tenantId());
    m.put("eventId", event.eventId());
    m.put("customer.id", event.customer().id());
    m.put("customer.phone", event.customer().phone());
    m.put("customer.email", event.customer().email());
    m.put("occurredAt", event.occurredAt().toString());
    if (event instanceof MessageReceived e) {
      m.put("channel", e.channel().name());
      m.put("text", e.text());
      m.put("senderName", e.senderName());
    } else if (event instanceof AppointmentBooked e) {
      m.put("title", e.title());
      m.put("startsAt", e.startsAt().toString());
      m.put("duration", e.duration() == null ? null : e.duration().toString());
      money(m, "value", e.value());
      m.put("notes", e.notes());
    } else if (event instanceof CallCompleted e) {
      m.put("duration", e.duration().toString());
      m.put("outcome", e.outcome().name());
      m.put("summary", e.summary());
    } else if (event instanceof DocumentSent e) {
      m.put("documentName", e.documentName());
      m.put("url", e.url());
      m.put("channel", e.channel() == null ? null : e.channel().name());
    } else if (event instanceof OrderPlaced e) {
      m.put("orderId", e.orderId());
      money(m, "amount", e.amount());
      m.put("placedAt", e.placedAt().toString());
    } else if (event instanceof CustomerUpdated e) {
      e.changes().forEach((k, v) -> m.put(CHANGE + k, v == null ? "c" : "s:" + v));
    }
    StringBuilder b = new StringBuilder(256);
    m.forEach((k, v) -> {
      if (v != null) {
        if (b.length() > 0) {
          b.append('&');
        }
        b.append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8));
      }
    });
    return b.toString();
  }

  /**
   * Reads an event written by {@link #encode} of this or an earlier version.
   *
   * @param text the encoded event
   * @return the event, validated as its constructor validates
   * @throws ValidationException naming {@code payload} when the text is null, not form-encoded, of a
   *     newer version, of an unknown type, or a value cannot be read; or naming the event's own field when
   *     a value breaks its limit
   */
  public static HostEvent decode(String text) {
    Map<String, String> m = parse(text);
    String version = m.get("v");
    int v;
    try {
      v = Integer.parseInt(version == null ? "" : version);
    } catch (NumberFormatException e) {
      throw bad("v", version, "the format version is missing or not a number");
    }
    if (v < 1 || v > VERSION) {
      throw bad("v", version, "this crmkit reads format versions 1 to " + VERSION
          + (v > VERSION ? "; the event was written by a newer crmkit" : ""));
    }
    String type = m.get("type");
    EventType t;
    try {
      t = EventType.valueOf(type == null ? "" : type);
    } catch (IllegalArgumentException e) {
      throw bad("type", type, "not an event type");
    }
    String tenantId = m.get("tenantId");
    String eventId = m.get("eventId");
    CustomerRef customer = new CustomerRef(m.get("customer.id"), m.get("customer.phone"), m.get("customer.email"));
    Instant occurredAt = instant(m, "occurredAt");
    return switch (t) {
      case MESSAGE_RECEIVED -> new MessageReceived(tenantId, eventId, customer, occurredAt,
          channel(m, "channel"), m.get("text"), m.get("senderName"));
      case APPOINTMENT_BOOKED -> new AppointmentBooked(tenantId, eventId, customer, occurredAt, m.get("title"),
          instant(m, "startsAt"), duration(m, "duration"), money(m, "value"), m.get("notes"));
      case CALL_COMPLETED -> new CallCompleted(tenantId, eventId, customer, occurredAt, duration(m, "duration"),
          outcome(m), m.get("summary"));
      case DOCUMENT_SENT -> new DocumentSent(tenantId, eventId, customer, occurredAt, m.get("documentName"),
          m.get("url"), channel(m, "channel"));
      case ORDER_PLACED -> new OrderPlaced(tenantId, eventId, customer, occurredAt, m.get("orderId"),
          money(m, "amount"), instant(m, "placedAt"));
      case CUSTOMER_UPDATED -> new CustomerUpdated(tenantId, eventId, customer, occurredAt, changes(m));
    };
  }

  private static Map<String, String> parse(String text) {
    if (text == null || text.isEmpty()) {
      throw bad(null, null, "the payload is empty");
    }
    Map<String, String> m = new TreeMap<>();
    for (String pair : text.split("&", -1)) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw bad(null, pair, "not a key=value pair");
      }
      try {
        String key = URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8);
        String value = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        if (m.put(key, value) != null) {
          throw bad(key, value, "the key appears twice");
        }
      } catch (IllegalArgumentException e) {
        throw bad(null, pair, "malformed %-escape");
      }
    }
    return m;
  }

  private static void money(Map<String, String> m, String key, Money money) {
    if (money != null) {
      m.put(key, money.amount().toPlainString());
      m.put(key + ".currency", money.currency().getCurrencyCode());
    }
  }

  private static Money money(Map<String, String> m, String key) {
    String amount = m.get(key);
    if (amount == null) {
      return null;
    }
    try {
      return Money.of(amount, m.get(key + ".currency"));
    } catch (ValidationException e) {
      throw bad(key, amount + " " + m.get(key + ".currency"), "not an amount and an ISO 4217 currency");
    }
  }

  private static Instant instant(Map<String, String> m, String key) {
    String v = m.get(key);
    try {
      return v == null ? null : Instant.parse(v);
    } catch (DateTimeParseException e) {
      throw bad(key, v, "not an ISO-8601 instant");
    }
  }

  private static Duration duration(Map<String, String> m, String key) {
    String v = m.get(key);
    try {
      return v == null ? null : Duration.parse(v);
    } catch (DateTimeParseException e) {
      throw bad(key, v, "not an ISO-8601 duration");
    }
  }

  private static Channel channel(Map<String, String> m, String key) {
    String v = m.get(key);
    try {
      return v == null ? null : Channel.valueOf(v.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw bad(key, v, "not a channel");
    }
  }

  private static CallOutcome outcome(Map<String, String> m) {
    String v = m.get("outcome");
    try {
      return v == null ? null : CallOutcome.valueOf(v.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw bad("outcome", v, "not a call outcome");
    }
  }

  private static Map<String, String> changes(Map<String, String> m) {
    Map<String, String> changes = new TreeMap<>();
    m.forEach((k, v) -> {
      if (k.startsWith(CHANGE)) {
        if (v.equals("c")) {
          changes.put(k.substring(CHANGE.length()), null);
        } else if (v.startsWith("s:")) {
          changes.put(k.substring(CHANGE.length()), v.substring(2));
        } else {
          throw bad(k, v, "a change is 's:<value>' or 'c'");
        }
      }
    });
    return changes;
  }

  private static ValidationException bad(String key, String value, String problem) {
    return ValidationException.of(key == null ? "payload" : "payload." + key, Validation.abbreviate(value),
        "unreadable event payload: " + problem);
  }
}
