package dev.crmkit.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crmkit.Capability;
import dev.crmkit.Customer;
import dev.crmkit.CustomerDraft;
import dev.crmkit.CustomerSystem;
import dev.crmkit.Deal;
import dev.crmkit.DealDraft;
import dev.crmkit.DealStage;
import dev.crmkit.DealStatus;
import dev.crmkit.DealUpdate;
import dev.crmkit.Money;
import dev.crmkit.PageRequest;
import dev.crmkit.Pipeline;
import dev.crmkit.ProviderContext;
import dev.crmkit.TenantConfig;
import dev.crmkit.error.ConfigurationException;
import dev.crmkit.error.ConflictException;
import dev.crmkit.error.FieldError;
import dev.crmkit.error.NotFoundException;
import dev.crmkit.error.UnsupportedCapabilityException;
import dev.crmkit.error.ValidationException;
import dev.crmkit.testkit.MutableClock;
import dev.crmkit.testkit.salesforce.SalesforceCounters;
import dev.crmkit.testkit.salesforce.SalesforceEmulator;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Deals as Opportunities against the Salesforce emulator; each test checks what the org holds afterwards. */
class SalesforceDealsTest {
  private static final String DESCRIBE = "GET /services/data/vXX.X/sobjects/{sObject}/describe";
  private static final String OWNER = "005000000000002AAA";
  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
  private SalesforceEmulator emulator;

  @AfterEach
  void stop() {
    if (emulator != null) {
      emulator.close();
    }
  }

  private CustomerSystem open(boolean multiCurrency, Map<String, String> settings) {
    stop();
    emulator = SalesforceEmulator.builder().clock(clock).multiCurrency(multiCurrency).build();
    TenantConfig.Builder config = TenantConfig.builder("t1", "salesforce")
        .credential(SalesforceCustomerSystemProvider.ACCESS_TOKEN, emulator.accessToken())
        .setting(SalesforceCustomerSystemProvider.INSTANCE_URL, emulator.baseUrl());
    settings.forEach(config::setting);
    return new SalesforceCustomerSystemProvider().create(new ProviderContext(config.build(), clock, Map.of()));
  }

  private CustomerSystem open() {
    return open(true, Map.of(SalesforceCustomerSystemProvider.DEAL_CUSTOM_FIELD_PREFIX + "source", "Deal_Source__c"));
  }

  private static Customer customer(CustomerSystem system, String company) {
    return system.create(CustomerDraft.builder().firstName("Ada").lastName("Lovelace").company(company).build());
  }

  private JsonNode soql(String query) throws Exception {
    HttpUrl url = HttpUrl.get(emulator.baseUrl() + "/services/data/v59.0/query").newBuilder()
        .addQueryParameter("q", query).build();
    Request request = new Request.Builder().url(url).header("Authorization", "Bearer " + emulator.accessToken()).build();
    try (Response response = new OkHttpClient().newCall(request).execute()) {
      return new ObjectMapper().readTree(response.body().string()).get("records");
    }
  }

  private static void assertValidation(ThrowingCallable call, String field, String messagePart) {
    assertThatThrownBy(call).isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.fieldErrors())
        .anySatisfy(f -> {
          assertThat(f.field()).isEqualTo(field);
          assertThat(f.message()).contains(messagePart);
        }));
  }

  @Test
  void aDealIsOneOpportunityWithAPrimaryContactRoleSentInOneCompositeRequest() throws Exception {
    CustomerSystem system = open(true, Map.of(SalesforceCustomerSystemProvider.DEAL_CONTACT_ROLE, "Decision Maker"));
    Customer ada = customer(system, "Analytical Engines");
    long composites = emulator.counters().requests(SalesforceCounters.COMPOSITE);
    long creates = emulator.counters().requests(SalesforceCounters.CREATE);

    Deal deal = system.createDeal(ada.id(), DealDraft.builder("Engine").amount(Money.of("1200.50", "EUR"))
        .expectedCloseDate(LocalDate.of(2026, 6, 30)).owner(OWNER).build());

    assertThat(emulator.counters().requests(SalesforceCounters.COMPOSITE)).isEqualTo(composites + 1);
    assertThat(emulator.counters().requests(SalesforceCounters.CREATE)).isEqualTo(creates);
    Map<String, Object> opportunity = emulator.record(deal.id()).orElseThrow();
    Map<String, Object> contact = emulator.record(ada.id()).orElseThrow();
    assertThat(opportunity).containsEntry("Name", "Engine").containsEntry("StageName", "Prospecting")
        .containsEntry("CloseDate", LocalDate.of(2026, 6, 30)).containsEntry("CurrencyIsoCode", "EUR")
        .containsEntry("OwnerId", OWNER).containsEntry("AccountId", contact.get("AccountId"));
    assertThat((BigDecimal) opportunity.get("Amount")).isEqualByComparingTo("1200.5");
    JsonNode roles = soql("SELECT ContactId, IsPrimary, Role FROM OpportunityContactRole WHERE OpportunityId = '"
        + deal.id() + "'");
    assertThat(roles).hasSize(1);
    assertThat(roles.get(0).get("ContactId").asText()).isEqualTo(ada.id());
    assertThat(roles.get(0).get("IsPrimary").asBoolean()).isTrue();
    assertThat(roles.get(0).get("Role").asText()).isEqualTo("Decision Maker");
    assertThat(deal.customerId()).isEqualTo(ada.id());
    assertThat(deal.pipelineId()).isEqualTo("default");
    assertThat(deal.owner()).isEqualTo(OWNER);
    assertThat(deal.amount()).isEqualTo(new Money(new BigDecimal("1200.5"), Money.currency("EUR")));
  }

  @Test
  void thePipelineIsTheActiveStagePicklistWithStatusesFromOpportunityStageCachedForAMinute() {
    CustomerSystem system = open();
    long before = emulator.counters().requests(DESCRIBE);

    List<Pipeline> pipelines = system.pipelines();
    system.pipelines();
    long afterTwoReads = emulator.counters().requests(DESCRIBE);
    clock.advance(Duration.ofSeconds(61));
    system.pipelines();

    assertThat(pipelines).hasSize(1);
    Pipeline p = pipelines.get(0);
    assertThat(p.id()).isEqualTo("default");
    assertThat(p.stages()).hasSize(10);
    assertThat(p.stages().get(0)).isEqualTo(DealStage.open("Prospecting", "Prospecting"));
    assertThat(p.stages()).contains(new DealStage("Closed Won", "Closed Won", DealStatus.WON),
        new DealStage("Closed Lost", "Closed Lost", DealStatus.LOST));
    assertThat(p.stages().stream().filter(s -> s.status() == DealStatus.OPEN)).hasSize(8);
    assertThat(afterTwoReads - before).isEqualTo(1);
    assertThat(emulator.counters().requests(DESCRIBE)).isEqualTo(afterTwoReads + 1);
  }

  @Test
  void aDealWithoutACloseDateIsStoredWithTheLatestSalesforceDateAndReadsBackWithout() {
    CustomerSystem system = open();
    Deal deal = system.createDeal(customer(system, null).id(), DealDraft.builder("Someday").build());

    assertThat(emulator.record(deal.id()).orElseThrow()).containsEntry("CloseDate", LocalDate.of(4000, 12, 31));
    assertThat(deal.expectedCloseDate()).isNull();
    assertThat(emulator.record(deal.id()).orElseThrow().get("AccountId")).isNull();
  }

  @Test
  void datesSalesforceCannotHoldTitlesTooLongAndAmountsWithThreeDecimalsAreRejectedBeforeAnyWrite() {
    CustomerSystem system = open();
    Customer ada = customer(system, null);
    long composites = emulator.counters().requests(SalesforceCounters.COMPOSITE);

    assertValidation(() -> system.createDeal(ada.id(), DealDraft.builder("Old").expectedCloseDate(LocalDate.of(1699, 12, 31))
        .build()), "expectedCloseDate", "1700-01-01");
    assertValidation(() -> system.createDeal(ada.id(), DealDraft.builder("Late").expectedCloseDate(LocalDate.of(4000, 12, 31))
        .build()), "expectedCloseDate", "no close date");
    assertValidation(() -> system.createDeal(ada.id(), DealDraft.builder("x".repeat(121)).build()), "title", "120");
    assertValidation(() -> system.createDeal(ada.id(), DealDraft.builder("Fine").amount(Money.of("1.005", "USD")).build()),
        "amount", "2 digits");
    assertThat(emulator.counters().requests(SalesforceCounters.COMPOSITE)).isEqualTo(composites);
    assertThat(system.listDeals(ada.id(), PageRequest.first()).items()).isEmpty();
  }

  @Test
  void aSingleCurrencyOrgTakesOnlyTheConfiguredCurrencyAndSendsNoCurrencyIsoCode() {
    CustomerSystem system = open(false, Map.of(SalesforceCustomerSystemProvider.CURRENCY, "GBP"));
    Customer ada = customer(system, null);

    assertValidation(() -> system.createDeal(ada.id(), DealDraft.builder("Euro").amount(Money.of("5", "EUR")).build()),
        "amount", "one currency, GBP");
    Deal pounds = system.createDeal(ada.id(), DealDraft.builder("Pounds").amount(Money.of("5.25", "GBP")).build());

    assertThat(pounds.amount().currency().getCurrencyCode()).isEqualTo("GBP");
    assertThat(emulator.record(pounds.id()).orElseThrow()).doesNotContainKey("CurrencyIsoCode");
  }

  @Test
  void aMultiCurrencyOrgRefusesACurrencyItHasNotActivated() {
    CustomerSystem system = open();
    assertValidation(() -> system.createDeal(customer(system, null).id(),
        DealDraft.builder("Krona").amount(Money.of("5", "SEK")).build()), "amount", "active: USD, EUR");
  }

  @Test
  void anOwnerIsAUserIdAndClearingItHandsTheOpportunityBackToItsCreator() {
    CustomerSystem system = open();
    Customer ada = customer(system, null);
    assertValidation(() -> system.createDeal(ada.id(), DealDraft.builder("Owned").owner("agent-7").build()),
        "owner", "User id");
    Deal deal = system.createDeal(ada.id(), DealDraft.builder("Owned").owner(OWNER).build());
    String creator = (String) emulator.record(deal.id()).orElseThrow().get("CreatedById");

    Deal cleared = system.updateDeal(deal.id(), DealUpdate.builder().owner(null).build());

    assertThat(emulator.record(deal.id()).orElseThrow()).containsEntry("OwnerId", creator);
    assertThat(cleared.owner()).isNull();
  }

  @Test
  void anUnknownStageNamesStageIdAndTheValidStages() {
    CustomerSystem system = open();
    Customer ada = customer(system, null);
    assertValidation(() -> system.createDeal(ada.id(), DealDraft.builder("Nowhere").stageId("Dreaming").build()),
        "stageId", "Prospecting");
    assertValidation(() -> system.createDeal(ada.id(), DealDraft.builder("Nowhere").pipelineId("sales").build()),
        "pipelineId", "default");
  }

  @Test
  void movingTheStageOrSettingTheStatusFollowsSalesforcesClosedAndWonFlags() {
    CustomerSystem system = open();
    Deal deal = system.createDeal(customer(system, null).id(), DealDraft.builder("Closing").build());
    clock.advance(Duration.ofMinutes(1));

    Deal won = system.updateDeal(deal.id(), DealUpdate.builder().stageId("Closed Won").build());
    Deal lost = system.updateDeal(deal.id(), DealUpdate.builder().status(DealStatus.LOST).build());

    assertThat(won.status()).isEqualTo(DealStatus.WON);
    assertThat(won.updatedAt()).isEqualTo(Instant.parse("2026-03-01T10:01:00Z"));
    assertThat(lost.stageId()).isEqualTo("Closed Lost");
    assertThat(emulator.record(deal.id()).orElseThrow()).containsEntry("IsClosed", true).containsEntry("IsWon", false);
  }

  @Test
  void aKeyedDealIsCreatedOnceAndTheKeyIsStoredOnTheOpportunity() {
    CustomerSystem system = open();
    Customer ada = customer(system, null);
    Deal first = system.createDeal(ada.id(), DealDraft.builder("First").idempotencyKey("evt:9:deal").build());
    long composites = emulator.counters().requests(SalesforceCounters.COMPOSITE);

    Deal again = system.createDeal(ada.id(), DealDraft.builder("Second").idempotencyKey("evt:9:deal").build());

    assertThat(again.id()).isEqualTo(first.id());
    assertThat(again.title()).isEqualTo("First");
    assertThat(emulator.counters().requests(SalesforceCounters.COMPOSITE)).isEqualTo(composites);
    assertThat(emulator.record(first.id()).orElseThrow()).containsEntry("Crmkit_Idempotency_Key__c", "evt:9:deal");
  }

  @Test
  void aKeyHeldByADeletedOpportunityIsAConflictNamingTheKeyAndTheHolder() {
    CustomerSystem system = open();
    Customer ada = customer(system, null);
    Deal first = system.createDeal(ada.id(), DealDraft.builder("First").idempotencyKey("evt:gone").build());
    emulator.delete(first.id());

    assertThatThrownBy(() -> system.createDeal(ada.id(), DealDraft.builder("Again").idempotencyKey("evt:gone").build()))
        .isInstanceOfSatisfying(ConflictException.class, e -> {
          assertThat(e.field()).isEqualTo("idempotencyKey");
          assertThat(e.existingId()).isEqualTo(first.id());
        });
    assertThat(system.getDeal(first.id())).isEmpty();
  }

  @Test
  void aDealForAMergedContactGoesToTheSurvivorAndADeletedContactHasNone() {
    CustomerSystem system = open();
    Customer survivor = customer(system, null);
    Customer merged = system.create(CustomerDraft.builder().lastName("Byron").build());
    Customer deleted = system.create(CustomerDraft.builder().lastName("Gone").build());
    emulator.merge(survivor.id(), merged.id());
    emulator.delete(deleted.id());

    Deal deal = system.createDeal(merged.id(), DealDraft.builder("Moved").build());

    assertThat(deal.customerId()).isEqualTo(survivor.id());
    assertThat(system.listDeals(merged.id(), PageRequest.first()).items()).extracting(Deal::id).containsExactly(deal.id());
    assertThatThrownBy(() -> system.createDeal(deleted.id(), DealDraft.builder("No").build()))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> system.listDeals(deleted.id(), PageRequest.first())).isInstanceOf(NotFoundException.class);
  }

  @Test
  void customFieldsGoToTheMappedOpportunityFieldAndUnmappedOnesAreRejected() {
    CustomerSystem system = open();
    Customer ada = customer(system, null);
    Deal deal = system.createDeal(ada.id(), DealDraft.builder("Fair").customField("source", "fair").build());

    assertThat(emulator.record(deal.id()).orElseThrow()).containsEntry("Deal_Source__c", "fair");
    Deal cleared = system.updateDeal(deal.id(), DealUpdate.builder().customField("source", null).build());
    assertThat(cleared.customFields()).isEmpty();
    assertValidation(() -> system.createDeal(ada.id(), DealDraft.builder("x").customField("tier", "gold").build()),
        "customFields.tier", "dealCustomField.tier");
  }

  @Test
  void aMappedFieldOrKeyFieldTheOrgLacksIsAConfigurationErrorNamingIt() {
    Map<String, String> settings = new HashMap<>();
    settings.put(SalesforceCustomerSystemProvider.DEAL_CUSTOM_FIELD_PREFIX + "tier", "Tier__c");
    settings.put(SalesforceCustomerSystemProvider.DEAL_IDEMPOTENCY_KEY_FIELD, "Event_Key__c");
    CustomerSystem system = open(true, settings);
    Customer ada = customer(system, null);

    assertThatThrownBy(() -> system.createDeal(ada.id(), DealDraft.builder("x").build()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("Tier__c (dealCustomField.tier) does not exist")
        .hasMessageContaining("Event_Key__c");
    assertThatThrownBy(() -> open(true, Map.of(SalesforceCustomerSystemProvider.DEAL_CUSTOM_FIELD_PREFIX + "x", "no such")))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("dealCustomField.x");
  }

  @Test
  void aRoleThePicklistLacksIsAConfigurationError() {
    CustomerSystem system = open(true, Map.of(SalesforceCustomerSystemProvider.DEAL_CONTACT_ROLE, "Friend"));
    Customer ada = customer(system, null);
    assertThatThrownBy(() -> system.createDeal(ada.id(), DealDraft.builder("x").build()))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("'Friend'");
  }

  @Test
  void leadsCannotHoldOpportunitiesSoALeadOrgHasNoDeals() {
    CustomerSystem system = open(true, Map.of(SalesforceCustomerSystemProvider.CUSTOMER_OBJECT, "Lead"));
    String lead = "00Q000000000001AAA";

    assertThat(system.supports(Capability.DEALS)).isFalse();
    assertThat(SalesforceCustomerSystemProvider.DESCRIPTOR.features()).contains(Capability.DEALS);
    assertThatThrownBy(() -> system.createDeal(lead, DealDraft.builder("x").build()))
        .isInstanceOfSatisfying(UnsupportedCapabilityException.class,
            e -> assertThat(e.capability()).isEqualTo(Capability.DEALS));
    assertThatThrownBy(system::pipelines).isInstanceOf(UnsupportedCapabilityException.class);
  }

  @Test
  void listingPagesNewestFirstBehindACursorThatHidesTheIds() {
    CustomerSystem system = open();
    Customer ada = customer(system, null);
    Deal older = system.createDeal(ada.id(), DealDraft.builder("Older").build());
    clock.advance(Duration.ofSeconds(1));
    Deal newer = system.createDeal(ada.id(), DealDraft.builder("Newer").build());

    var first = system.listDeals(ada.id(), PageRequest.first(1));

    assertThat(first.items()).extracting(Deal::id).containsExactly(newer.id());
    assertThat(first.nextCursor()).doesNotContain(newer.id());
    assertThat(first.next().items()).extracting(Deal::id).containsExactly(older.id());
    assertThat(first.next().hasNext()).isFalse();
    assertThatThrownBy(() -> system.listDeals(ada.id(), new PageRequest(1, "bm90IGEgY3Vyc29y")))
        .isInstanceOfSatisfying(ValidationException.class,
            e -> assertThat(e.fieldErrors()).extracting(FieldError::field).contains("cursor"));
  }
}
