package dev.crmkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmkit.error.FieldError;
import dev.crmkit.error.ValidationException;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CustomerDraftTest {

  static ValidationException rejection(CustomerDraft.Builder builder) {
    try {
      builder.build();
    } catch (ValidationException e) {
      return e;
    }
    throw new AssertionError("expected a ValidationException");
  }

  @Test
  void buildsWithTrimmedTextNormalizedEmailAndThePhoneAsTyped() {
    CustomerDraft d = CustomerDraft.builder()
        .firstName("  Heather ").lastName("Callahan").email(" URangel@Espinoza-Francis.NET ")
        .phone(" 274.188.8773x41185 ").company(" Horn, Shepard and Watson ").language("pt_br")
        .build();

    assertThat(d.firstName()).isEqualTo("Heather");
    assertThat(d.email()).isEqualTo("urangel@espinoza-francis.net");
    assertThat(d.phone()).isEqualTo("274.188.8773x41185");
    assertThat(d.company()).isEqualTo("Horn, Shepard and Watson");
    assertThat(d.language()).isEqualTo("pt-BR");
  }

  @Test
  void blankStringsCountAsAbsent() {
    CustomerDraft d = CustomerDraft.builder().firstName("   ").lastName("").email(" ").company("Mays Inc").build();

    assertThat(d.firstName()).isNull();
    assertThat(d.lastName()).isNull();
    assertThat(d.email()).isNull();
  }

  @Test
  void anyOneIdentifyingFieldIsEnough() {
    assertThat(CustomerDraft.builder().phone("8252703789").build().phone()).isEqualTo("8252703789");
    assertThat(CustomerDraft.builder().company("Mosley-David").build().company()).isEqualTo("Mosley-David");
    assertThat(CustomerDraft.builder().lastName("Hayes").build().lastName()).isEqualTo("Hayes");
  }

  @Test
  void aDraftWithoutAnyIdentifyingFieldIsRejected() {
    ValidationException e = rejection(CustomerDraft.builder()
        .firstName("  ").segment(Segment.VIP).tag("vip").customField("plan", "pro"));

    assertThat(e.fieldErrors()).hasSize(1);
    assertThat(e.getMessage()).contains("at least one of firstName, lastName, email, phone or company");
  }

  @Test
  void aMalformedEmailIsRejectedNamingTheFieldAndValue() {
    ValidationException e = rejection(CustomerDraft.builder().firstName("Cody").email("ariel63.hunt.com"));

    assertThat(e.fieldErrors()).containsExactly(
        new FieldError("email", "ariel63.hunt.com", "must contain exactly one '@'"));
  }

  @Test
  void everyBadFieldIsListedAtOnce() {
    ValidationException e = rejection(CustomerDraft.builder()
        .firstName("x".repeat(300)).email("bad@").language("not a tag").tag(" ")
        .customField("1plan", "pro").customField("source", null));

    assertThat(e.fieldErrors()).extracting(FieldError::field)
        .containsExactlyInAnyOrder("firstName", "email", "language", "tags", "customFields", "customFields.source");
    assertThat(e.fieldErrors()).filteredOn(f -> f.field().equals("firstName"))
        .singleElement().extracting(FieldError::value).asString().hasSize(80).endsWith("...");
  }

  @Test
  void aNullTagIsAFieldErrorNotANullPointer() {
    Set<String> tags = new HashSet<>();
    tags.add(null);
    tags.add("lead");

    assertThat(rejection(CustomerDraft.builder().firstName("Jaime").tags(tags)).fieldErrors())
        .containsExactly(new FieldError("tags", null, "a tag must not be blank"));
    assertThat(rejection(CustomerDraft.builder().firstName("Jaime").tag(null)).fieldErrors())
        .extracting(FieldError::field).containsExactly("tags");
  }

  @Test
  void aNullCustomFieldNameIsAFieldErrorNotANullPointer() {
    Map<String, String> fields = new HashMap<>();
    fields.put(null, "web");

    assertThat(rejection(CustomerDraft.builder().firstName("Jaime").customFields(fields)).fieldErrors())
        .extracting(FieldError::field).containsExactly("customFields");
    assertThat(rejection(CustomerDraft.builder().firstName("Jaime").customField(null, "web")).fieldErrors())
        .extracting(FieldError::field).containsExactly("customFields");
  }

  @Test
  void tagsAndCustomFieldsAreTrimmedSortedAndUnmodifiable() {
    CustomerDraft d = CustomerDraft.builder().company("Wells-Burch")
        .tags(Set.of("referral", " lead ")).tag("auto-created")
        .customField("source", "Referral").customField("dealStage", "On Hold")
        .build();

    assertThat(d.tags()).containsExactly("auto-created", "lead", "referral");
    assertThat(d.customFields().keySet()).containsExactly("dealStage", "source");
    assertThatThrownBy(() -> d.tags().add("x")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> d.customFields().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void replacingTagsAndCustomFieldsDropsTheEarlierOnes() {
    CustomerDraft d = CustomerDraft.builder().company("Wells-Burch")
        .tag("old").tags(Set.of("new")).customField("a", "1").customFields(null)
        .build();

    assertThat(d.tags()).containsExactly("new");
    assertThat(d.customFields()).isEmpty();
  }

  @Test
  void anEmptyAddressIsNoAddress() {
    CustomerDraft d = CustomerDraft.builder().company("Irwin-Oneal")
        .address(new Address(null, null, null, null, null, null)).build();

    assertThat(d.address()).isNull();
  }

  @Test
  void optInsBuildOnTopOfClearedPreferences() {
    CustomerDraft d = CustomerDraft.builder().firstName("Briana")
        .contactPreferences(null).optIn(Channel.WHATSAPP, OptInStatus.OPTED_IN)
        .build();

    assertThat(d.contactPreferences().isOptedIn(Channel.WHATSAPP)).isTrue();
    assertThat(CustomerDraft.builder().firstName("Briana").contactPreferences(null).build().contactPreferences())
        .isEqualTo(ContactPreferences.UNKNOWN);
  }

  @Test
  void toBuilderRebuildsAnEqualDraft() {
    CustomerDraft d = CustomerDraft.builder()
        .firstName("Leonard").lastName("Rogers").email("marciaburns@miles-brennan.com").phone("409.411.1126x05090")
        .company("Wells-Burch").preferredChannel(Channel.SMS).language("en").segment(Segment.ACTIVE)
        .tag("referral").address(Address.ofCity("East Jordan", "NP"))
        .optIn(Channel.EMAIL, OptInStatus.OPTED_OUT).customField("dealStage", "Re-engagement")
        .createdAt(Instant.parse("2020-08-26T00:00:00Z")).lastContactAt(Instant.parse("2026-01-02T03:04:05Z"))
        .build();

    assertThat(d.toBuilder().build()).isEqualTo(d);
  }

  @Test
  void theRecordDefaultsItsCollections() {
    CustomerDraft d = new CustomerDraft("Ada", null, null, null, null, null, null, null, null, null, null, null,
        null, null);

    assertThat(d.tags()).isEmpty();
    assertThat(d.customFields()).isEmpty();
    assertThat(d.contactPreferences()).isEqualTo(ContactPreferences.UNKNOWN);
  }

  @Test
  void applyingADraftKeepsStoredValuesItLeavesOutAndAddsTagsFieldsAndOptIns() {
    Instant created = Instant.parse("2026-01-01T00:00:00Z");
    Customer stored = Customer.builder().id("c1").tenantId("t").firstName("Ada").lastName("Lovelace")
        .email("ada@example.org").company("Engines").tags(Set.of("vip")).customFields(Map.of("color", "green"))
        .contactPreferences(ContactPreferences.UNKNOWN.with(Channel.SMS, OptInStatus.OPTED_OUT))
        .createdAt(created).updatedAt(created).build();
    CustomerDraft draft = CustomerDraft.builder().lastName("King").company("Analytical Engines")
        .tag("source:import").customField("size", "L").optIn(Channel.EMAIL, OptInStatus.OPTED_IN).build();

    Customer merged = draft.applyTo(stored, null, dev.crmkit.identity.PhoneNumbers.forRegion("US").normalize("415-555-0100 x7"));

    assertThat(merged.firstName()).isEqualTo("Ada");
    assertThat(merged.lastName()).isEqualTo("King");
    assertThat(merged.email()).isEqualTo("ada@example.org");
    assertThat(merged.phone()).isEqualTo("+14155550100");
    assertThat(merged.phoneExtension()).isEqualTo("7");
    assertThat(merged.company()).isEqualTo("Analytical Engines");
    assertThat(merged.tags()).containsExactly("source:import", "vip");
    assertThat(merged.customFields()).containsEntry("color", "green").containsEntry("size", "L");
    assertThat(merged.contactPreferences().statusOf(Channel.SMS)).isEqualTo(OptInStatus.OPTED_OUT);
    assertThat(merged.contactPreferences().statusOf(Channel.EMAIL)).isEqualTo(OptInStatus.OPTED_IN);
    assertThat(merged.updatedAt()).isEqualTo(created);
  }

  @Test
  void applyingADraftThatSaysNothingNewLeavesTheCustomerEqual() {
    Instant created = Instant.parse("2026-01-01T00:00:00Z");
    Customer stored = Customer.builder().id("c1").tenantId("t").firstName("Ada").tags(Set.of("vip"))
        .createdAt(created).updatedAt(created).build();

    assertThat(CustomerDraft.builder().firstName("Ada").tag("vip").build().applyTo(stored, null, null)).isEqualTo(stored);
  }
}
