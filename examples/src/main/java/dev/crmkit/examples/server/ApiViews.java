package dev.crmkit.examples.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crmkit.Capability;
import dev.crmkit.integrations.ConnectionTest;
import dev.crmkit.integrations.IntegrationStatus;
import dev.crmkit.integrations.MappingRule;
import dev.crmkit.integrations.OAuthStart;
import dev.crmkit.integrations.TenantIntegration;
import dev.crmkit.integrations.WebhookDelivery;
import dev.crmkit.provider.AuthKind;
import dev.crmkit.provider.ProviderCategory;
import dev.crmkit.provider.ProviderDescriptor;
import dev.crmkit.provider.SettingDescriptor;
import dev.crmkit.sync.FieldConflict;
import dev.crmkit.sync.RunCounts;
import dev.crmkit.sync.RunStatus;
import dev.crmkit.sync.SyncConflict;
import dev.crmkit.sync.SyncResult;
import dev.crmkit.sync.SyncRun;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The REST API's JSON shapes (README, "The example server"), written from the service's records: enum
 * values in lower case, instants as ISO-8601 UTC text, durations in milliseconds, absent values as
 * {@code null}. Credentials never appear: an integration shows only its {@code credentialKeys}.
 */
final class ApiViews {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private ApiViews() {}

  /**
   * {@code {"categories":[{"category","providers":[...]}]}}, categories in {@link ProviderCategory}
   * order. A provider's {@code features} start with {@code contacts} (every provider reads and
   * writes customers) followed by its capabilities; its {@code settings} leave out prefix settings
   * (families such as {@code dealCustomField.<name>}), which a form cannot offer as one field.
   */
  static ObjectNode catalogue(List<ProviderDescriptor> descriptors) {
    Map<ProviderCategory, List<ProviderDescriptor>> byCategory = new EnumMap<>(ProviderCategory.class);
    for (ProviderDescriptor d : descriptors) {
      byCategory.computeIfAbsent(d.category(), c -> new ArrayList<>()).add(d);
    }
    ObjectNode root = JSON.objectNode();
    ArrayNode categories = root.putArray("categories");
    byCategory.forEach((category, providers) -> {
      ObjectNode c = categories.addObject();
      c.put("category", category.name());
      ArrayNode list = c.putArray("providers");
      providers.forEach(p -> list.add(provider(p)));
    });
    return root;
  }

  private static ObjectNode provider(ProviderDescriptor d) {
    ObjectNode p = JSON.objectNode();
    p.put("name", d.name());
    p.put("displayName", d.displayName());
    p.put("category", d.category().name());
    ArrayNode features = p.putArray("features");
    features.add("contacts");
    for (Capability c : d.features()) {
      features.add(lower(c));
    }
    ArrayNode auth = p.putArray("auth");
    for (AuthKind kind : d.authKinds()) {
      auth.add(kind instanceof AuthKind.ApiToken ? "api_token" : kind instanceof AuthKind.OAuth2 ? "oauth2" : "none");
    }
    ArrayNode settings = p.putArray("settings");
    for (SettingDescriptor s : d.settings()) {
      if (s.prefix()) {
        continue;
      }
      ObjectNode o = settings.addObject();
      o.put("key", s.key());
      o.put("type", lower(s.type()));
      o.put("required", s.required());
      o.put("secret", s.secret());
      o.put("defaultValue", s.defaultValue());
      o.put("description", s.description());
      o.put("docLink", s.docLink() == null ? null : s.docLink().toString());
    }
    return p;
  }

  /** {@code {"integrations":[...],"active":n}}. */
  static ObjectNode configured(List<TenantIntegration> integrations) {
    ObjectNode root = JSON.objectNode();
    ArrayNode list = root.putArray("integrations");
    integrations.forEach(i -> list.add(integration(i)));
    root.put("active", integrations.stream()
        .filter(i -> i.status() == IntegrationStatus.ACTIVE).count());
    return root;
  }

  /** One integration, without its tenant id (the caller's own) and without any credential value. */
  static ObjectNode integration(TenantIntegration i) {
    ObjectNode o = JSON.objectNode();
    o.put("id", i.id());
    o.put("provider", i.provider());
    o.put("name", i.name());
    o.put("status", lower(i.status()));
    o.put("flow", lower(i.flow()));
    o.put("schedule", lower(i.schedule()));
    ObjectNode settings = o.putObject("settings");
    new TreeMap<>(i.settings()).forEach(settings::put);
    ArrayNode keys = o.putArray("credentialKeys");
    sorted(i.credentialKeys()).forEach(keys::add);
    o.put("accountId", i.accountId());
    o.put("lastSyncAt", text(i.lastSyncAt()));
    o.put("lastError", i.lastError());
    o.put("createdAt", text(i.createdAt()));
    o.put("updatedAt", text(i.updatedAt()));
    o.put("version", i.version());
    return o;
  }

  /** {@code {"ok","failure","message","latencyMs","testedAt"}}. */
  static ObjectNode connectionTest(ConnectionTest t) {
    ObjectNode o = JSON.objectNode();
    o.put("ok", t.ok());
    o.put("failure", t.failure() == null ? null : lower(t.failure()));
    o.put("message", t.message());
    o.put("latencyMs", t.latency() == null ? null : t.latency().toMillis());
    o.put("testedAt", text(t.testedAt()));
    return o;
  }

  /**
   * {@code {"success","result":{"synced","created","updated","errors","duration"},"runId","status","failure"}}:
   * {@code success} unless the run failed as a whole; {@code errors} counts the records that failed;
   * {@code duration} in milliseconds.
   */
  static ObjectNode syncResult(SyncResult r) {
    ObjectNode o = JSON.objectNode();
    o.put("success", r.status() != RunStatus.FAILED);
    ObjectNode result = o.putObject("result");
    result.put("synced", r.synced());
    result.put("created", r.created());
    result.put("updated", r.updated());
    result.put("errors", r.failed());
    result.put("duration", r.duration() == null ? 0 : r.duration().toMillis());
    o.put("runId", r.runId());
    o.put("status", lower(r.status()));
    o.put("failure", r.failure());
    return o;
  }

  /** {@code {"runs":[...],"webhooks":[...]}}. */
  static ObjectNode logs(List<SyncRun> runs, List<WebhookDelivery> webhooks) {
    ObjectNode root = JSON.objectNode();
    ArrayNode r = root.putArray("runs");
    for (SyncRun run : runs) {
      ObjectNode o = r.addObject();
      o.put("id", run.id());
      o.put("kind", run.kind());
      o.put("status", lower(run.status()));
      o.put("startedAt", text(run.startedAt()));
      o.put("finishedAt", text(run.finishedAt()));
      o.put("durationMs", run.duration().map(Duration::toMillis).orElse(null));
      o.set("counts", counts(run.counts()));
    }
    ArrayNode w = root.putArray("webhooks");
    for (WebhookDelivery d : webhooks) {
      ObjectNode o = w.addObject();
      o.put("id", d.id());
      o.put("platform", d.platform());
      o.put("receivedAt", text(d.receivedAt()));
      o.put("status", d.status());
      o.put("outcome", d.outcome() == null ? null : lower(d.outcome()));
      o.put("events", d.events());
      o.put("duplicates", d.duplicates());
      o.put("detail", d.detail());
    }
    return root;
  }

  private static ObjectNode counts(RunCounts c) {
    ObjectNode o = JSON.objectNode();
    if (c == null) {
      return o;
    }
    o.put("processed", c.processed());
    o.put("created", c.created());
    o.put("updated", c.updated());
    o.put("deleted", c.deleted());
    o.put("skipped", c.skipped());
    o.put("conflicts", c.conflicts());
    o.put("failed", c.failed());
    return o;
  }

  /** {@code {"rules":[{"field","remoteField","flow","transform"}]}}. */
  static ObjectNode mapping(List<MappingRule> rules) {
    ObjectNode root = JSON.objectNode();
    ArrayNode list = root.putArray("rules");
    for (MappingRule rule : rules) {
      ObjectNode o = list.addObject();
      o.put("field", rule.field());
      o.put("remoteField", rule.remoteField());
      o.put("flow", rule.flow() == null ? null : lower(rule.flow()));
      o.put("transform", rule.transform());
    }
    return root;
  }

  /** {@code {"conflicts":[...]}}. */
  static ObjectNode conflicts(List<SyncConflict> conflicts) {
    ObjectNode root = JSON.objectNode();
    ArrayNode list = root.putArray("conflicts");
    conflicts.forEach(c -> list.add(conflict(c)));
    return root;
  }

  /** One conflict: ids, the clashing fields with local, remote and base values, status and resolution. */
  static ObjectNode conflict(SyncConflict c) {
    ObjectNode o = JSON.objectNode();
    o.put("id", c.id());
    o.put("localId", c.localId());
    o.put("externalId", c.externalId());
    ArrayNode fields = o.putArray("fields");
    for (FieldConflict f : c.fields()) {
      ObjectNode field = fields.addObject();
      field.put("field", f.field());
      field.put("localValue", f.localValue());
      field.put("remoteValue", f.remoteValue());
      field.put("baseValue", f.baseValue());
    }
    o.put("strategy", c.strategy());
    o.put("detectedAt", text(c.detectedAt()));
    o.put("status", c.status() == null ? null : lower(c.status()));
    if (c.resolution() == null) {
      o.putNull("resolution");
    } else {
      ObjectNode r = o.putObject("resolution");
      r.put("choice", c.resolution().choice() == null ? null : lower(c.resolution().choice()));
      r.put("resolvedBy", c.resolution().resolvedBy());
      r.put("resolvedAt", text(c.resolution().resolvedAt()));
    }
    return o;
  }

  /** {@code {"authorizationUrl","expiresAt"}}. */
  static ObjectNode oauthStart(OAuthStart start) {
    ObjectNode o = JSON.objectNode();
    o.put("authorizationUrl", start.authorizationUrl().toString());
    o.put("expiresAt", text(start.expiresAt()));
    return o;
  }

  /** {@code {"error":{"code","message","field"}}}. */
  static ObjectNode error(String code, String message, String field) {
    ObjectNode root = JSON.objectNode();
    ObjectNode e = root.putObject("error");
    e.put("code", code);
    e.put("message", message);
    e.put("field", field);
    return root;
  }

  static String lower(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }

  private static String text(Instant instant) {
    return instant == null ? null : instant.toString();
  }

  private static List<String> sorted(Collection<String> values) {
    return values == null ? List.of() : values.stream().sorted().toList();
  }
}
