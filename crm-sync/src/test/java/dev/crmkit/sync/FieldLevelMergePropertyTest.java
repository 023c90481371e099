package dev.crmkit.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmkit.Address;
import dev.crmkit.Channel;
import dev.crmkit.ContactPreferences;
import dev.crmkit.Customer;
import dev.crmkit.CustomerField;
import dev.crmkit.OptInStatus;
import dev.crmkit.Segment;
import dev.crmkit.identity.PhoneNumbers;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToIntFunction;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Properties of {@link ConflictStrategy#fieldLevelMerge}, checked by jqwik on generated (base,
 * local, remote) triples; a failure is shrunk to a small triple and reported with its seed.
 *
 * <p>Each field (and each element of tags, custom fields and opt-ins) is in one of a few states;
 * state 0 is "absent" ({@code null}, or the element missing). Per field or element a generated
 * {@link Change} says who changed it, and the expected merged state follows from it alone.
 */
class FieldLevelMergePropertyTest {
  private static final int ELEMENTS = 5;
  private static final Instant CREATED = Instant.parse("2025-01-01T00:00:00Z");
  private static final Instant EARLIER = Instant.parse("2026-03-02T09:00:00Z");
  private static final Instant LATER = Instant.parse("2026-03-02T17:30:00Z");
  private static final List<String> TAG_KEYS = List.of("lead", "vip", "newsletter", "first-contact", "churned");
  private static final List<Channel> CHANNEL_KEYS =
      List.of(Channel.EMAIL, Channel.SMS, Channel.WHATSAPP, Channel.PHONE, Channel.WEB);

  enum Mode { UNCHANGED, LOCAL_ONLY, REMOTE_ONLY, BOTH_SAME, BOTH_DIFFERENT }

  /**
   * Who changed one field or element: its base state, the state a change sets, and for
   * {@code BOTH_DIFFERENT} the other side's state ({@code second}, -1 when the field has only two
   * states and the mode cannot be drawn).
   */
  record Change(Mode mode, int base, int changed, int second) {
    States states(boolean remoteLater) {
      return switch (mode) {
        case UNCHANGED -> new States(mode, base, base, base, base);
        case LOCAL_ONLY -> new States(mode, base, changed, base, changed);
        case REMOTE_ONLY -> new States(mode, base, base, changed, changed);
        case BOTH_SAME -> new States(mode, base, changed, changed, changed);
        case BOTH_DIFFERENT -> new States(mode, base, changed, second, remoteLater ? second : changed);
      };
    }

    @Override
    public String toString() {
      return mode == Mode.UNCHANGED ? "=" + base : mode + "(" + base + "->" + changed
          + (mode == Mode.BOTH_DIFFERENT ? "|" + second : "") + ")";
    }
  }

  /** States of one field or element on the three snapshots, and the state the merge must produce. */
  record States(Mode mode, int base, int local, int remote, int expected) {}

  /** One generated triple: which side wrote last, and the changes of each field (one per element for element-wise fields). */
  record Scenario(boolean remoteLater, Map<CustomerField, List<Change>> changes) {
    Map<CustomerField, States> scalars() {
      Map<CustomerField, States> out = new EnumMap<>(CustomerField.class);
      changes.forEach((f, c) -> {
        if (!isElementWise(f)) {
          out.put(f, c.get(0).states(remoteLater));
        }
      });
      return out;
    }

    Map<CustomerField, List<States>> elements() {
      Map<CustomerField, List<States>> out = new EnumMap<>(CustomerField.class);
      changes.forEach((f, c) -> {
        if (isElementWise(f)) {
          out.put(f, c.stream().map(e -> e.states(remoteLater)).toList());
        }
      });
      return out;
    }

    /** Only what changed, so a shrunk counterexample reads at a glance. */
    @Override
    public String toString() {
      Map<CustomerField, List<Change>> changed = new EnumMap<>(CustomerField.class);
      changes.forEach((f, c) -> {
        if (c.stream().anyMatch(e -> e.mode() != Mode.UNCHANGED)) {
          changed.put(f, c);
        }
      });
      return "Scenario{" + (remoteLater ? "remote" : "local") + " later, " + changed + "}";
    }
  }

  @Property(tries = 3000)
  void aFieldChangedOnOnlyOneSideAlwaysSurvivesFieldLevelMerge(@ForAll("scenarios") Scenario scenario) {
    ConflictStrategy merge = ConflictStrategy.fieldLevelMerge(ConflictStrategy.lastWriteWins());
    boolean remoteLater = scenario.remoteLater();
    Map<CustomerField, States> scalars = scenario.scalars();
    Map<CustomerField, List<States>> elements = scenario.elements();
    Customer base = snapshot("loc-1", CREATED, scalars, elements, States::base);
    Customer local = snapshot("loc-1", remoteLater ? EARLIER : LATER, scalars, elements, States::local);
    Customer remote = snapshot("hs-1", remoteLater ? LATER : EARLIER, scalars, elements, States::remote);
    Customer expected = snapshot("loc-1", CREATED, scalars, elements, States::expected);

    ConflictResolution r = merge.resolve(base, local, remote);

    assertThat(r.isResolved()).isTrue();
    for (CustomerField f : CustomerField.values()) {
      assertThat(r.resolved().get(f))
          .as("field %s, modes %s", f, isElementWise(f) ? elements.get(f) : scalars.get(f))
          .isEqualTo(expected.get(f));
    }
    assertThat(r.clashingFields()).containsExactlyElementsOf(clashingFields(scalars, elements));
    assertThat(r.localUpdate().applyTo(local, LATER, PhoneNumbers.forRegion("US")).get(CustomerField.PHONE))
        .isEqualTo(expected.get(CustomerField.PHONE));
    Statistics.label("a scalar field changed on one side only").collect(scalars.values().stream()
        .anyMatch(s -> s.mode() == Mode.LOCAL_ONLY || s.mode() == Mode.REMOTE_ONLY));
    Statistics.label("a scalar field changed on one side only")
        .coverage(c -> c.check(true).percentage(p -> p > 50));
  }

  @Property(tries = 3000)
  void withoutBaseTheMergeAgreesWithTheFallbackOnEveryDifferingField(
      @ForAll("scenarios") Scenario scenario, @ForAll("fallbacks") ConflictStrategy fallback) {
    ConflictStrategy merge = ConflictStrategy.fieldLevelMerge(fallback);
    boolean remoteLater = scenario.remoteLater();
    Map<CustomerField, States> scalars = scenario.scalars();
    Map<CustomerField, List<States>> elements = scenario.elements();
    Customer local = snapshot("loc-1", remoteLater ? EARLIER : LATER, scalars, elements, States::local);
    Customer remote = snapshot("hs-1", remoteLater ? LATER : EARLIER, scalars, elements, States::remote);

    ConflictResolution merged = merge.resolve(null, local, remote);
    ConflictResolution whole = fallback.resolve(null, local, remote);

    for (CustomerField f : CustomerField.values()) {
      assertThat(merged.resolved().get(f)).as("%s, field %s", fallback, f).isEqualTo(whole.resolved().get(f));
    }
    assertThat(merged.clashingFields()).isEqualTo(merged.differingFields());
  }

  @Provide
  Arbitrary<Scenario> scenarios() {
    List<Arbitrary<List<Change>>> perField = new ArrayList<>();
    for (CustomerField f : CustomerField.values()) {
      Arbitrary<Change> change = changes(stateCount(f));
      perField.add(isElementWise(f) ? change.list().ofSize(ELEMENTS) : change.map(List::of));
    }
    Arbitrary<Map<CustomerField, List<Change>>> fields = Combinators.combine(perField).as(lists -> {
      Map<CustomerField, List<Change>> out = new EnumMap<>(CustomerField.class);
      for (CustomerField f : CustomerField.values()) {
        out.put(f, lists.get(f.ordinal()));
      }
      return out;
    });
    return Combinators.combine(Arbitraries.of(false, true), fields).as(Scenario::new);
  }

  @Provide
  Arbitrary<ConflictStrategy> fallbacks() {
    return Arbitraries.of(ConflictStrategy.lastWriteWins(), ConflictStrategy.localMaster(),
        ConflictStrategy.externalMaster());
  }

  /** A change of a field with {@code states} states; {@code BOTH_DIFFERENT} needs three. */
  private static Arbitrary<Change> changes(int states) {
    Arbitrary<Mode> modes = states >= 3 ? Arbitraries.of(Mode.class)
        : Arbitraries.of(Mode.UNCHANGED, Mode.LOCAL_ONLY, Mode.REMOTE_ONLY, Mode.BOTH_SAME);
    return Combinators.combine(modes, Arbitraries.integers().between(0, states - 1),
        Arbitraries.integers().between(1, states - 1), Arbitraries.integers().between(0, Math.max(0, states - 3)))
        .as((mode, base, step, pick) -> {
          int changed = (base + step) % states;
          int second = IntStream.range(0, states).filter(s -> s != base && s != changed).skip(pick).findFirst()
              .orElse(-1);
          return new Change(mode, base, changed, second);
        });
  }

  private static List<CustomerField> clashingFields(
      Map<CustomerField, States> scalars, Map<CustomerField, List<States>> elements) {
    List<CustomerField> out = new ArrayList<>();
    for (CustomerField f : CustomerField.values()) {
      List<States> all = isElementWise(f) ? elements.get(f) : List.of(scalars.get(f));
      if (all.stream().anyMatch(s -> s.mode() == Mode.BOTH_DIFFERENT)) {
        out.add(f);
      }
    }
    return out;
  }

  private static boolean isElementWise(CustomerField f) {
    return f == CustomerField.TAGS || f == CustomerField.CUSTOM_FIELDS || f == CustomerField.CONTACT_PREFERENCES;
  }

  /** Tags are present or absent; opt-ins absent, in or out; everything else has three or more states. */
  private static int stateCount(CustomerField f) {
    return switch (f) {
      case TAGS -> 2;
      case CONTACT_PREFERENCES -> 3;
      case SEGMENT -> Segment.values().length;
      default -> 4;
    };
  }

  private static Customer snapshot(
      String id, Instant updatedAt, Map<CustomerField, States> scalars, Map<CustomerField, List<States>> elements,
      ToIntFunction<States> pick) {
    Customer.Builder b = Customer.builder().id(id).tenantId("acme").createdAt(CREATED).updatedAt(updatedAt);
    scalars.forEach((f, s) -> setScalar(b, f, pick.applyAsInt(s)));
    Set<String> tags = new LinkedHashSet<>();
    Map<String, String> custom = new HashMap<>();
    Map<Channel, OptInStatus> optIns = new LinkedHashMap<>();
    for (int i = 0; i < ELEMENTS; i++) {
      if (pick.applyAsInt(elements.get(CustomerField.TAGS).get(i)) == 1) {
        tags.add(TAG_KEYS.get(i));
      }
      int c = pick.applyAsInt(elements.get(CustomerField.CUSTOM_FIELDS).get(i));
      if (c > 0) {
        custom.put("field" + i, "value" + c);
      }
      int o = pick.applyAsInt(elements.get(CustomerField.CONTACT_PREFERENCES).get(i));
      if (o > 0) {
        optIns.put(CHANNEL_KEYS.get(i), OptInStatus.values()[o - 1]);
      }
    }
    return b.tags(tags).customFields(custom).contactPreferences(new ContactPreferences(optIns)).build();
  }

  /** State 0 is absent ({@code null}); segment has no absent state, so state i is the i-th segment. */
  private static void setScalar(Customer.Builder b, CustomerField f, int s) {
    switch (f) {
      case FIRST_NAME -> b.firstName(s == 0 ? null : "First" + s);
      case LAST_NAME -> b.lastName(s == 0 ? null : "Last" + s);
      case EMAIL -> b.email(s == 0 ? null : "person" + s + "@example.com");
      case PHONE -> b.phone(s == 0 ? null : "+1415555010" + s).phoneExtension(s == 2 ? "4530" : null);
      case COMPANY -> b.company(s == 0 ? null : "Company " + s);
      case PREFERRED_CHANNEL -> b.preferredChannel(s == 0 ? null : Channel.values()[s]);
      case LANGUAGE -> b.language(s == 0 ? null : List.of("en", "de", "pt-BR").get(s - 1));
      case SEGMENT -> b.segment(Segment.values()[s]);
      case ADDRESS -> b.address(s == 0 ? null : Address.ofCity("City " + s, "US"));
      case LAST_CONTACT_AT -> b.lastContactAt(s == 0 ? null : EARLIER.minusSeconds(s));
      default -> throw new IllegalArgumentException("not a single-valued field: " + f);
    }
  }
}
