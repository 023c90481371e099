package dev.crmkit.integrations;

import dev.crmkit.error.ValidationException;
import dev.crmkit.spi.Validation;
import dev.crmkit.sync.FieldMapping;
import dev.crmkit.sync.SyncFlow;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One stored field-mapping rule of a tenant integration: which crmkit field syncs with which field
 * of the remote system, which way, through which value transform. Immutable.
 *
 * <p>Both field names are sync field names as {@link FieldMapping} lists them ({@code firstName},
 * {@code lastName}, {@code email}, {@code phone}, {@code company}, {@code language}, {@code segment},
 * {@code preferredChannel}, {@code tags}, {@code address}, {@code contactPreferences},
 * {@code lastContactAt}, {@code custom.<name>}, and the read-only {@code stats.totalOrders} and
 * {@code stats.totalRevenue}). On the remote side they name the field as the provider maps the vendor's
 * record: HubSpot's {@code firstname} property is {@code firstName}; a property the provider maps with
 * {@code customField.<name>=<property>} is {@code custom.<name>}.
 *
 * <p>Transforms ({@link #TRANSFORMS}), applied to values going either way so both sides converge:
 * {@code none} (values as they are), {@code trim} (surrounding whitespace removed), {@code lowercase}
 * and {@code uppercase} (in the root locale). A transform other than {@code none} is allowed only
 * between text fields ({@link #TEXT_FIELDS} and {@code custom.<name>}), whose values are plain text.
 *
 * @param field the crmkit (local) field; a sync field name, never null
 * @param remoteField the remote field; a sync field name, never null
 * @param flow which way the field flows ({@link FieldMapping.Rule#flow()}); never null. Stats fields
 *     are read-only: {@code stats.*} as {@code field} needs {@link SyncFlow#PUSH}
 * @param transform one of {@link #TRANSFORMS}; {@code null} reads as {@code "none"}
 */
public record MappingRule(String field, String remoteField, SyncFlow flow, String transform) {
  /** The transform names a rule accepts: {@code none}, {@code trim}, {@code lowercase}, {@code uppercase}. */
  public static final List<String> TRANSFORMS = List.of("none", "trim", "lowercase", "uppercase");

  /** The standard fields whose values are plain text, so that a transform may change them. */
  public static final Set<String> TEXT_FIELDS = Set.of("firstName", "lastName", "email", "company", "language");

  /**
   * @throws ValidationException naming {@code field}, {@code remoteField}, {@code flow} or
   *     {@code transform}: a missing value, a name that is not a sync field name, a stats field written
   *     against its read-only side, an unknown transform, or a transform on a field that is not text
   */
  public MappingRule {
    if (field == null || field.isBlank()) {
      throw ValidationException.of("field", field, "is required: a sync field name such as 'email'");
    }
    if (remoteField == null || remoteField.isBlank()) {
      throw ValidationException.of("remoteField", remoteField, "is required: a sync field name such as 'email'");
    }
    if (flow == null) {
      throw ValidationException.of("flow", null, "is required: PUSH, PULL or BIDIRECTIONAL");
    }
    transform = transform == null ? "none" : transform;
    if (!TRANSFORMS.contains(transform)) {
      throw ValidationException.of("transform", Validation.abbreviate(transform), "must be one of " + TRANSFORMS);
    }
    try {
      new FieldMapping.Rule(field, remoteField, flow, FieldMapping.ValueTransform.identity());
    } catch (IllegalArgumentException e) {
      String message = e.getMessage();
      String bad = message.startsWith("remoteField") ? "remoteField" : message.startsWith("flow") ? "flow" : "field";
      String value = bad.equals("remoteField") ? remoteField : bad.equals("flow") ? flow.name() : field;
      throw ValidationException.of(bad, Validation.abbreviate(value), message.startsWith("flow")
          ? "stats fields are read-only on the side they come from: " + message
          : "is not a sync field name (see FieldMapping: firstName, email, custom.<name>, ...)");
    }
    if (!transform.equals("none") && !(text(field) && text(remoteField))) {
      throw ValidationException.of("transform", transform, "applies to text fields only (" + TEXT_FIELDS
          + " and custom.<name>), not " + (text(field) ? remoteField : field));
    }
  }

  /** The rule as the sync engine takes it. */
  public FieldMapping.Rule toSyncRule() {
    return new FieldMapping.Rule(field, remoteField, flow, valueTransform(transform));
  }

  private static boolean text(String name) {
    return TEXT_FIELDS.contains(name) || name.startsWith("custom.");
  }

  private static FieldMapping.ValueTransform valueTransform(String name) {
    return switch (name) {
      case "trim" -> FieldMapping.ValueTransform.of(MappingRule::trim, MappingRule::trim);
      case "lowercase" -> FieldMapping.ValueTransform.of(MappingRule::lower, MappingRule::lower);
      case "uppercase" -> FieldMapping.ValueTransform.of(MappingRule::upper, MappingRule::upper);
      default -> FieldMapping.ValueTransform.identity();
    };
  }

  private static String trim(String v) {
    return v == null ? null : v.strip();
  }

  private static String lower(String v) {
    return v == null ? null : v.toLowerCase(Locale.ROOT);
  }

  private static String upper(String v) {
    return v == null ? null : v.toUpperCase(Locale.ROOT);
  }
}
