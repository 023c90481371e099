package dev.crmkit.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmkit.Address;
import dev.crmkit.Channel;
import dev.crmkit.ContactPreferences;
import dev.crmkit.Customer;
import dev.crmkit.CustomerField;
import dev.crmkit.CustomerUpdate;
import dev.crmkit.OptInStatus;
import dev.crmkit.Segment;
import dev.crmkit.identity.PhoneNumbers;
import dev.crmkit.sync.ConflictResolution.FieldDecision;
import dev.crmkit.sync.ConflictResolution.Outcome;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ConflictStrategyTest {
  static final Instant SYNCED = Instant.parse("2026-03-01T10:00:00Z");
  static final Instant EARLIER = Instant.parse("2026-03-02T09:00:00Z");
  static final Instant LATER = Instant.parse("2026-03-02T17:30:00Z");
  static final PhoneNumbers US = PhoneNumbers.forRegion("US");

  /** The last synced snapshot, in the local system's shape. */
  static final Customer BASE = Customer.builder()
      .id("loc-1").tenantId("acme")
      .firstName("Heather").lastName("Callahan").email("urangel@espinoza-francis.net")
      .phone("+10437975229").company("Mosley-David").preferredChannel(Channel.WHATSAPP).language("en")
      .segment(Segment.STANDARD).tags(Set.of("lead", "newsletter"))
      .address(Address.ofCity("Lake Jeffborough", "NO"))
      .contactPreferences(new ContactPreferences(Map.of(Channel.EMAIL, OptInStatus.OPTED_IN)))
      .customFields(Map.of("plan", "basic", "source", "web"))
      .createdAt(Instant.parse("2025-11-20T08:00:00Z")).updatedAt(SYNCED)
      .build();

  static Customer.Builder local() {
    return BASE.toBuilder().updatedAt(EARLIER);
  }

  static Customer.Builder remote() {
    return BASE.toBuilder().id("hs-901").updatedAt(EARLIER);
  }

  static final ConflictStrategy FAIL_IF_ASKED = (base, local, remote) -> {
    throw new AssertionError("the fallback must not be asked when nothing clashes");
  };

  /** Applies each side's update and checks that both sides then hold the resolved values. */
  static void assertBothSidesConvergeOnResolved(ConflictResolution r) {
    Customer newLocal = r.localUpdate().applyTo(r.local(), LATER, US);
    Customer newRemote = r.remoteUpdate().applyTo(r.remote(), LATER, US);
    for (CustomerField f : CustomerField.values()) {
      assertThat(newLocal.get(f)).as("local %s", f).isEqualTo(r.resolved().get(f));
      assertThat(newRemote.get(f)).as("remote %s", f).isEqualTo(r.resolved().get(f));
    }
  }

  @Nested
  class LastWriteWins {
    final ConflictStrategy lww = ConflictStrategy.lastWriteWins();

    @Test
    void remoteWrittenLaterWinsWholeAndOverwritesLocalOnlyChanges() {
      Customer local = local().firstName("Heidi").company("Mosley Group").updatedAt(EARLIER).build();
      Customer remote = remote().firstName("Hetty").email("heather@callahan.io").updatedAt(LATER).build();

      ConflictResolution r = lww.resolve(BASE, local, remote);

      assertThat(r.outcome()).isEqualTo(Outcome.RESOLVED);
      assertThat(r.resolved().firstName()).isEqualTo("Hetty");
      assertThat(r.resolved().email()).isEqualTo("heather@callahan.io");
      assertThat(r.resolved().company()).isEqualTo("Mosley-David");
      assertThat(r.localUpdate().fields())
          .containsExactlyInAnyOrder(CustomerField.FIRST_NAME, CustomerField.EMAIL, CustomerField.COMPANY);
      assertThat(r.remoteUpdate().isEmpty()).isTrue();
      assertThat(r.decisions()).containsExactly(new FieldDecision(CustomerField.FIRST_NAME, SyncSide.REMOTE));
      assertThat(r.clashingFields()).containsExactly(CustomerField.FIRST_NAME);
      assertBothSidesConvergeOnResolved(r);
    }

    @Test
    void localWrittenLaterWinsWholeAndPatchesTheRemote() {
      Customer local = local().firstName("Heidi").updatedAt(LATER).build();
      Customer remote = remote().firstName("Hetty").segment(Segment.VIP).updatedAt(EARLIER).build();

      ConflictResolution r = lww.resolve(BASE, local, remote);

      assertThat(r.resolved().firstName()).isEqualTo("Heidi");
      assertThat(r.resolved().segment()).isEqualTo(Segment.STANDARD);
      assertThat(r.localUpdate().isEmpty()).isTrue();
      assertThat(r.remoteUpdate().fields()).containsExactlyInAnyOrder(CustomerField.FIRST_NAME, CustomerField.SEGMENT);
      assertThat(r.decisions()).containsExactly(new FieldDecision(CustomerField.FIRST_NAME, SyncSide.LOCAL));
      assertBothSidesConvergeOnResolved(r);
    }

    @Test
    void aTieOnUpdatedAtGoesToTheLocalSide() {
      Customer local = local().firstName("Heidi").updatedAt(LATER).build();
      Customer remote = remote().firstName("Hetty").updatedAt(LATER).build();

      ConflictResolution r = lww.resolve(BASE, local, remote);

      assertThat(r.resolved().firstName()).isEqualTo("Heidi");
      assertThat(r.decisions()).containsExactly(new FieldDecision(CustomerField.FIRST_NAME, SyncSide.LOCAL));
    }

    @Test
    void withoutBaseEveryDifferingFieldCountsAsAClash() {
      Customer local = local().firstName("Heidi").company("Mosley Group").build();
      Customer remote = remote().firstName("Hetty").tags(Set.of("lead")).updatedAt(LATER).build();

      ConflictResolution r = lww.resolve(null, local, remote);

      assertThat(r.clashingFields())
          .containsExactly(CustomerField.FIRST_NAME, CustomerField.COMPANY, CustomerField.TAGS);
      assertThat(r.decisions()).extracting(FieldDecision::winner).containsOnly(SyncSide.REMOTE);
      assertThat(r.resolved().company()).isEqualTo("Mosley-David");
      assertThat(r.resolved().tags()).containsExactly("lead");
    }

    @Test
    void equalWritableFieldsNeedNoWriteEvenWhenIdsAndTimestampsDiffer() {
      Customer local = local().updatedAt(LATER).build();
      Customer remote = remote().updatedAt(EARLIER).build();

      ConflictResolution r = lww.resolve(BASE, local, remote);

      assertThat(r.changesNothing()).isTrue();
      assertThat(r.clashingFields()).isEmpty();
      assertThat(r.differingFields()).isEmpty();
    }

    @Test
    void theResolvedRecordKeepsTheLocalIdentityAndTimestamps() {
      Customer local = local().firstName("Heidi").build();
      Customer remote = remote().firstName("Hetty").updatedAt(LATER).build();

      Customer resolved = lww.resolve(BASE, local, remote).resolved();

      assertThat(resolved.id()).isEqualTo("loc-1");
      assertThat(resolved.updatedAt()).isEqualTo(EARLIER);
      assertThat(resolved.createdAt()).isEqualTo(BASE.createdAt());
    }
  }

  @Nested
  class Masters {
    @Test
    void localMasterOverwritesTheRemoteEvenWhenTheRemoteIsNewer() {
      Customer local = local().lastName("Callahan-Ng").build();
      Customer remote = remote().lastName("Ng").email("h.ng@example.org").updatedAt(LATER).build();

      ConflictResolution r = ConflictStrategy.localMaster().resolve(BASE, local, remote);

      assertThat(r.resolved().lastName()).isEqualTo("Callahan-Ng");
      assertThat(r.resolved().email()).isEqualTo(BASE.email());
      assertThat(r.localUpdate().isEmpty()).isTrue();
      assertThat(r.remoteUpdate().fields()).containsExactlyInAnyOrder(CustomerField.LAST_NAME, CustomerField.EMAIL);
      assertThat(r.decisions()).containsExactly(new FieldDecision(CustomerField.LAST_NAME, SyncSide.LOCAL));
      assertBothSidesConvergeOnResolved(r);
    }

    @Test
    void externalMasterOverwritesTheLocalEvenWhenTheLocalIsNewer() {
      Customer local = local().lastName("Callahan-Ng").language("nb").updatedAt(LATER).build();
      Customer remote = remote().lastName("Ng").build();

      ConflictResolution r = ConflictStrategy.externalMaster().resolve(BASE, local, remote);

      assertThat(r.resolved().lastName()).isEqualTo("Ng");
      assertThat(r.resolved().language()).isEqualTo("en");
      assertThat(r.remoteUpdate().isEmpty()).isTrue();
      assertThat(r.localUpdate().fields()).containsExactlyInAnyOrder(CustomerField.LAST_NAME, CustomerField.LANGUAGE);
      assertThat(r.decisions()).containsExactly(new FieldDecision(CustomerField.LAST_NAME, SyncSide.REMOTE));
      assertBothSidesConvergeOnResolved(r);
    }

    @Test
    void theWinningPhoneTravelsWithItsExtension() {
      Customer local = local().phone("+12741888773").phoneExtension("41185").build();
      Customer remote = remote().phone("+12157604642").phoneExtension(null).build();

      ConflictResolution r = ConflictStrategy.localMaster().resolve(BASE, local, remote);

      assertThat(r.remoteUpdate().valueOf(CustomerField.PHONE)).isEqualTo("+12741888773 x41185");
      Customer newRemote = r.remoteUpdate().applyTo(remote, LATER, US);
      assertThat(newRemote.phone()).isEqualTo("+12741888773");
      assertThat(newRemote.phoneExtension()).isEqualTo("41185");
    }
  }

  @Nested
  class Manual {
    final ConflictStrategy manual = ConflictStrategy.manual();

    @Test
    void parksTheRecordListingTheFieldsBothSidesChanged() {
      Customer local = local().firstName("Heidi").email("heidi@example.com").company("Mosley Group").build();
      Customer remote = remote().firstName("Hetty").email("hetty@example.com").updatedAt(LATER).build();

      ConflictResolution r = manual.resolve(BASE, local, remote);

      assertThat(r.outcome()).isEqualTo(Outcome.MANUAL);
      assertThat(r.isManual()).isTrue();
      assertThat(r.clashingFields()).containsExactly(CustomerField.FIRST_NAME, CustomerField.EMAIL);
      assertThat(r.differingFields())
          .containsExactly(CustomerField.FIRST_NAME, CustomerField.EMAIL, CustomerField.COMPANY);
      assertThat(r.decisions()).isEmpty();
      assertThat(r.changesNothing()).isFalse();
    }

    @Test
    void parksEvenWhenTheSidesChangedDifferentFields() {
      Customer local = local().company("Mosley Group").build();
      Customer remote = remote().segment(Segment.VIP).build();

      ConflictResolution r = manual.resolve(BASE, local, remote);

      assertThat(r.isManual()).isTrue();
      assertThat(r.clashingFields()).isEmpty();
      assertThat(r.differingFields()).containsExactly(CustomerField.COMPANY, CustomerField.SEGMENT);
    }

    @Test
    void equalWritableFieldsAreResolvedWithNothingToDo() {
      Customer local = local().firstName("Heidi").updatedAt(LATER).build();
      Customer remote = remote().firstName("Heidi").build();

      ConflictResolution r = manual.resolve(BASE, local, remote);

      assertThat(r.isResolved()).isTrue();
      assertThat(r.changesNothing()).isTrue();
      assertThat(r.clashingFields()).isEmpty();
    }

    @Test
    void aParkedResolutionRefusesToHandOutValues() {
      ConflictResolution r = manual.resolve(null, local().firstName("Heidi").build(), remote().build());

      assertThatThrownBy(r::resolved).isInstanceOf(IllegalStateException.class).hasMessageContaining("firstName");
      assertThatThrownBy(r::localUpdate).isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(r::remoteUpdate).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void withoutBaseEveryDifferingFieldIsListedAsClashing() {
      Customer local = local().company("Mosley Group").build();
      Customer remote = remote().segment(Segment.VIP).build();

      assertThat(manual.resolve(null, local, remote).clashingFields())
          .containsExactly(CustomerField.COMPANY, CustomerField.SEGMENT);
    }
  }

  @Nested
  class FieldLevelMerging {
    @Test
    void changesToDifferentFieldsOnEachSideBothSurviveWithoutAskingTheFallback() {
      Customer local = local().firstName("Heidi").preferredChannel(Channel.SMS).build();
      Customer remote = remote().email("heather@callahan.io").segment(Segment.VIP).updatedAt(LATER).build();

      ConflictResolution r = ConflictStrategy.fieldLevelMerge(FAIL_IF_ASKED).resolve(BASE, local, remote);

      assertThat(r.isResolved()).isTrue();
      assertThat(r.resolved().firstName()).isEqualTo("Heidi");
      assertThat(r.resolved().preferredChannel()).isEqualTo(Channel.SMS);
      assertThat(r.resolved().email()).isEqualTo("heather@callahan.io");
      assertThat(r.resolved().segment()).isEqualTo(Segment.VIP);
      assertThat(r.localUpdate().fields()).containsExactlyInAnyOrder(CustomerField.EMAIL, CustomerField.SEGMENT);
      assertThat(r.remoteUpdate().fields())
          .containsExactlyInAnyOrder(CustomerField.FIRST_NAME, CustomerField.PREFERRED_CHANNEL);
      assertThat(r.decisions()).isEmpty();
      assertBothSidesConvergeOnResolved(r);
    }

    @Test
    void aFieldClearedOnOneSideStaysCleared() {
      Customer local = local().company(null).build();
      Customer remote = remote().firstName("Hetty").build();

      ConflictResolution r = ConflictStrategy.fieldLevelMerge(FAIL_IF_ASKED).resolve(BASE, local, remote);

      assertThat(r.resolved().company()).isNull();
      assertThat(r.remoteUpdate().touches(CustomerField.COMPANY)).isTrue();
      assertThat(r.remoteUpdate().valueOf(CustomerField.COMPANY)).isNull();
      assertBothSidesConvergeOnResolved(r);
    }

    @Test
    void bothSidesChangingAFieldToTheSameValueIsNoClash() {
      Customer local = local().lastName("Ng").build();
      Customer remote = remote().lastName("Ng").company("Ng Consulting").build();

      ConflictResolution r = ConflictStrategy.fieldLevelMerge(FAIL_IF_ASKED).resolve(BASE, local, remote);

      assertThat(r.resolved().lastName()).isEqualTo("Ng");
      assertThat(r.resolved().company()).isEqualTo("Ng Consulting");
      assertThat(r.clashingFields()).isEmpty();
    }

    @Test
    void aClashWithLastWriteWinsFallbackTakesOnlyThatFieldFromTheLaterSide() {
      Customer local = local().firstName("Heidi").company("Mosley Group").updatedAt(LATER).build();
      Customer remote = remote().firstName("Hetty").email("hetty@example.com").updatedAt(EARLIER).build();

      ConflictResolution r = ConflictStrategy.fieldLevelMerge(ConflictStrategy.lastWriteWins())
          .resolve(BASE, local, remote);

      assertThat(r.resolved().firstName()).isEqualTo("Heidi");
      assertThat(r.resolved().company()).isEqualTo("Mosley Group");
      assertThat(r.resolved().email()).isEqualTo("hetty@example.com");
      assertThat(r.decisions()).containsExactly(new FieldDecision(CustomerField.FIRST_NAME, SyncSide.LOCAL));
      assertBothSidesConvergeOnResolved(r);
    }

    @Test
    void aClashWithExternalMasterFallbackTakesTheRemoteValueForThatFieldOnly() {
      Customer local = local().firstName("Heidi").company("Mosley Group").updatedAt(LATER).build();
      Customer remote = remote().firstName("Hetty").build();

      ConflictResolution r = ConflictStrategy.fieldLevelMerge(ConflictStrategy.externalMaster())
          .resolve(BASE, local, remote);

      assertThat(r.resolved().firstName()).isEqualTo("Hetty");
      assertThat(r.resolved().company()).isEqualTo("Mosley Group");
      assertThat(r.decisions()).containsExactly(new FieldDecision(CustomerField.FIRST_NAME, SyncSide.REMOTE));
    }

    @Test
    void aClashWithLocalMasterFallbackTakesTheLocalValueForThatFieldOnly() {
      Customer local = local().segment(Segment.ACTIVE).build();
      Customer remote = remote().segment(Segment.VIP).language("de").updatedAt(LATER).build();

      ConflictResolution r = ConflictStrategy.fieldLevelMerge(ConflictStrategy.localMaster())
          .resolve(BASE, local, remote);

      assertThat(r.resolved().segment()).isEqualTo(Segment.ACTIVE);
      assertThat(r.resolved().language()).isEqualTo("de");
      assertThat(r.decisions()).containsExactly(new FieldDecision(CustomerField.SEGMENT, SyncSide.LOCAL));
    }

    @Test
    void aClashWithManualFallbackParksTheWholeRecordListingOnlyTheClashingFields() {
      Customer local = local().firstName("Heidi").lastName("Ng").company("Mosley Group").build();
      Customer remote = remote().firstName("Hetty").lastName("Nguyen").email("hetty@example.com").build();

      ConflictResolution r = ConflictStrategy.fieldLevelMerge(ConflictStrategy.manual()).resolve(BASE, local, remote);

      assertThat(r.isManual()).isTrue();
      assertThat(r.clashingFields()).containsExactly(CustomerField.FIRST_NAME, CustomerField.LAST_NAME);
    }

    @Test
    void withManualFallbackChangesToDifferentFieldsStillMergeWithoutAPerson() {
      Customer local = local().firstName("Heidi").build();
      Customer remote = remote().email("hetty@example.com").build();

      ConflictResolution r = ConflictStrategy.fieldLevelMerge(ConflictStrategy.manual()).resolve(BASE, local, remote);

      assertThat(r.isResolved()).isTrue();
      assertThat(r.resolved().firstName()).isEqualTo("Heidi");
      assertThat(r.resolved().email()).isEqualTo("hetty@example.com");
    }

    @Test
    void withoutBaseDifferingFieldsGoToTheFallbackAndEqualFieldsStay() {
      Customer local = local().firstName("Heidi").build();
      Customer remote = remote().email("hetty@example.com").updatedAt(LATER).build();

      ConflictResolution r = ConflictStrategy.fieldLevelMerge(ConflictStrategy.lastWriteWins())
          .resolve(null, local, remote);

      assertThat(r.clashingFields()).containsExactly(CustomerField.FIRST_NAME, CustomerField.EMAIL);
      assertThat(r.decisions()).extracting(FieldDecision::winner).containsOnly(SyncSide.REMOTE);
      assertThat(r.resolved().firstName()).isEqualTo("Heather");
      assertThat(r.resolved().email()).isEqualTo("hetty@example.com");
      assertThat(r.resolved().company()).isEqualTo("Mosley-David");
    }

    @Test
    void tagAdditionsAndRemovalsFromBothSidesAllSurvive() {
      Customer local = local().tags(Set.of("lead", "newsletter", "vip")).build();
      Customer remote = remote().tags(Set.of("newsletter", "first-contact")).build();

      ConflictResolution r = ConflictStrategy.fieldLevelMerge(FAIL_IF_ASKED).resolve(BASE, local, remote);

      assertThat(r.resolved().tags()).containsExactly("first-contact", "newsletter", "vip");
      assertThat(r.clashingFields()).isEmpty();
      assertThat(r.localUpdate().valueOf(CustomerField.TAGS)).isEqualTo(Set.of("first-contact", "newsletter", "vip"));
      assertBothSidesConvergeOnResolved(r);
    }

    @Test
    void withoutBaseTagsOnOneSideOnlyAreDecidedByTheFallbackTagByTag() {
      Customer local = local().tags(Set.of("lead", "vip")).build();
      Customer remote = remote().tags(Set.of("lead", "newsletter")).build();

      ConflictResolution r = ConflictStrategy.fieldLevelMerge(ConflictStrategy.localMaster())
          .resolve(null, local, remote);

      assertThat(r.resolved().tags()).containsExactly("lead", "vip");
      assertThat(r.decisions()).containsExactly(new FieldDecision(CustomerField.TAGS, SyncSide.LOCAL));
    }

    @Test
    void customFieldsMergeByNameAndOnlyTheClashingNameGoesToTheFallback() {
      Customer local = local().customFields(Map.of("plan", "pro", "source", "web", "region", "emea")).build();
      Customer remote = remote().customFields(Map.of("plan", "team", "lifecycle", "customer")).updatedAt(LATER).build();

      ConflictResolution r = ConflictStrategy.fieldLevelMerge(ConflictStrategy.lastWriteWins())
          .resolve(BASE, local, remote);

      assertThat(r.resolved().customFields())
          .containsExactlyInAnyOrderEntriesOf(Map.of("plan", "team", "region", "emea", "lifecycle", "customer"));
      assertThat(r.decisions()).containsExactly(new FieldDecision(CustomerField.CUSTOM_FIELDS, SyncSide.REMOTE));
      assertBothSidesConvergeOnResolved(r);
    }

    @Test
    void aCustomFieldRemovedOnOneSideAndChangedOnTheOtherClashes() {
      Customer local = local().customFields(Map.of("source", "web")).build();
      Customer remote = remote().customFields(Map.of("plan", "pro", "source", "web")).build();

      ConflictResolution r = ConflictStrategy.fieldLevelMerge(ConflictStrategy.manual()).resolve(BASE, local, remote);

      assertThat(r.isManual()).isTrue();
      assertThat(r.clashingFields()).containsExactly(CustomerField.CUSTOM_FIELDS);
    }

    @Test
    void optInsMergePerChannelSoAnOptOutIsNeverLostToAnotherChannelsChange() {
      Customer local = local().contactPreferences(new ContactPreferences(
          Map.of(Channel.EMAIL, OptInStatus.OPTED_OUT))).build();
      Customer remote = remote().contactPreferences(new ContactPreferences(
          Map.of(Channel.EMAIL, OptInStatus.OPTED_IN, Channel.SMS, OptInStatus.OPTED_IN))).updatedAt(LATER).build();

      ConflictResolution r = ConflictStrategy.fieldLevelMerge(FAIL_IF_ASKED).resolve(BASE, local, remote);

      assertThat(r.resolved().contactPreferences().optIns()).containsExactlyInAnyOrderEntriesOf(
          Map.of(Channel.EMAIL, OptInStatus.OPTED_OUT, Channel.SMS, OptInStatus.OPTED_IN));
    }

    @Test
    void aPhoneChangedRemotelyArrivesLocallyWithItsExtension() {
      Customer local = local().firstName("Heidi").build();
      Customer remote = remote().phone("+12236665313").phoneExtension("4530").build();

      ConflictResolution r = ConflictStrategy.fieldLevelMerge(FAIL_IF_ASKED).resolve(BASE, local, remote);

      assertThat(r.resolved().phone()).isEqualTo("+12236665313");
      assertThat(r.resolved().phoneExtension()).isEqualTo("4530");
      assertBothSidesConvergeOnResolved(r);
    }

    @Test
    void aCustomFallbackThatChoosesItsOwnValueIsReportedAsMerged() {
      ConflictStrategy joinNames = (base, local, remote) -> ConflictResolution.resolvedTo(local, remote,
          local.toBuilder().firstName(local.firstName() + " / " + remote.firstName()).build(), List.of());
      Customer local = local().firstName("Heidi").build();
      Customer remote = remote().firstName("Hetty").build();

      ConflictResolution r = ConflictStrategy.fieldLevelMerge(joinNames).resolve(BASE, local, remote);

      assertThat(r.resolved().firstName()).isEqualTo("Heidi / Hetty");
      assertThat(r.decisions()).containsExactly(new FieldDecision(CustomerField.FIRST_NAME, SyncSide.MERGED));
    }

    @Test
    void theFallbackIsAskedOnceForAllClashingFields() {
      AtomicInteger calls = new AtomicInteger();
      ConflictStrategy counting = (base, local, remote) -> {
        calls.incrementAndGet();
        return ConflictResolution.remoteWins(base, local, remote);
      };
      Customer local = local().firstName("Heidi").lastName("Ng").build();
      Customer remote = remote().firstName("Hetty").lastName("Nguyen").build();

      ConflictStrategy.fieldLevelMerge(counting).resolve(BASE, local, remote);

      assertThat(calls).hasValue(1);
    }

    @Test
    void aFallbackAnsweringNullIsReportedByName() {
      ConflictStrategy broken = new ConflictStrategy() {
        @Override
        public ConflictResolution resolve(Customer base, Customer local, Customer remote) {
          return null;
        }

        @Override
        public String toString() {
          return "brokenStrategy";
        }
      };

      assertThatThrownBy(() -> ConflictStrategy.fieldLevelMerge(broken)
          .resolve(BASE, local().firstName("Heidi").build(), remote().firstName("Hetty").build()))
          .isInstanceOf(NullPointerException.class)
          .hasMessageContaining("brokenStrategy");
    }

    @Test
    void aNullFallbackIsRejectedAtConstruction() {
      assertThatThrownBy(() -> ConflictStrategy.fieldLevelMerge(null))
          .isInstanceOf(NullPointerException.class)
          .hasMessage("fallback");
    }
  }

  @Nested
  class CustomStrategies {
    @Test
    void aLambdaIsAStrategyAndCanDelegateToTheBuiltIns() {
      ConflictStrategy vipStaysLocal = (base, local, remote) -> local.segment() == Segment.VIP
          ? ConflictResolution.localWins(base, local, remote)
          : ConflictStrategy.lastWriteWins().resolve(base, local, remote);
      Customer local = local().segment(Segment.VIP).firstName("Heidi").build();
      Customer remote = remote().firstName("Hetty").updatedAt(LATER).build();

      ConflictResolution r = vipStaysLocal.resolve(BASE, local, remote);

      assertThat(r.resolved().firstName()).isEqualTo("Heidi");
      assertThat(r.resolved().segment()).isEqualTo(Segment.VIP);
    }

    @Test
    void resolvedToRejectsTwoDecisionsForOneField() {
      Customer local = local().build();
      List<FieldDecision> twice = List.of(
          new FieldDecision(CustomerField.EMAIL, SyncSide.LOCAL), new FieldDecision(CustomerField.EMAIL, SyncSide.REMOTE));

      assertThatThrownBy(() -> ConflictResolution.resolvedTo(local, remote().build(), local, twice))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("email");
    }

    @Test
    void resolvedToSortsDecisionsInFieldOrderAndTakesOnlyWritableValues() {
      Customer local = local().build();
      Customer values = remote().firstName("Hetty").segment(Segment.VIP).build();

      ConflictResolution r = ConflictResolution.resolvedTo(local, remote().build(), values, List.of(
          new FieldDecision(CustomerField.SEGMENT, SyncSide.REMOTE), new FieldDecision(CustomerField.FIRST_NAME, SyncSide.REMOTE)));

      assertThat(r.clashingFields()).containsExactly(CustomerField.FIRST_NAME, CustomerField.SEGMENT);
      assertThat(r.resolved().id()).isEqualTo("loc-1");
      assertThat(r.resolved().firstName()).isEqualTo("Hetty");
    }

    @Test
    void manualDropsDuplicateFieldsAndKeepsFieldOrder() {
      ConflictResolution r = ConflictResolution.manual(local().build(), remote().build(),
          List.of(CustomerField.TAGS, CustomerField.EMAIL, CustomerField.TAGS));

      assertThat(r.clashingFields()).containsExactly(CustomerField.EMAIL, CustomerField.TAGS);
    }

    @Test
    void builtInsRejectAMissingSideByName() {
      assertThatThrownBy(() -> ConflictStrategy.lastWriteWins().resolve(BASE, null, BASE))
          .isInstanceOf(NullPointerException.class).hasMessage("local");
      assertThatThrownBy(() -> ConflictStrategy.fieldLevelMerge(ConflictStrategy.manual()).resolve(BASE, BASE, null))
          .isInstanceOf(NullPointerException.class).hasMessage("remote");
    }

    @Test
    void builtInsNameThemselvesLikeTheirFactories() {
      assertThat(ConflictStrategy.fieldLevelMerge(ConflictStrategy.lastWriteWins()))
          .hasToString("fieldLevelMerge(lastWriteWins)");
      assertThat(List.of(ConflictStrategy.localMaster(), ConflictStrategy.externalMaster(), ConflictStrategy.manual()))
          .extracting(Object::toString).containsExactly("localMaster", "externalMaster", "manual");
    }

    @Test
    void toStringNamesFieldsAndWinnersButNeverValues() {
      Customer local = local().email("heidi@example.com").build();
      Customer remote = remote().email("hetty@example.com").updatedAt(LATER).build();

      String text = ConflictStrategy.lastWriteWins().resolve(BASE, local, remote).toString();

      assertThat(text).isEqualTo(
          "ConflictResolution{RESOLVED, decisions=[email=REMOTE], localUpdate=[email], remoteUpdate=[]}");
      assertThat(ConflictStrategy.manual().resolve(BASE, local, remote).toString())
          .isEqualTo("ConflictResolution{MANUAL, clashing=[email]}");
    }

    @Test
    void anUpdateBetweenTheSidesIsWhatTheLocalUpdateOfExternalMasterHolds() {
      Customer local = local().firstName("Heidi").build();
      Customer remote = remote().email("hetty@example.com").build();

      assertThat(ConflictStrategy.externalMaster().resolve(BASE, local, remote).localUpdate())
          .isEqualTo(CustomerUpdate.between(local, remote));
    }
  }
}
