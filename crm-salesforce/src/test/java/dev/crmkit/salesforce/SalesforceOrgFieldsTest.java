package dev.crmkit.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmkit.ActivityDraft;
import dev.crmkit.ActivityType;
import dev.crmkit.Channel;
import dev.crmkit.Customer;
import dev.crmkit.CustomerActivity;
import dev.crmkit.CustomerDraft;
import dev.crmkit.CustomerSystem;
import dev.crmkit.ProviderContext;
import dev.crmkit.TenantConfig;
import dev.crmkit.UpsertOutcome;
import dev.crmkit.error.ConfigurationException;
import dev.crmkit.error.FieldError;
import dev.crmkit.error.ValidationException;
import dev.crmkit.testkit.MutableClock;
import dev.crmkit.testkit.salesforce.SalesforceCounters;
import dev.crmkit.testkit.salesforce.SalesforceEmulator;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the provider writes into the org's own fields (language, last contact, audit fields, the crmkit
 * Activity fields), what it refuses when the org lacks them, and how many calls upsert costs: against the
 * Salesforce emulator, asserting the stored records and the request counters.
 */
class SalesforceOrgFieldsTest {
  private static final Instant NOW = Instant.parse("2026-01-05T10:00:00Z");
  private final MutableClock clock = new MutableClock(NOW);
  private final List<SalesforceEmulator> emulators = new ArrayList<>();

  @AfterEach
  void stop() {
    emulators.forEach(SalesforceEmulator::close);
  }

  private SalesforceEmulator org(SalesforceEmulator.Builder builder) {
    SalesforceEmulator emulator = builder.build();
    emulators.add(emulator);
    return emulator;
  }

  private CustomerSystem open(SalesforceEmulator emulator, Map<String, String> settings) {
    TenantConfig.Builder config = TenantConfig.builder("t1", "salesforce")
        .credential(SalesforceCustomerSystemProvider.ACCESS_TOKEN, emulator.accessToken())
        .setting(SalesforceCustomerSystemProvider.INSTANCE_URL, emulator.baseUrl());
    settings.forEach(config::setting);
    return new SalesforceCustomerSystemProvider().create(new ProviderContext(config.build(), clock, Map.of()));
  }

  @Test
  void languageLastContactAndCreationTimeGoToTheFieldsTheSettingsName() {
    SalesforceEmulator emulator = org(SalesforceContractTest.crmkitOrg(clock));
    CustomerSystem system = open(emulator, Map.of("languageField", "Preferred_Language__c",
        "lastContactAtField", "Last_Contact_At__c", "auditFields", "true"));
    Instant created = NOW.minus(Duration.ofDays(30));
    Instant contacted = NOW.minus(Duration.ofDays(1));

    Customer c = system.create(CustomerDraft.builder().lastName("Lovelace").language("pt_BR").lastContactAt(contacted)
        .createdAt(created).build());

    Map<String, Object> stored = emulator.record(c.id()).orElseThrow();
    assertThat(stored.get("Preferred_Language__c")).isEqualTo("pt-BR");
    assertThat(stored.get("Last_Contact_At__c")).isEqualTo(contacted);
    assertThat(stored.get("CreatedDate")).isEqualTo(created);
    assertThat(c.language()).isEqualTo("pt-BR");
    assertThat(c.lastContactAt()).isEqualTo(contacted);
    assertThat(c.createdAt()).isEqualTo(created);
  }

  @Test
  void withoutTheSettingsLanguageLastContactAndCreationTimeAreRefusedAndNothingIsWritten() {
    SalesforceEmulator emulator = org(SalesforceContractTest.crmkitOrg(clock));
    CustomerSystem system = open(emulator, Map.of());

    assertThatThrownBy(() -> system.create(CustomerDraft.builder().lastName("L").language("en")
        .lastContactAt(NOW).createdAt(NOW.minusSeconds(60)).build()))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.fieldErrors()).extracting(FieldError::field)
            .containsExactlyInAnyOrder("language", "lastContactAt", "createdAt"));
    assertThat(emulator.counters().requests(SalesforceCounters.CREATE)).isZero();
  }

  @Test
  void aLanguageFieldTheOrgLacksIsAConfigurationErrorNamingIt() {
    SalesforceEmulator emulator = org(SalesforceEmulator.builder().clock(clock));
    CustomerSystem system = open(emulator, Map.of("languageField", "Spoken_Language__c"));

    assertThatThrownBy(() -> system.findByEmail("a@example.com"))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("Spoken_Language__c");
  }

  @Test
  void upsertLooksUpEmailsAndPhonesOnceAndWritesThroughOneCollectionCallEach() {
    SalesforceEmulator emulator = org(SalesforceContractTest.crmkitOrg(clock));
    CustomerSystem system = open(emulator, Map.of());
    Customer byEmail = system.create(CustomerDraft.builder().lastName("E").email("e@example.com").build());
    Customer byPhone = system.create(CustomerDraft.builder().lastName("P").phone("+14155550100").build());
    emulator.counters().reset();

    List<UpsertOutcome> outcomes = system.upsert(List.of(
        CustomerDraft.builder().email("E@example.com").firstName("Eve").build(),
        CustomerDraft.builder().phone("(415) 555-0100").firstName("Pat").build(),
        CustomerDraft.builder().lastName("New").email("new@example.com").build(),
        CustomerDraft.builder().lastName("Tagged").tag("vip").build()));

    assertThat(outcomes).extracting(UpsertOutcome::status).containsExactly(UpsertOutcome.Status.UPDATED,
        UpsertOutcome.Status.UPDATED, UpsertOutcome.Status.CREATED, UpsertOutcome.Status.REJECTED);
    assertThat(outcomes).extracting(UpsertOutcome::matchedBy).containsExactly(UpsertOutcome.MatchedBy.EMAIL,
        UpsertOutcome.MatchedBy.PHONE, null, null);
    assertThat(outcomes.get(0).customer().id()).isEqualTo(byEmail.id());
    assertThat(outcomes.get(1).customer().id()).isEqualTo(byPhone.id());
    assertThat(emulator.record(byEmail.id()).orElseThrow().get("FirstName")).isEqualTo("Eve");
    assertThat(outcomes.get(3).error()).isInstanceOf(ValidationException.class);
    // one collection of creates and one of updates, inside composite calls
    assertThat(emulator.counters().subrequests(SalesforceCounters.COLLECTION_CREATE)).isEqualTo(1);
    assertThat(emulator.counters().subrequests(SalesforceCounters.COLLECTION_UPDATE)).isEqualTo(1);
    assertThat(emulator.counters().requests(SalesforceCounters.CREATE)).isZero();
  }

  @Test
  void aCallIsACompletedCallTaskAndAMeetingAnEventWithItsDuration() {
    SalesforceEmulator emulator = org(SalesforceContractTest.crmkitOrg(clock));
    CustomerSystem system = open(emulator, Map.of());
    Customer c = system.create(CustomerDraft.builder().lastName("Caller").build());

    CustomerActivity call = system.addActivity(c.id(), new ActivityDraft(ActivityType.CALL, Channel.PHONE, "rang back",
        NOW.minusSeconds(3600), Map.of("callId", "C1"), "call:C1"));
    CustomerActivity meeting = system.addActivity(c.id(), new ActivityDraft(ActivityType.MEETING, Channel.IN_PERSON,
        "site visit", NOW, Map.of("durationMinutes", "45"), null));

    Map<String, Object> task = emulator.record(call.id()).orElseThrow();
    assertThat(call.id()).startsWith("00T");
    assertThat(task).containsEntry("WhoId", c.id()).containsEntry("TaskSubtype", "Call").containsEntry("Status", "Completed")
        .containsEntry("IsClosed", true).containsEntry("Description", "rang back")
        .containsEntry("Crmkit_Idempotency_Key__c", "call:C1").containsEntry("Crmkit_Metadata__c", "{\"callId\":\"C1\"}")
        .containsEntry("ActivityDate", java.time.LocalDate.parse("2026-01-05"));
    Map<String, Object> event = emulator.record(meeting.id()).orElseThrow();
    assertThat(meeting.id()).startsWith("00U");
    assertThat(event).containsEntry("StartDateTime", NOW).containsEntry("EndDateTime", NOW.plus(Duration.ofMinutes(45)))
        .containsEntry("DurationInMinutes", BigDecimal.valueOf(45));
    assertThat(system.listActivities(c.id(), dev.crmkit.PageRequest.first()).items()).containsExactly(meeting, call);
    assertThat(system.findActivity("call:C1")).contains(call);
  }

  @Test
  void aMeetingDurationThatIsNotWholeMinutesIsRefusedNamingIt() {
    SalesforceEmulator emulator = org(SalesforceContractTest.crmkitOrg(clock));
    CustomerSystem system = open(emulator, Map.of());
    Customer c = system.create(CustomerDraft.builder().lastName("Caller").build());

    assertThatThrownBy(() -> system.addActivity(c.id(), new ActivityDraft(ActivityType.MEETING, null, "x", null,
        Map.of("durationMinutes", "soon"), null)))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.fieldErrors()).extracting(FieldError::field)
            .containsExactly("metadata.durationMinutes"));
  }

  @Test
  void activitiesInAnOrgWithoutTheCrmkitActivityFieldsAreAConfigurationErrorAndWriteNothing() {
    SalesforceEmulator emulator = org(SalesforceEmulator.builder().clock(clock));
    CustomerSystem system = open(emulator, Map.of());
    Customer c = system.create(CustomerDraft.builder().lastName("Caller").build());

    assertThatThrownBy(() -> system.addActivity(c.id(), ActivityDraft.of(ActivityType.CALL, Channel.PHONE, "x")))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("Task.Crmkit_Idempotency_Key__c")
        .hasMessageContaining("Event.Crmkit_Occurred_At__c");
    assertThat(emulator.counters().requests(SalesforceCounters.CREATE)).isEqualTo(1);
  }

  @Test
  void logInteractionWithoutALastContactFieldIsAConfigurationErrorBeforeAnyWrite() {
    SalesforceEmulator emulator = org(SalesforceContractTest.crmkitOrg(clock));
    CustomerSystem system = open(emulator, Map.of());
    Customer c = system.create(CustomerDraft.builder().lastName("Caller").build());
    emulator.counters().reset();

    assertThatThrownBy(() -> system.logInteraction(c.id(), ActivityDraft.of(ActivityType.CALL, Channel.PHONE, "x")))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("lastContactAtField");
    assertThat(emulator.counters().totalRequests()).isZero();
  }
}
