package dev.crmkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmkit.error.FieldError;
import dev.crmkit.error.ValidationException;
import dev.crmkit.identity.PhoneNumbers;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CustomerUpdateTest {
  static final PhoneNumbers US = PhoneNumbers.forRegion("US");
  static final Instant CREATED = Instant.parse("2025-11-20T08:00:00Z");
  static final Instant BEFORE = Instant.parse("2026-03-01T10:00:00Z");
  static final Instant NOW = Instant.parse("2026-03-02T17:30:00Z");

  static final Customer CUSTOMER = Customer.builder()
      .id("c-1").tenantId("acme")
      .firstName("Kristina").lastName("Ferrell").email("xreese@hall-donovan.com")
      .phone("+19320621802").company("Horn, Shepard and Watson").language("en").segment(Segment.STANDARD)
      .tags(Set.of("lead")).customFields(Map.of("plan", "basic"))
      .address(Address.ofCity("Aaronville", "AD"))
      .createdAt(CREATED).updatedAt(BEFORE)
      .build();

  @Test
  void settersSetAndNullClearsAndUntouchedFieldsStayOut() {
    CustomerUpdate u = CustomerUpdate.builder().firstName(" Kris ").company(null).build();

    assertThat(u.fields()).containsExactlyInAnyOrder(CustomerField.FIRST_NAME, CustomerField.COMPANY);
    assertThat(u.valueOf(CustomerField.FIRST_NAME)).isEqualTo("Kris");
    assertThat(u.touches(CustomerField.COMPANY)).isTrue();
    assertThat(u.valueOf(CustomerField.COMPANY)).isNull();
    assertThat(u.touches(CustomerField.EMAIL)).isFalse();
    assertThat(u.isEmpty()).isFalse();
    assertThat(CustomerUpdate.builder().build().isEmpty()).isTrue();
  }

  @Test
  void blankTextClearsLikeNull() {
    CustomerUpdate u = CustomerUpdate.builder().lastName("   ").email(" ").build();

    assertThat(u.touches(CustomerField.LAST_NAME)).isTrue();
    assertThat(u.valueOf(CustomerField.LAST_NAME)).isNull();
    assertThat(u.applyTo(CUSTOMER, NOW, US).email()).isNull();
  }

  @Test
  void clearingCollectionsAndSegmentGivesTheirEmptyValues() {
    CustomerUpdate u = CustomerUpdate.builder()
        .segment(null).tags(null).customFields(null).contactPreferences(null)
        .address(new Address(null, null, null, null, null, null))
        .build();

    Customer c = u.applyTo(CUSTOMER, NOW, US);

    assertThat(c.segment()).isEqualTo(Segment.PROSPECT);
    assertThat(c.tags()).isEmpty();
    assertThat(c.customFields()).isEmpty();
    assertThat(c.contactPreferences()).isEqualTo(ContactPreferences.UNKNOWN);
    assertThat(c.address()).isNull();
  }

  @Test
  void valuesAreValidatedAndNormalizedWhenBuilt() {
    CustomerUpdate u = CustomerUpdate.builder()
        .email("MAILTO:Xreese@Hall-Donovan.COM").language("pt_br").tags(Set.of(" vip ")).build();

    assertThat(u.valueOf(CustomerField.EMAIL)).isEqualTo("xreese@hall-donovan.com");
    assertThat(u.valueOf(CustomerField.LANGUAGE)).isEqualTo("pt-BR");
    assertThat(u.valueOf(CustomerField.TAGS)).isEqualTo(Set.of("vip"));
  }

  @Test
  void aMalformedEmailIsRejectedNamingTheFieldAndValue() {
    assertThatThrownBy(() -> CustomerUpdate.builder().email("xreese@hall").build())
        .isInstanceOf(ValidationException.class)
        .satisfies(e -> assertThat(((ValidationException) e).fieldErrors()).containsExactly(
            new FieldError("email", "xreese@hall", "domain 'hall' is not a valid host name")));
  }

  @Test
  void everyBadValueIsListedAtOnce() {
    Set<String> tags = new HashSet<>();
    tags.add(null);
    tags.add("t".repeat(101));

    assertThatThrownBy(() -> CustomerUpdate.builder()
        .lastName("y".repeat(256)).language("not a tag").tags(tags).customFields(Map.of("9lives", "x"))
        .build())
        .isInstanceOf(ValidationException.class)
        .satisfies(e -> assertThat(((ValidationException) e).fieldErrors()).extracting(FieldError::field)
            .containsExactlyInAnyOrder("lastName", "language", "tags", "tags", "customFields"));
  }

  @Test
  void applyToWritesTheChangesAndStampsUpdatedAt() {
    CustomerUpdate u = CustomerUpdate.builder()
        .firstName("Kris").segment(Segment.VIP).tags(Set.of("lead", "vip")).lastContactAt(NOW).build();

    Customer c = u.applyTo(CUSTOMER, NOW, US);

    assertThat(c.firstName()).isEqualTo("Kris");
    assertThat(c.segment()).isEqualTo(Segment.VIP);
    assertThat(c.tags()).containsExactly("lead", "vip");
    assertThat(c.lastContactAt()).isEqualTo(NOW);
    assertThat(c.updatedAt()).isEqualTo(NOW);
    assertThat(c.lastName()).isEqualTo("Ferrell");
    assertThat(c.id()).isEqualTo("c-1");
    assertThat(c.createdAt()).isEqualTo(CREATED);
  }

  @Test
  void applyToReturnsTheSameRecordWhenNothingChanges() {
    CustomerUpdate u = CustomerUpdate.builder().firstName("Kristina").company("Horn, Shepard and Watson").build();

    assertThat(u.applyTo(CUSTOMER, NOW, US)).isSameAs(CUSTOMER);
  }

  @Test
  void applyToNormalizesThePhoneAndKeepsTheExtensionApart() {
    Customer c = CustomerUpdate.builder().phone("(209)172-7124x3651").build().applyTo(CUSTOMER, NOW, US);

    assertThat(c.phone()).isEqualTo("+12091727124");
    assertThat(c.phoneExtension()).isEqualTo("3651");
  }

  @Test
  void theSamePhoneInAnotherFormatChangesNothing() {
    assertThat(CustomerUpdate.builder().phone("932.062.1802").build().applyTo(CUSTOMER, NOW, US)).isSameAs(CUSTOMER);
  }

  @Test
  void anUnparseablePhoneIsStoredAsTyped() {
    Customer c = CustomerUpdate.builder().phone("011-158-8126x19444").build().applyTo(CUSTOMER, NOW, US);

    assertThat(c.phone()).isEqualTo("011-158-8126");
    assertThat(c.phoneExtension()).isEqualTo("19444");
  }

  @Test
  void clearingThePhoneClearsItsExtension() {
    Customer withExtension = CUSTOMER.toBuilder().phoneExtension("12").build();

    Customer c = CustomerUpdate.builder().phone(null).build().applyTo(withExtension, NOW, US);

    assertThat(c.phone()).isNull();
    assertThat(c.phoneExtension()).isNull();
  }

  @Test
  void aPhoneWithoutDigitsIsRejectedOnApplyNamingPhone() {
    CustomerUpdate u = CustomerUpdate.builder().phone("call me").build();

    assertThatThrownBy(() -> u.applyTo(CUSTOMER, NOW, US))
        .isInstanceOf(ValidationException.class)
        .satisfies(e -> assertThat(((ValidationException) e).fieldErrors())
            .containsExactly(new FieldError("phone", "call me", "contains no digits")));
  }

  @Test
  void betweenTouchesExactlyTheDifferingWritableFields() {
    Customer target = CUSTOMER.toBuilder()
        .id("other").updatedAt(NOW).stats(CustomerStats.NONE.withOrder(Money.of("42.50", "USD"), NOW))
        .email("kris@ferrell.dev").company(null).tags(Set.of("lead", "vip"))
        .build();

    CustomerUpdate u = CustomerUpdate.between(CUSTOMER, target);

    assertThat(u.fields()).containsExactlyInAnyOrder(CustomerField.EMAIL, CustomerField.COMPANY, CustomerField.TAGS);
    assertThat(u.valueOf(CustomerField.COMPANY)).isNull();
    assertThat(CustomerUpdate.between(CUSTOMER, CUSTOMER).isEmpty()).isTrue();
  }

  @Test
  void applyingBetweenMakesEveryWritableFieldEqual() {
    Customer target = CUSTOMER.toBuilder()
        .firstName(null).email("kris@ferrell.dev").phone("011.550.2152").phoneExtension("515")
        .preferredChannel(Channel.WHATSAPP).language("de").segment(Segment.VIP).tags(Set.of())
        .address(Address.ofCity("East Jordan", "NP"))
        .contactPreferences(new ContactPreferences(Map.of(Channel.SMS, OptInStatus.OPTED_OUT)))
        .customFields(Map.of("plan", "pro", "source", "web")).lastContactAt(NOW)
        .build();

    Customer c = CustomerUpdate.between(CUSTOMER, target).applyTo(CUSTOMER, NOW, US);

    for (CustomerField f : CustomerField.values()) {
      assertThat(c.get(f)).as(f.apiName()).isEqualTo(target.get(f));
    }
  }

  @Test
  void aParsedPhoneWithExtensionSurvivesBetweenAndApply() {
    Customer target = CUSTOMER.toBuilder().phone("+12236665313").phoneExtension("4530").build();

    CustomerUpdate u = CustomerUpdate.between(CUSTOMER, target);
    Customer c = u.applyTo(CUSTOMER, NOW, US);

    assertThat(u.valueOf(CustomerField.PHONE)).isEqualTo("+12236665313 x4530");
    assertThat(c.phone()).isEqualTo("+12236665313");
    assertThat(c.phoneExtension()).isEqualTo("4530");
  }

  @Test
  void withoutDropsOneField() {
    CustomerUpdate u = CustomerUpdate.builder().firstName("Kris").email(null).build();

    CustomerUpdate rest = u.without(CustomerField.EMAIL);

    assertThat(rest.fields()).containsExactly(CustomerField.FIRST_NAME);
    assertThat(u.fields()).hasSize(2);
  }

  @Test
  void updatesWithTheSameChangesAreEqual() {
    CustomerUpdate a = CustomerUpdate.builder().firstName("Kris").company(null).build();
    CustomerUpdate b = CustomerUpdate.builder().company(null).firstName("Kris").build();

    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a).isNotEqualTo(CustomerUpdate.builder().firstName("Kris").build());
    assertThat(a).hasToString("CustomerUpdate{firstName=Kris, company=<clear>}");
  }

  @Test
  void fieldsCannotBeModifiedFromOutside() {
    CustomerUpdate u = CustomerUpdate.builder().firstName("Kris").build();

    assertThatThrownBy(() -> u.fields().remove(CustomerField.FIRST_NAME))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void upsertOfSetsTheDraftsValuesAndAddsTagsAndCustomFieldsLeavingWhatTheDraftLacks() {
    CustomerDraft draft = CustomerDraft.builder().firstName("Kris").phone("+1 932 062 1802").tag("vip")
        .customFields(Map.of("plan", "gold", "source", "sms")).optIn(Channel.SMS, OptInStatus.OPTED_IN).build();

    CustomerUpdate u = CustomerUpdate.upsertOf(CUSTOMER, draft);

    assertThat(u.fields()).containsExactlyInAnyOrder(CustomerField.FIRST_NAME, CustomerField.PHONE,
        CustomerField.TAGS, CustomerField.CUSTOM_FIELDS, CustomerField.CONTACT_PREFERENCES);
    assertThat(u.valueOf(CustomerField.FIRST_NAME)).isEqualTo("Kris");
    assertThat(u.valueOf(CustomerField.TAGS)).isEqualTo(Set.of("lead", "vip"));
    assertThat(u.valueOf(CustomerField.CUSTOM_FIELDS)).isEqualTo(Map.of("plan", "gold", "source", "sms"));
    assertThat(u.touches(CustomerField.COMPANY)).isFalse();
    assertThat(u.touches(CustomerField.ADDRESS)).isFalse();
  }

  @Test
  void upsertOfADraftHoldingOnlyAnEmailSetsOnlyTheEmailAndNullsAreRefused() {
    assertThat(CustomerUpdate.upsertOf(CUSTOMER, CustomerDraft.builder().email("xreese@hall-donovan.com").build())
        .fields()).containsExactly(CustomerField.EMAIL);
    assertThatThrownBy(() -> CustomerUpdate.upsertOf(null, CustomerDraft.builder().email("a@b.co").build()))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("current");
    assertThatThrownBy(() -> CustomerUpdate.upsertOf(CUSTOMER, null))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("draft");
  }
}
