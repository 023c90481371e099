package dev.crmkit.sync;

import dev.crmkit.Address;
import dev.crmkit.Channel;
import dev.crmkit.ContactPreferences;
import dev.crmkit.Customer;
import dev.crmkit.CustomerDraft;
import dev.crmkit.CustomerField;
import dev.crmkit.CustomerUpdate;
import dev.crmkit.OptInStatus;
import dev.crmkit.Segment;
import dev.crmkit.sync.spi.TextCodec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A customer's synced values as flat text, the shape of {@link SyncSnapshot#fields()}: one entry per
 * sync field name ({@code firstName}, {@code tags}, {@code custom.<name>}, {@code stats.totalOrders},
 * ...), a field without a value left out. Collections are encoded with {@link TextCodec} so that equal
 * values give equal text.
 */
final class SyncFields {
  static final String CUSTOM = "custom.";
  static final String TOTAL_ORDERS = "stats.totalOrders";
  static final String TOTAL_REVENUE = "stats.totalRevenue";

  /** Field names for the writable standard fields, by {@link CustomerField}. */
  static final Map<String, CustomerField> STANDARD;

  static {
    Map<String, CustomerField> m = new TreeMap<>();
    for (CustomerField f : CustomerField.values()) {
      if (f != CustomerField.CUSTOM_FIELDS) {
        m.put(f.apiName(), f);
      }
    }
    STANDARD = java.util.Collections.unmodifiableMap(m);
  }

  private SyncFields() {}

  /** True for a name this codec reads: a standard field, {@code custom.<name>} or a stats field. */
  static boolean known(String field) {
    return STANDARD.containsKey(field) || isCustom(field) || isStats(field);
  }

  static boolean isCustom(String field) {
    return field.startsWith(CUSTOM) && field.length() > CUSTOM.length();
  }

  static boolean isStats(String field) {
    return field.equals(TOTAL_ORDERS) || field.equals(TOTAL_REVENUE);
  }

  /** The value of one field as text, or {@code null} when the record has none. */
  static String read(Customer c, String field) {
    if (isCustom(field)) {
      return c.customFields().get(field.substring(CUSTOM.length()));
    }
    if (field.equals(TOTAL_ORDERS)) {
      return c.stats().totalOrders() == 0 ? null : Integer.toString(c.stats().totalOrders());
    }
    if (field.equals(TOTAL_REVENUE)) {
      return c.stats().totalRevenue() == null ? null
          : c.stats().totalRevenue().amount().toPlainString();
    }
    CustomerField f = STANDARD.get(field);
    Object v = c.get(f);
    return switch (f) {
      case PREFERRED_CHANNEL, SEGMENT -> v == null ? null : ((Enum<?>) v).name();
      case TAGS -> c.tags().isEmpty() ? null : TextCodec.encode(new ArrayList<>(c.tags()));
      case ADDRESS -> c.address() == null || c.address().isEmpty() ? null : encode(c.address());
      case CONTACT_PREFERENCES -> c.contactPreferences().optIns().isEmpty() ? null : encode(c.contactPreferences());
      case LAST_CONTACT_AT -> c.lastContactAt() == null ? null : c.lastContactAt().toString();
      default -> (String) v;
    };
  }

  /** The values of the given fields, those without a value left out; sorted by name. */
  static Map<String, String> read(Customer c, Iterable<String> fields) {
    Map<String, String> out = new TreeMap<>();
    for (String f : fields) {
      String v = read(c, f);
      if (v != null) {
        out.put(f, v);
      }
    }
    return out;
  }

  /**
   * A record with {@code template}'s id, tenant, stats and times, and exactly {@code values} on the
   * writable fields (every other writable field empty): what a conflict strategy compares.
   */
  static Customer view(Customer template, Map<String, String> values) {
    Customer.Builder b = template.toBuilder()
        .firstName(null).lastName(null).email(null).phone(null).phoneExtension(null).company(null)
        .preferredChannel(null).language(null).segment(null).tags(Set.of()).address(null)
        .contactPreferences(ContactPreferences.UNKNOWN).customFields(Map.of()).lastContactAt(null);
    Map<String, String> custom = new TreeMap<>();
    values.forEach((field, value) -> {
      if (isCustom(field)) {
        custom.put(field.substring(CUSTOM.length()), value);
        return;
      }
      CustomerField f = STANDARD.get(field);
      if (f == null) {
        return;
      }
      switch (f) {
        case FIRST_NAME -> b.firstName(value);
        case LAST_NAME -> b.lastName(value);
        case EMAIL -> b.email(value);
        case PHONE -> {
          int x = value.indexOf(" x");
          b.phone(x < 0 ? value : value.substring(0, x)).phoneExtension(x < 0 ? null : value.substring(x + 2));
        }
        case COMPANY -> b.company(value);
        default -> {
          Object typed = typed(f, value);
          switch (f) {
            case PREFERRED_CHANNEL -> b.preferredChannel((Channel) typed);
            case LANGUAGE -> b.language((String) typed);
            case SEGMENT -> b.segment((Segment) typed);
            case TAGS -> b.tags(tags(value));
            case ADDRESS -> b.address((Address) typed);
            case CONTACT_PREFERENCES -> b.contactPreferences((ContactPreferences) typed);
            case LAST_CONTACT_AT -> b.lastContactAt((Instant) typed);
            default -> throw new IllegalStateException(f.name());
          }
        }
      }
    });
    return b.customFields(custom).build();
  }

  /**
   * The update that sets each of {@code target}'s fields on a record holding {@code current}: a field
   * of {@code fields} missing from {@code target} is cleared. Custom fields go in one replacement of
   * the record's custom fields, keeping those not named.
   */
  static CustomerUpdate update(Customer current, Map<String, String> target, Set<String> fields) {
    CustomerUpdate.Builder u = CustomerUpdate.builder();
    Map<String, String> custom = null;
    for (String field : fields) {
      String value = target.get(field);
      if (isCustom(field)) {
        if (custom == null) {
          custom = new TreeMap<>(current.customFields());
        }
        String name = field.substring(CUSTOM.length());
        if (value == null) {
          custom.remove(name);
        } else {
          custom.put(name, value);
        }
        continue;
      }
      CustomerField f = STANDARD.get(field);
      if (f == null) {
        continue;
      }
      Object typed = value == null ? null : typed(f, value);
      switch (f) {
        case FIRST_NAME -> u.firstName((String) typed);
        case LAST_NAME -> u.lastName((String) typed);
        case EMAIL -> u.email((String) typed);
        case PHONE -> u.phone((String) typed);
        case COMPANY -> u.company((String) typed);
        case PREFERRED_CHANNEL -> u.preferredChannel((Channel) typed);
        case LANGUAGE -> u.language((String) typed);
        case SEGMENT -> u.segment((Segment) typed);
        case TAGS -> u.tags(value == null ? null : tags(value));
        case ADDRESS -> u.address((Address) typed);
        case CONTACT_PREFERENCES -> u.contactPreferences((ContactPreferences) typed);
        case LAST_CONTACT_AT -> u.lastContactAt((Instant) typed);
        default -> throw new IllegalStateException(f.name());
      }
    }
    if (custom != null) {
      u.customFields(custom);
    }
    return u.build();
  }

  /** A draft holding {@code values}. */
  static CustomerDraft draft(Map<String, String> values) {
    CustomerDraft.Builder d = CustomerDraft.builder();
    values.forEach((field, value) -> {
      if (isCustom(field)) {
        d.customField(field.substring(CUSTOM.length()), value);
        return;
      }
      CustomerField f = STANDARD.get(field);
      if (f == null) {
        return;
      }
      Object typed = typed(f, value);
      switch (f) {
        case FIRST_NAME -> d.firstName(value);
        case LAST_NAME -> d.lastName(value);
        case EMAIL -> d.email(value);
        case PHONE -> d.phone(value);
        case COMPANY -> d.company(value);
        case PREFERRED_CHANNEL -> d.preferredChannel((Channel) typed);
        case LANGUAGE -> d.language(value);
        case SEGMENT -> d.segment((Segment) typed);
        case TAGS -> d.tags(tags(value));
        case ADDRESS -> d.address((Address) typed);
        case CONTACT_PREFERENCES -> d.contactPreferences((ContactPreferences) typed);
        case LAST_CONTACT_AT -> d.lastContactAt((Instant) typed);
        default -> throw new IllegalStateException(f.name());
      }
    });
    return d.build();
  }

  private static Object typed(CustomerField f, String value) {
    return switch (f) {
      case PREFERRED_CHANNEL -> Channel.valueOf(value);
      case SEGMENT -> Segment.valueOf(value);
      case ADDRESS -> {
        List<String> p = TextCodec.decode(value).stream().map(s -> s == null || s.isEmpty() ? null : s).toList();
        yield new Address(p.get(0), p.get(1), p.get(2), p.get(3), p.get(4), p.get(5));
      }
      case CONTACT_PREFERENCES -> {
        Map<Channel, OptInStatus> m = new EnumMap<>(Channel.class);
        TextCodec.decodeMap(value).forEach((k, v) -> m.put(Channel.valueOf(k), OptInStatus.valueOf(v)));
        yield new ContactPreferences(m);
      }
      case LAST_CONTACT_AT -> Instant.parse(value);
      default -> value;
    };
  }

  private static Set<String> tags(String value) {
    return new LinkedHashSet<>(TextCodec.decode(value));
  }

  private static String encode(Address a) {
    return TextCodec.encode(Arrays.asList(a.line1(), a.line2(), a.city(), a.region(), a.postalCode(), a.country()));
  }

  private static String encode(ContactPreferences p) {
    Map<String, String> m = new TreeMap<>();
    p.optIns().forEach((k, v) -> m.put(k.name(), v.name()));
    return TextCodec.encodeMap(m);
  }
}
