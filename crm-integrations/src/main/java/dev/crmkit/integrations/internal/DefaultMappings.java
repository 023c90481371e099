package dev.crmkit.integrations.internal;

import dev.crmkit.integrations.MappingRule;
import dev.crmkit.sync.FieldMapping;
import dev.crmkit.sync.SyncFlow;
import java.util.ArrayList;
import java.util.List;

/**
 * The field mapping an integration syncs with until the tenant stores its own: what each provider's
 * own {@code *FieldMappings.defaults()} syncs without the order statistics (which need custom fields
 * the tenant must create first). crm-integrations does not depend on the vendor modules, so the rules
 * are restated here:
 * <ul>
 *   <li>{@code hubspot}: firstName, lastName, email, phone, segment (lifecycle stage), tags, both ways;
 *   <li>{@code salesforce}: firstName, lastName, email, phone, company, address, segment, preferredChannel
 *       both ways, contactPreferences pushed;
 *   <li>{@code native}, {@code memory}: every writable field ({@link FieldMapping#defaults()});
 *   <li>any other provider: firstName, lastName, email, phone, both ways.
 * </ul>
 */
final class DefaultMappings {
  private DefaultMappings() {}

  static List<MappingRule> forProvider(String provider) {
    List<MappingRule> out = new ArrayList<>();
    switch (provider) {
      case "hubspot" -> both(out, "firstName", "lastName", "email", "phone", "segment", "tags");
      case "salesforce" -> {
        both(out, "firstName", "lastName", "email", "phone", "company", "address", "segment", "preferredChannel");
        out.add(new MappingRule("contactPreferences", "contactPreferences", SyncFlow.PUSH, "none"));
      }
      case "native", "memory" -> FieldMapping.defaults().rules().forEach(r ->
          out.add(new MappingRule(r.localField(), r.remoteField(), r.flow(), "none")));
      default -> both(out, "firstName", "lastName", "email", "phone");
    }
    return List.copyOf(out);
  }

  private static void both(List<MappingRule> out, String... fields) {
    for (String f : fields) {
      out.add(new MappingRule(f, f, SyncFlow.BIDIRECTIONAL, "none"));
    }
  }
}
