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
import java.util.Random;
import java.util.Set;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;

/**
 * Property-style checks of {@link ConflictStrategy#fieldLevelMerge}: many random (base, local,
 * remote) triples from a fixed seed, so a failure is reproducible from the run number it reports.
 *
 * <p>Each field (and each element of tags, custom fields and opt-ins) is in one of a few states;
 * state 0 is "absent" ({@code null}, or the element missing). Per field or element a random
 * {@link Mode} says who changed it, and the expected merged state follows from the mode alone.
 */
class FieldLevelMergePropertyTest {
  private static final long SEED = 0x5EED_C0FFEEL;
  private static final int RUNS = 3_000;
  private static final int ELEMENTS = 5;
  private static final Instant CREATED = Instant.parse("2025-01-01T00:00:00Z");
  private static final Instant EARLIER = Instant.parse("2026-03-02T09:00:00Z");
  private static final Instant LATER = Instant.parse("2026-03-02T17:30:00Z");
  private static final List<String> TAG_KEYS = List.of("lead", "vip", "newsletter", "first-contact", "churned");
  private static final List<Channel> CHANNEL_KEYS =
      List.of(Channel.EMAIL, Channel.SMS, Channel.WHATSAPP, Channel.PHONE, Channel.WEB);

  enum Mode { UNCHANGED, LOCAL_ONLY, REMOTE_ONLY, BOTH_SAME, BOTH_DIFFERENT }

  /** States of one field or element on the three snapshots, and the state the merge must produce. */
  record States(Mode mode, int base, int local, int remote, int expected) {}

  @Test
  void aFieldChangedOnOnlyOneSideAlwaysSurvivesFieldLevelMerge() {
    Random random = new Random(SEED);
    ConflictStrategy merge = ConflictStrategy.fieldLevelMerge(ConflictStrategy.lastWriteWins());
    int singleSideChecks = 0;
    for (int run = 0; run < RUNS; run++) {
      boolean remoteLater = random.nextBoolean();
      Map<CustomerField, States> scalars = new EnumMap<>(CustomerField.class);
      Map<CustomerField, List<States>> elements = new EnumMap<>(CustomerField.class);
      for (CustomerField f : CustomerField.values()) {
        if (isElementWise(f)) {
          List<States> perElement = new ArrayList<>();
          for (int i = 0; i < ELEMENTS; i++) {
            perElement.add(draw(random, stateCount(f), remoteLater));
          }
          elements.put(f, perElement);
        } else {
          scalars.put(f, draw(random, stateCount(f), remoteLater));
        }
      }
      Customer base = snapshot("loc-1", CREATED, scalars, elements, States::base);
      Customer local = snapshot("loc-1", remoteLater ? EARLIER : LATER, scalars, elements, States::local);
      Customer remote = snapshot("hs-1", remoteLater ? LATER : EARLIER, scalars, elements, States::remote);
      Customer expected = snapshot("loc-1", CREATED, scalars, elements, States::expected);

      ConflictResolution r = merge.resolve(base, local, remote);

      assertThat(r.isResolved()).as("run %d", run).isTrue();
      for (CustomerField f : CustomerField.values()) {
        assertThat(r.resolved().get(f))
            .as("run %d, field %s, modes %s", run, f, isElementWise(f) ? elements.get(f) : scalars.get(f))
            .isEqualTo(expected.get(f));
      }
      assertThat(r.clashingFields()).as("run %d", run).containsExactlyElementsOf(clashingFields(scalars, elements));
      assertThat(r.localUpdate().applyTo(local, LATER, PhoneNumbers.forRegion("US")).get(CustomerField.PHONE))
          .as("run %d", run).isEqualTo(expected.get(CustomerField.PHONE));
      singleSideChecks += (int) scalars.values().stream()
          .filter(s -> s.mode() == Mode.LOCAL_ONLY || s.mode() == Mode.REMOTE_ONLY).count();
    }
    assertThat(singleSideChecks).as("the seed exercised one-sided changes").isGreaterThan(RUNS);
  }

  @Test
  void withoutBaseTheMergeAgreesWithTheFallbackOnEveryDifferingField() {
    Random random = new Random(SEED + 1);
    for (ConflictStrategy fallback : List.of(
        ConflictStrategy.lastWriteWins(), ConflictStrategy.localMaster(), ConflictStrategy.externalMaster())) {
      ConflictStrategy merge = ConflictStrategy.fieldLevelMerge(fallback);
      for (int run = 0; run < RUNS / 3; run++) {
        boolean remoteLater = random.nextBoolean();
        Map<CustomerField, States> scalars = new EnumMap<>(CustomerField.class);
        Map<CustomerField, List<States>> elements = new EnumMap<>(CustomerField.class);
        for (CustomerField f : CustomerField.values()) {
          if (isElementWise(f)) {
            List<States> perElement = new ArrayList<>();
            for (int i = 0; i < ELEMENTS; i++) {
              perElement.add(draw(random, stateCount(f), remoteLater));
            }
            elements.put(f, perElement);
          } else {
            scalars.put(f, draw(random, stateCount(f), remoteLater));
          }
        }
        Customer local = snapshot("loc-1", remoteLater ? EARLIER : LATER, scalars, elements, States::local);
        Customer remote = snapshot("hs-1", remoteLater ? LATER : EARLIER, scalars, elements, States::remote);

        ConflictResolution merged = merge.resolve(null, local, remote);
        ConflictResolution whole = fallback.resolve(null, local, remote);

        for (CustomerField f : CustomerField.values()) {
          assertThat(merged.resolved().get(f)).as("%s run %d, field %s", fallback, run, f)
              .isEqualTo(whole.resolved().get(f));
        }
        assertThat(merged.clashingFields()).isEqualTo(merged.differingFields());
      }
    }
  }

  /** Draws a mode and the matching states; {@code BOTH_DIFFERENT} needs three states. */
  private static States draw(Random random, int states, boolean remoteLater) {
    Mode[] modes = Mode.values();
    Mode mode = modes[random.nextInt(states >= 3 ? modes.length : modes.length - 1)];
    int base = random.nextInt(states);
    int changed = other(random, states, base, -1);
    return switch (mode) {
      case UNCHANGED -> new States(mode, base, base, base, base);
      case LOCAL_ONLY -> new States(mode, base, changed, base, changed);
      case REMOTE_ONLY -> new States(mode, base, base, changed, changed);
      case BOTH_SAME -> new States(mode, base, changed, changed, changed);
      case BOTH_DIFFERENT -> {
        int second = other(random, states, base, changed);
        yield new States(mode, base, changed, second, remoteLater ? second : changed);
      }
    };
  }

  private static int other(Random random, int states, int notThis, int norThis) {
    int s;
    do {
      s = random.nextInt(states);
    } while (s == notThis || s == norThis);
    return s;
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
