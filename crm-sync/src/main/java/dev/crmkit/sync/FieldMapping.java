package dev.crmkit.sync;

import dev.crmkit.Customer;
import dev.crmkit.CustomerDraft;
import dev.crmkit.CustomerField;
import dev.crmkit.CustomerUpdate;
import dev.crmkit.error.ValidationException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/**
 * Which customer fields a {@link SyncEngine} syncs, under which name on each side, with which value
 * transform and in which {@link SyncFlow flow}. Immutable and thread-safe; built with {@link #builder()} or taken
 * from {@link #defaults()} (a provider may offer its own defaults, such as
 * {@code HubSpotFieldMappings.defaults()}).
 *
 * <p>Fields are named as the sync engine flattens a record (the names of
 * {@link dev.crmkit.sync.spi.SyncSnapshot#fields()}):
 * <table>
 *   <caption>Sync field names</caption>
 *   <tr><th>name</th><th>value as text</th></tr>
 *   <tr><td>{@code firstName}, {@code lastName}, {@code email}, {@code company}, {@code language}</td>
 *       <td>as stored</td></tr>
 *   <tr><td>{@code phone}</td><td>the number with its extension, {@code +14155550100 x12}</td></tr>
 *   <tr><td>{@code segment}, {@code preferredChannel}</td><td>the enum constant's name, {@code VIP}</td></tr>
 *   <tr><td>{@code tags}, {@code address}, {@code contactPreferences}</td><td>an opaque encoding of the
 *       whole set, address or opt-in map</td></tr>
 *   <tr><td>{@code lastContactAt}</td><td>ISO-8601 instant</td></tr>
 *   <tr><td>{@code custom.<name>}</td><td>the custom field {@code <name>}</td></tr>
 *   <tr><td>{@code stats.totalOrders}, {@code stats.totalRevenue}</td><td>read-only: the order count;
 *       the revenue's amount as a plain decimal, {@code "123.40"} (in the customer's order currency). On the local side only, {@link SyncFlow#PUSH}, and
 *       mapped to a remote custom field, since stats are not writable through
 *       {@link dev.crmkit.CustomerSystem}.</td></tr>
 * </table>
 *
 * <p>A {@link ValueTransform} turns a local value into the remote one and back; it sees and returns
 * text ({@code null} for no value). The remote side of a rule is read through the transform's
 * {@link ValueTransform#toLocal}, so the engine compares and stores values in local terms.
 */
public final class FieldMapping {

  /**
   * Converts one field's value between the local and the remote representation. Both functions take
   * and return text, {@code null} meaning no value; they should be inverse of each other on the
   * values in use, or a synced value would keep changing. A function that throws makes that record
   * fail (a {@link RecordError}), not the run.
   */
  public interface ValueTransform {
    /** The remote value for a local one. */
    String toRemote(String localValue);

    /** The local value for a remote one. */
    String toLocal(String remoteValue);

    /** Keeps values as they are. */
    static ValueTransform identity() {
      return Identity.INSTANCE;
    }

    /**
     * A transform from two functions.
     *
     * @param toRemote local to remote; never null
     * @param toLocal remote to local; never null
     * @return the transform
     * @throws NullPointerException when a function is null
     */
    static ValueTransform of(UnaryOperator<String> toRemote, UnaryOperator<String> toLocal) {
      Objects.requireNonNull(toRemote, "toRemote");
      Objects.requireNonNull(toLocal, "toLocal");
      return new ValueTransform() {
        @Override
        public String toRemote(String localValue) {
          return toRemote.apply(localValue);
        }

        @Override
        public String toLocal(String remoteValue) {
          return toLocal.apply(remoteValue);
        }
      };
    }
  }

  private enum Identity implements ValueTransform {
    INSTANCE;

    @Override
    public String toRemote(String localValue) {
      return localValue;
    }

    @Override
    public String toLocal(String remoteValue) {
      return remoteValue;
    }
  }

  /**
   * One synced field.
   *
   * @param localField the field's sync name on the local side
   * @param remoteField its sync name on the remote side
   * @param flow which way it flows: {@link SyncFlow#BIDIRECTIONAL} both ways, concurrent changes decided by
   *     the {@link ConflictStrategy}; {@link SyncFlow#PUSH} local to remote only, the local value is master
   *     and remote edits of the field are overwritten; {@link SyncFlow#PULL} remote to local only, the
   *     remote value is master. The engine's own {@link SyncFlow} narrows it further
   * @param transform value conversion; {@link ValueTransform#identity()} when the names hold the same values
   */
  public record Rule(String localField, String remoteField, SyncFlow flow, ValueTransform transform) {
    /**
     * @throws NullPointerException when a component is null, its name the message
     * @throws IllegalArgumentException naming {@code localField} or {@code remoteField} when it is not a
     *     sync field name, or {@code flow} when a stats field would be written
     */
    public Rule {
      Objects.requireNonNull(localField, "localField");
      Objects.requireNonNull(remoteField, "remoteField");
      Objects.requireNonNull(flow, "flow");
      Objects.requireNonNull(transform, "transform");
      if (!SyncFields.known(localField)) {
        throw new IllegalArgumentException("localField is not a sync field name (see FieldMapping): " + localField);
      }
      if (!SyncFields.known(remoteField)) {
        throw new IllegalArgumentException("remoteField is not a sync field name (see FieldMapping): " + remoteField);
      }
      if (SyncFields.isStats(localField) && flow != SyncFlow.PUSH) {
        throw new IllegalArgumentException("flow must be PUSH for " + localField + ", read-only locally: " + flow);
      }
      if (SyncFields.isStats(remoteField) && flow != SyncFlow.PULL) {
        throw new IllegalArgumentException("flow must be PULL for " + remoteField + ", read-only remotely: " + flow);
      }
    }

    boolean pushes() {
      return flow.pushes();
    }

    boolean pulls() {
      return flow.pulls();
    }
  }

  private final Map<String, Rule> byLocal;

  private FieldMapping(Map<String, Rule> byLocal) {
    this.byLocal = Collections.unmodifiableMap(new LinkedHashMap<>(byLocal));
  }

  /**
   * Every writable standard field, under its own name on both sides, both ways, untransformed:
   * {@code firstName}, {@code lastName}, {@code email}, {@code phone}, {@code company},
   * {@code preferredChannel}, {@code language}, {@code segment}, {@code tags}, {@code address},
   * {@code contactPreferences}, {@code lastContactAt}. No custom fields.
   *
   * @return the mapping
   */
  public static FieldMapping defaults() {
    Builder b = builder();
    for (CustomerField f : CustomerField.values()) {
      if (f != CustomerField.CUSTOM_FIELDS) {
        b.field(f.apiName());
      }
    }
    return b.build();
  }

  /** An empty builder. */
  public static Builder builder() {
    return new Builder(Map.of());
  }

  /** A builder holding this mapping's rules, to add or remove some. */
  public Builder toBuilder() {
    return new Builder(byLocal);
  }

  /** The rules, in the order they were added; unmodifiable. */
  public List<Rule> rules() {
    return List.copyOf(byLocal.values());
  }

  /** The local field names, in rule order. */
  Set<String> localFields() {
    return byLocal.keySet();
  }

  Rule rule(String localField) {
    return byLocal.get(localField);
  }

  /** The local record's synced values, by local field name. */
  Map<String, String> localValues(Customer local) {
    return SyncFields.read(local, byLocal.keySet());
  }

  /** The remote record's synced values in local terms, by local field name. */
  Map<String, String> remoteValues(Customer remote) {
    Map<String, String> out = new TreeMap<>();
    for (Rule r : byLocal.values()) {
      String v = toLocal(r, SyncFields.read(remote, r.remoteField()));
      if (v != null) {
        out.put(r.localField(), v);
      }
    }
    return out;
  }

  /**
   * A stand-in for remote record {@code externalId} holding {@code values} (local terms, as a
   * snapshot keeps them), so a pushed record can be reconciled without reading the remote one:
   * {@link #remoteValues} of it gives {@code values} back for fields whose transform round-trips.
   * Ids, stats and times other than {@code updatedAt} come from {@code template}.
   */
  Customer remoteView(Customer template, String externalId, Map<String, String> values, java.time.Instant updatedAt) {
    Map<String, String> remote = new TreeMap<>();
    for (Rule r : byLocal.values()) {
      String v = values == null ? null : toRemote(r, values.get(r.localField()));
      if (v != null) {
        remote.put(r.remoteField(), v);
      }
    }
    return SyncFields.view(template.toBuilder().id(externalId).updatedAt(updatedAt).build(), remote);
  }

  /** The local update that sets {@code fields} to {@code target} (local terms); stats fields are skipped. */
  CustomerUpdate localUpdate(Customer local, Map<String, String> target, Set<String> fields) {
    Set<String> writable = new TreeSet<>();
    for (String f : fields) {
      if (!SyncFields.isStats(f)) {
        writable.add(f);
      }
    }
    return SyncFields.update(local, target, writable);
  }

  /** The remote update that sets {@code fields} (local names) to {@code target} (local terms). */
  CustomerUpdate remoteUpdate(Customer remote, Map<String, String> target, Set<String> fields) {
    Map<String, String> values = new TreeMap<>();
    Set<String> remoteFields = new TreeSet<>();
    for (String f : fields) {
      Rule r = byLocal.get(f);
      if (SyncFields.isStats(r.remoteField())) {
        continue;
      }
      remoteFields.add(r.remoteField());
      String v = toRemote(r, target.get(f));
      if (v != null) {
        values.put(r.remoteField(), v);
      }
    }
    return SyncFields.update(remote, values, remoteFields);
  }

  /** A local draft from values in local terms, limited to {@code fields}. */
  CustomerDraft localDraft(Map<String, String> values, Set<String> fields) {
    Map<String, String> out = new TreeMap<>();
    values.forEach((f, v) -> {
      if (fields.contains(f) && !SyncFields.isStats(f)) {
        out.put(f, v);
      }
    });
    return SyncFields.draft(out);
  }

  /** A remote draft from values in local terms, limited to {@code fields} (local names). */
  CustomerDraft remoteDraft(Map<String, String> values, Set<String> fields) {
    Map<String, String> out = new TreeMap<>();
    values.forEach((f, v) -> {
      Rule r = byLocal.get(f);
      if (fields.contains(f) && !SyncFields.isStats(r.remoteField())) {
        String remote = toRemote(r, v);
        if (remote != null) {
          out.put(r.remoteField(), remote);
        }
      }
    });
    return SyncFields.draft(out);
  }

  /**
   * The rule's {@link ValueTransform#toRemote}. A transform that throws something other than an
   * {@link IllegalArgumentException}, a {@link java.time.DateTimeException} or a
   * {@link dev.crmkit.error.CrmException} (a {@link NullPointerException} on a null value, say) is
   * rethrown as a {@link ValidationException} naming the local field and value, so that it fails the
   * record, not the run, as {@link ValueTransform} promises.
   */
  private static String toRemote(Rule r, String localValue) {
    try {
      return r.transform().toRemote(localValue);
    } catch (IllegalArgumentException | java.time.DateTimeException | dev.crmkit.error.CrmException e) {
      throw e;
    } catch (RuntimeException e) {
      throw transformFailed(r.localField(), localValue, "toRemote", e);
    }
  }

  /** The rule's {@link ValueTransform#toLocal}; a failure is rethrown as {@link #toRemote} does. */
  private static String toLocal(Rule r, String remoteValue) {
    try {
      return r.transform().toLocal(remoteValue);
    } catch (IllegalArgumentException | java.time.DateTimeException | dev.crmkit.error.CrmException e) {
      throw e;
    } catch (RuntimeException e) {
      throw transformFailed(r.remoteField(), remoteValue, "toLocal", e);
    }
  }

  private static ValidationException transformFailed(String field, String value, String function, RuntimeException e) {
    ValidationException out = ValidationException.of(field, value, "the field's transform " + function + " failed: " + e);
    out.addSuppressed(e);
    return out;
  }

  /** The rules as {@code local->remote(flow)}, the flow left out when bidirectional; never values. */
  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    byLocal.values().forEach(r -> parts.add(r.localField()
        + (r.localField().equals(r.remoteField()) ? "" : "->" + r.remoteField())
        + (r.flow() == SyncFlow.BIDIRECTIONAL ? "" : "(" + r.flow() + ")")));
    return "FieldMapping" + parts;
  }

  /**
   * Collects rules; each method checks its arguments at once, as {@link Rule} does: a {@code null}
   * throws a {@link NullPointerException} whose message is the argument's name, a bad value an
   * {@link IllegalArgumentException} naming the argument and the value. A local field is mapped at
   * most once (a later rule for it replaces the earlier); a remote field at most once. Not thread-safe.
   */
  public static final class Builder {
    private final Map<String, Rule> rules;

    private Builder(Map<String, Rule> rules) {
      this.rules = new LinkedHashMap<>(rules);
    }

    /**
     * Syncs a field under the same name on both sides, both ways, untransformed.
     *
     * @param name a sync field name such as {@code "email"} or {@code "custom.tier"}
     * @return this builder
     * @throws NullPointerException ({@code localField}) when the name is null
     * @throws IllegalArgumentException naming {@code localField} when the name is unknown or a stats field
     */
    public Builder field(String name) {
      return map(name, name, SyncFlow.BIDIRECTIONAL, ValueTransform.identity());
    }

    /**
     * Syncs a field under the same name on both sides one way, untransformed.
     *
     * @param name a sync field name
     * @param flow which way it flows (see {@link Rule#flow()}); not null
     * @return this builder
     * @throws NullPointerException ({@code localField} or {@code flow}) when an argument is null
     * @throws IllegalArgumentException naming {@code localField} when the name is unknown, or {@code flow}
     *     when a stats field would be written
     */
    public Builder field(String name, SyncFlow flow) {
      return map(name, name, flow, ValueTransform.identity());
    }

    /**
     * Syncs local custom field {@code localName} with remote custom field {@code remoteName}, both ways.
     *
     * @param localName the local custom field's name, without {@code custom.}
     * @param remoteName the remote custom field's name, without {@code custom.}
     * @return this builder
     * @throws IllegalArgumentException naming {@code localField} or {@code remoteField} when a name is
     *     null or empty
     */
    public Builder customField(String localName, String remoteName) {
      return map(SyncFields.CUSTOM + Objects.toString(localName, ""), SyncFields.CUSTOM + Objects.toString(remoteName, ""),
          SyncFlow.BIDIRECTIONAL, ValueTransform.identity());
    }

    /**
     * Adds (or replaces) the rule of {@code localField}.
     *
     * @param localField the local sync field name
     * @param remoteField the remote sync field name
     * @param flow which way it flows (see {@link Rule#flow()})
     * @param transform value conversion
     * @return this builder
     * @throws NullPointerException when an argument is null, its name the message
     * @throws IllegalArgumentException naming the bad argument (see {@link Rule}), or {@code remoteField}
     *     when another rule maps it already
     */
    public Builder map(String localField, String remoteField, SyncFlow flow, ValueTransform transform) {
      Rule rule = new Rule(localField, remoteField, flow, transform);
      for (Rule r : rules.values()) {
        if (!r.localField().equals(localField) && r.remoteField().equals(remoteField)) {
          throw new IllegalArgumentException("remoteField " + remoteField + " is mapped already from " + r.localField());
        }
      }
      rules.put(localField, rule);
      return this;
    }

    /**
     * Stops syncing a local field.
     *
     * @param localField the local sync field name; nothing happens when it is not mapped
     * @return this builder
     */
    public Builder without(String localField) {
      rules.remove(localField);
      return this;
    }

    /**
     * The mapping.
     *
     * @return the mapping
     * @throws IllegalStateException when there are no rules: call {@link #field(String)} or {@link #map}
     */
    public FieldMapping build() {
      if (rules.isEmpty()) {
        throw new IllegalStateException("a field mapping needs at least one field: call field(...) or map(...)");
      }
      return new FieldMapping(rules);
    }
  }
}
