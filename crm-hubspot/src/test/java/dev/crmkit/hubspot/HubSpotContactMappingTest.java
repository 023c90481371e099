package dev.crmkit.hubspot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.tuple;

import dev.crmkit.Address;
import dev.crmkit.Channel;
import dev.crmkit.ContactPreferences;
import dev.crmkit.Customer;
import dev.crmkit.CustomerDraft;
import dev.crmkit.CustomerField;
import dev.crmkit.CustomerStats;
import dev.crmkit.CustomerUpdate;
import dev.crmkit.Money;
import dev.crmkit.OptInStatus;
import dev.crmkit.Segment;
import dev.crmkit.error.FieldError;
import dev.crmkit.error.ValidationException;
import dev.crmkit.identity.PhoneNumbers;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Currency;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HubSpotContactMappingTest {
  private static final Instant CREATED = Instant.parse("2024-01-05T09:00:00Z");
  private static final Instant UPDATED = Instant.parse("2024-03-01T10:15:30.123Z");

  private final HubSpotContactMapping defaults = HubSpotContactMapping.defaults();
  private final HubSpotContactMapping withLoyalty = HubSpotContactMapping.builder()
      .phoneNumbers(PhoneNumbers.forRegion("BR"))
      .customFieldProperty("loyaltyTier", "crmkit_loyalty_tier")
      .build();

  private static Customer read(HubSpotContactMapping mapping, Fixtures.Contact c) {
    return mapping.toCustomer("t1", c.id(), c.properties(), c.createdAt(), c.updatedAt(), c.archived(),
        c.archivedAt());
  }

  private static Customer read(HubSpotContactMapping mapping, Map<String, String> properties) {
    return mapping.toCustomer("t1", "900", properties, CREATED.toString(), UPDATED.toString(), false, null);
  }

  private static ValidationException rejection(Runnable call) {
    try {
      call.run();
    } catch (ValidationException e) {
      return e;
    }
    throw new AssertionError("expected a ValidationException");
  }

  private static Customer fullCustomer() {
    Money revenue = Money.of("150.00", "EUR");
    return Customer.builder()
        .id("900").tenantId("t1").createdAt(CREATED).updatedAt(UPDATED)
        .firstName("Ana").lastName("Souza").email("ana.souza@example.com")
        .phone("+14155550100").phoneExtension("12").company("Padaria Souza")
        .preferredChannel(Channel.WHATSAPP).language("pt-BR").segment(Segment.VIP)
        .tags(Set.of("auto-created", "first-contact"))
        .stats(new CustomerStats(3, revenue, Money.of("50.00", "EUR"), Instant.parse("2024-02-15T12:26:40Z")))
        .address(new Address("Rua Augusta 100", "Sala 4", "São Paulo", "SP", "01305-000", "BR"))
        .contactPreferences(new ContactPreferences(Map.of(Channel.EMAIL, OptInStatus.OPTED_IN,
            Channel.SMS, OptInStatus.OPTED_OUT, Channel.WHATSAPP, OptInStatus.OPTED_IN)))
        .customFields(Map.of("loyaltyTier", "gold", "hubspot.hs_lead_status", "NEW"))
        .lastContactAt(Instant.parse("2024-02-28T18:30:00Z"))
        .build();
  }

  private static CustomerDraft draftOf(Customer c) {
    return CustomerDraft.builder()
        .firstName(c.firstName()).lastName(c.lastName()).email(c.email())
        .phone((String) c.get(CustomerField.PHONE)).company(c.company()).preferredChannel(c.preferredChannel()).language(c.language())
        .segment(c.segment()).tags(c.tags()).address(c.address()).contactPreferences(c.contactPreferences())
        .customFields(c.customFields()).createdAt(c.createdAt()).lastContactAt(c.lastContactAt())
        .build();
  }

  @Test
  void readsEveryPartOfAFullyPopulatedContact() {
    Customer c = read(withLoyalty, Fixtures.contact("full"));

    assertThat(c.id()).isEqualTo("512");
    assertThat(c.tenantId()).isEqualTo("t1");
    assertThat(c.firstName()).isEqualTo("Ana");
    assertThat(c.lastName()).isEqualTo("Souza");
    assertThat(c.email()).isEqualTo("ana.souza@example.com");
    assertThat(c.phone()).isEqualTo("+14155550100");
    assertThat(c.phoneExtension()).isEqualTo("12");
    assertThat(c.company()).isEqualTo("Padaria Souza");
    assertThat(c.address()).isEqualTo(new Address("Rua Augusta 100", "Sala 4", "São Paulo", "SP", "01305-000", "BR"));
    assertThat(c.language()).isEqualTo("pt-BR");
    assertThat(c.segment()).isEqualTo(Segment.VIP);
    assertThat(c.preferredChannel()).isEqualTo(Channel.WHATSAPP);
    assertThat(c.tags()).containsExactly("auto-created", "first-contact", "vip-list");
    assertThat(c.stats().totalOrders()).isEqualTo(3);
    assertThat(c.stats().totalRevenue()).isEqualTo(new Money(new BigDecimal("150.00"), Currency.getInstance("EUR")));
    assertThat(c.stats().averageOrderValue()).isEqualTo(Money.of("50.00", "EUR"));
    assertThat(c.stats().lastOrderAt()).isEqualTo(Instant.ofEpochMilli(1708000000000L));
    assertThat(c.contactPreferences().optIns()).containsOnly(entry(Channel.EMAIL, OptInStatus.OPTED_IN),
        entry(Channel.SMS, OptInStatus.OPTED_OUT), entry(Channel.WHATSAPP, OptInStatus.OPTED_IN));
    assertThat(c.customFields()).containsExactly(entry("loyaltyTier", "gold"));
    assertThat(c.lastContactAt()).isEqualTo(Instant.parse("2024-02-28T18:30:00Z"));
    assertThat(c.createdAt()).isEqualTo(CREATED);
    assertThat(c.updatedAt()).isEqualTo(UPDATED);
    assertThat(c.deletedAt()).isNull();
  }

  @Test
  void roundTripsAFullyPopulatedCustomerThroughProperties() {
    Customer original = fullCustomer();
    Map<String, String> properties = new HashMap<>(withLoyalty.toProperties(draftOf(original)));
    properties.putAll(withLoyalty.toProperties(original.stats()));

    assertThat(properties).contains(entry("phone", "+14155550100 ext. 12"), entry("hs_language", "pt-br"),
        entry("lifecyclestage", "evangelist"), entry("crmkit_tags", "auto-created;first-contact"),
        entry("crmkit_total_revenue", "150.00"), entry("crmkit_currency", "EUR"),
        entry("hs_email_optout", "false"), entry("crmkit_optin_sms", "false"),
        entry("crmkit_optin_whatsapp", "true"), entry("crmkit_loyalty_tier", "gold"),
        entry("hs_lead_status", "NEW"), entry("createdate", "2024-01-05T09:00:00Z"));
    assertThat(read(withLoyalty, properties)).isEqualTo(original);
  }

  @Test
  void anUpdateBetweenTwoCustomersTurnsTheFirstContactIntoTheSecond() {
    Customer before = fullCustomer();
    Customer after = before.toBuilder()
        .firstName(null).phone("+5511987654321").phoneExtension(null).segment(Segment.STANDARD)
        .tags(Set.of("returning")).address(null).language(null).preferredChannel(null)
        .contactPreferences(ContactPreferences.UNKNOWN.with(Channel.PHONE, OptInStatus.OPTED_IN))
        .customFields(Map.of()).lastContactAt(null)
        .build();
    Map<String, String> stored = new HashMap<>(withLoyalty.toProperties(draftOf(before)));
    stored.putAll(withLoyalty.toProperties(before.stats()));

    stored.putAll(withLoyalty.toProperties(CustomerUpdate.between(before, after)));
    stored.values().removeIf(String::isEmpty);

    Customer reread = read(withLoyalty, stored);
    assertThat(reread).isEqualTo(after.toBuilder()
        .customFields(Map.of("hubspot.hs_lead_status", "NEW")).build());
  }

  @Test
  void clearingEveryFieldWritesEmptyStringsToEachOfItsProperties() {
    CustomerUpdate clearAll = CustomerUpdate.builder()
        .firstName(null).lastName(null).email(null).phone(null).company(null).preferredChannel(null)
        .language(null).segment(null).tags(null).address(null).contactPreferences(null).customFields(null)
        .lastContactAt(null).build();

    Map<String, String> properties = withLoyalty.toProperties(clearAll);

    Map<String, String> expected = new LinkedHashMap<>();
    for (String p : List.of("firstname", "lastname", "email", "phone", "company", "crmkit_preferred_channel",
        "hs_language", "crmkit_tags", "address", "crmkit_address_line2", "city", "state", "zip", "country",
        "hs_email_optout", "crmkit_optin_sms", "crmkit_optin_whatsapp", "crmkit_optin_phone", "crmkit_optin_web",
        "crmkit_optin_social", "crmkit_optin_in_person", "crmkit_optin_other", "crmkit_loyalty_tier",
        "notes_last_contacted")) {
      expected.put(p, "");
    }
    expected.put("lifecyclestage", "lead");
    assertThat(properties).containsExactlyInAnyOrderEntriesOf(expected);
  }

  @Test
  void anUpdateTouchingNothingWritesNoProperty() {
    assertThat(defaults.toProperties(CustomerUpdate.builder().build())).isEmpty();
  }

  @Test
  void statsWithoutOrdersWriteZeroAndClearTheAmounts() {
    assertThat(defaults.toProperties(CustomerStats.NONE)).containsOnly(entry("crmkit_total_orders", "0"),
        entry("crmkit_total_revenue", ""), entry("crmkit_currency", ""), entry("crmkit_average_order_value", ""),
        entry("crmkit_last_order_at", ""));
  }

  @ParameterizedTest
  @CsvSource({
      "subscriber, PROSPECT", "lead, PROSPECT", "marketingqualifiedlead, PROSPECT",
      "salesqualifiedlead, PROSPECT", "opportunity, PROSPECT", "customer, STANDARD", "evangelist, VIP",
      "Customer, STANDARD"})
  void readsEachDefaultLifecycleStageAsItsSegment(String stage, Segment segment) {
    Customer c = read(defaults, Map.of("email", "a@example.com", "lifecyclestage", stage));

    assertThat(c.segment()).isEqualTo(segment);
    assertThat(c.customFields()).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({"PROSPECT, lead", "STANDARD, customer", "ACTIVE, customer", "VIP, evangelist"})
  void writesEachSegmentAsItsDefaultLifecycleStage(Segment segment, String stage) {
    assertThat(defaults.toProperties(CustomerDraft.builder().email("a@example.com").segment(segment).build()))
        .containsEntry("lifecyclestage", stage);
    assertThat(defaults.toProperties(CustomerUpdate.builder().segment(segment).build()))
        .containsExactly(entry("lifecyclestage", stage));
  }

  @Test
  void configuredStagesReplaceTheDefaultsBothWays() {
    HubSpotContactMapping m = HubSpotContactMapping.builder()
        .readStage("opportunity", Segment.ACTIVE).readStage("1234567", Segment.VIP)
        .writeStage(Segment.ACTIVE, "opportunity").build();

    assertThat(read(m, Map.of("email", "a@example.com", "lifecyclestage", "opportunity")).segment())
        .isEqualTo(Segment.ACTIVE);
    assertThat(read(m, Map.of("email", "a@example.com", "lifecyclestage", "1234567")).segment())
        .isEqualTo(Segment.VIP);
    assertThat(m.toProperties(CustomerUpdate.builder().segment(Segment.ACTIVE).build()))
        .containsExactly(entry("lifecyclestage", "opportunity"));
  }

  @Test
  void anUnknownLifecycleStageIsKeptRawAndWrittenBackVerbatim() {
    Customer c = read(defaults, Fixtures.contact("unknown_properties"));

    assertThat(c.segment()).isEqualTo(Segment.PROSPECT);
    assertThat(c.customFields()).containsEntry("hubspot.lifecyclestage", "other");
    assertThat(defaults.toProperties(draftOf(c))).containsEntry("lifecyclestage", "other");
    assertThat(defaults.toProperties(CustomerUpdate.builder().segment(Segment.VIP)
        .customFields(c.customFields()).build())).containsEntry("lifecyclestage", "other");
  }

  @Test
  void unknownPropertiesArePreservedUnderTheHubSpotPrefix() {
    Customer c = read(defaults, Fixtures.contact("unknown_properties"));

    assertThat(c.customFields()).containsOnly(entry("hubspot.lifecyclestage", "other"),
        entry("hubspot.hs_lead_status", "IN_PROGRESS"), entry("hubspot.hs_analytics_source", "ORGANIC_SEARCH"),
        entry("hubspot.favorite_flavour", "pistachio"));
    assertThat(c.createdAt()).isEqualTo(CREATED);
  }

  @Test
  void unknownPropertiesFollowAConfiguredPrefix() {
    HubSpotContactMapping m = HubSpotContactMapping.builder().unknownPropertyPrefix("hs-").build();

    Customer c = read(m, Fixtures.contact("unknown_properties"));

    assertThat(c.customFields()).containsOnlyKeys("hs-lifecyclestage", "hs-hs_lead_status",
        "hs-hs_analytics_source", "hs-favorite_flavour");
    assertThat(m.toProperties(CustomerUpdate.builder().customFields(Map.of("hs-favorite_flavour", "mint")).build()))
        .containsExactly(entry("favorite_flavour", "mint"));
  }

  @Test
  void unmappedCustomFieldsAreRejectedNamingEachOne() {
    CustomerDraft draft = CustomerDraft.builder().email("a@example.com")
        .customField("shoeSize", "42").customField("loyaltyTier", "gold").customField("vipSince", "2020").build();

    ValidationException e = rejection(() -> withLoyalty.toProperties(draft));
    assertThat(e.fieldErrors()).extracting(FieldError::field, FieldError::value)
        .containsExactly(tuple("customFields.shoeSize", "42"), tuple("customFields.vipSince", "2020"));
    assertThat(e).hasMessageContaining("customFields.shoeSize");

    ValidationException u = rejection(() -> withLoyalty.toProperties(
        CustomerUpdate.builder().customFields(Map.of("shoeSize", "42")).build()));
    assertThat(u.fieldErrors()).extracting(FieldError::field).containsExactly("customFields.shoeSize");
  }

  @Test
  void aPrefixedCustomFieldMayNotOverwriteAPropertyTheMappingOwns() {
    ValidationException e = rejection(() -> defaults.toProperties(
        CustomerUpdate.builder().customFields(Map.of("hubspot.email", "x@example.com")).build()));

    assertThat(e.fieldErrors()).extracting(FieldError::field, FieldError::value)
        .containsExactly(tuple("customFields.hubspot.email", "x@example.com"));
  }

  @Test
  void aPassThroughPrefixWritesAndReadsUnmappedCustomFields() {
    HubSpotContactMapping m = HubSpotContactMapping.builder().passThroughPrefix("crmkit_cf_").build();

    assertThat(m.toProperties(CustomerUpdate.builder().customFields(Map.of("shoe_size", "42")).build()))
        .containsExactly(entry("crmkit_cf_shoe_size", "42"));
    assertThat(read(m, Map.of("email", "a@example.com", "crmkit_cf_shoe_size", "42")).customFields())
        .containsExactly(entry("shoe_size", "42"));
    assertThat(rejection(() -> m.toProperties(CustomerUpdate.builder().customFields(Map.of("ShoeSize", "42"))
        .build())).fieldErrors()).extracting(FieldError::field).containsExactly("customFields.ShoeSize");
  }

  @Test
  void malformedValuesAreRejectedNamingEachPropertyAndValue() {
    ValidationException e = rejection(() -> read(defaults, Fixtures.contact("malformed")));

    assertThat(e.fieldErrors()).extracting(FieldError::field, FieldError::value).containsExactlyInAnyOrder(
        tuple("createdAt", "2024-01-05 09:00"),
        tuple("email", "not-an-address"),
        tuple("notes_last_contacted", "yesterday"),
        tuple("crmkit_total_orders", "2.5"),
        tuple("crmkit_total_revenue", "12,50"),
        tuple("crmkit_currency", "EURO"),
        tuple("crmkit_last_order_at", "2024-13-01T00:00:00Z"),
        tuple("crmkit_preferred_channel", "pigeon"),
        tuple("crmkit_optin_sms", "yes"));
    assertThat(e).hasMessageContaining("notes_last_contacted 'yesterday'");
  }

  @Test
  void acceptsIsoTimesWithOffsetsDatesAloneAndEpochMillis() {
    Customer c = read(defaults, Map.of("email", "a@example.com",
        "notes_last_contacted", "2024-02-28T20:30:00+02:00", "crmkit_last_order_at", "2024-02-15"));
    assertThat(c.lastContactAt()).isEqualTo(Instant.parse("2024-02-28T18:30:00Z"));
    assertThat(c.stats().lastOrderAt()).isEqualTo(Instant.parse("2024-02-15T00:00:00Z"));

    Customer fromMillis = defaults.toCustomer("t1", "1", Map.of("email", "a@example.com"), "1704445200000",
        "1709288130123", false, null);
    assertThat(fromMillis.createdAt()).isEqualTo(CREATED);
    assertThat(fromMillis.updatedAt()).isEqualTo(UPDATED);
  }

  @Test
  void creationAndUpdateTimesFallBackToTheirPropertiesAndAreRequired() {
    Customer c = defaults.toCustomer("t1", "1", Map.of("email", "a@example.com",
        "createdate", CREATED.toString(), "lastmodifieddate", UPDATED.toString()), null, null, false, null);
    assertThat(c.createdAt()).isEqualTo(CREATED);
    assertThat(c.updatedAt()).isEqualTo(UPDATED);

    ValidationException e = rejection(
        () -> defaults.toCustomer("t1", "1", Map.of("email", "a@example.com"), null, null, false, null));
    assertThat(e.fieldErrors()).extracting(FieldError::field).containsExactly("createdAt", "updatedAt");
  }

  @Test
  void anArchivedContactIsASoftDeletedCustomer() {
    assertThat(read(defaults, Fixtures.contact("archived")).deletedAt())
        .isEqualTo(Instant.parse("2024-03-02T08:00:00Z"));
    assertThat(defaults.toCustomer("t1", "1", Map.of("firstname", "Gone"), CREATED.toString(), UPDATED.toString(),
        true, null).deletedAt()).isEqualTo(UPDATED);
  }

  @Test
  void writesAPhoneWithItsExtensionAndReadsItBackApart() {
    assertThat(defaults.toProperties(CustomerUpdate.builder().phone("(415) 555-0100 x 12").build()))
        .containsExactly(entry("phone", "+14155550100 ext. 12"));

    Customer c = read(defaults, Map.of("phone", "+14155550100 ext. 12"));
    assertThat(c.phone()).isEqualTo("+14155550100");
    assertThat(c.phoneExtension()).isEqualTo("12");
  }

  @Test
  void aPhoneThatDoesNotParseIsWrittenAndReadAsTyped() {
    assertThat(defaults.toProperties(CustomerUpdate.builder().phone("12").build()))
        .containsExactly(entry("phone", "12"));
    assertThat(read(defaults, Map.of("phone", "12")).phone()).isEqualTo("12");
  }

  @Test
  void emailOptOutIsTheInverseOfTheEmailOptIn() {
    assertThat(read(defaults, Map.of("email", "a@example.com", "hs_email_optout", "TRUE"))
        .contactPreferences().statusOf(Channel.EMAIL)).isEqualTo(OptInStatus.OPTED_OUT);
    assertThat(defaults.toProperties(CustomerUpdate.builder()
        .contactPreferences(ContactPreferences.UNKNOWN.with(Channel.EMAIL, OptInStatus.OPTED_OUT)).build()))
        .containsEntry("hs_email_optout", "true").containsEntry("crmkit_optin_sms", "");
  }

  @Test
  void tagsAreJoinedSortedAndReadBackTrimmed() {
    assertThat(defaults.toProperties(CustomerUpdate.builder().tags(Set.of("vip", "auto-created")).build()))
        .containsExactly(entry("crmkit_tags", "auto-created;vip"));
    assertThat(read(defaults, Map.of("crmkit_tags", " vip ;;auto-created")).tags())
        .containsExactly("auto-created", "vip");
  }

  @Test
  void aTagHoldingTheSeparatorIsRejectedNamingIt() {
    ValidationException e = rejection(() -> defaults.toProperties(
        CustomerUpdate.builder().tags(Set.of("ok", "a;b")).build()));

    assertThat(e.fieldErrors()).extracting(FieldError::field, FieldError::value)
        .containsExactly(tuple("tags", "a;b"));
  }

  @Test
  void revenueWithoutOrdersAndRevenueWithoutCurrencyAreRejected() {
    assertThat(rejection(() -> read(defaults, Map.of("crmkit_total_revenue", "10.00", "crmkit_currency", "USD")))
        .fieldErrors()).extracting(FieldError::field, FieldError::value)
        .containsExactly(tuple("crmkit_total_revenue", "10.00"));
    assertThat(rejection(() -> read(defaults, Map.of("crmkit_total_orders", "2", "crmkit_total_revenue", "10.00")))
        .fieldErrors()).extracting(FieldError::field).containsExactly("crmkit_currency");
  }

  @Test
  void theAverageOrderValueIsComputedWhenHubSpotHasNone() {
    Customer c = read(defaults, Map.of("crmkit_total_orders", "4", "crmkit_total_revenue", "10",
        "crmkit_currency", "USD"));

    assertThat(c.stats().averageOrderValue()).isEqualTo(Money.of("2.50", "USD"));
  }

  @Test
  void propertiesToReadCoverTheStandardAndConfiguredProperties() {
    assertThat(withLoyalty.propertiesToRead()).contains("firstname", "lastname", "email", "phone", "company",
        "address", "crmkit_address_line2", "city", "state", "zip", "country", "hs_language", "lifecyclestage",
        "hs_lead_status", "createdate", "lastmodifieddate", "notes_last_contacted", "crmkit_preferred_channel",
        "crmkit_tags", "crmkit_total_orders", "crmkit_total_revenue", "crmkit_currency",
        "crmkit_average_order_value", "crmkit_last_order_at", "hs_email_optout", "crmkit_optin_sms",
        "crmkit_loyalty_tier").doesNotHaveDuplicates().isSorted();
  }

  @Test
  void theBuilderRejectsBadOrCollidingSettingsNamingTheValue() {
    assertThatThrownBy(() -> HubSpotContactMapping.builder().tagsProperty("Crmkit Tags"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tagsProperty").hasMessageContaining(
            "'Crmkit Tags'");
    assertThatThrownBy(() -> HubSpotContactMapping.builder().customFieldProperty("x", "email").build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("'email'");
    assertThatThrownBy(() -> HubSpotContactMapping.builder().tagsProperty("crmkit_currency").build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("'crmkit_currency'");
    assertThatThrownBy(() -> HubSpotContactMapping.builder().unknownPropertyPrefix(""))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknownPropertyPrefix");
    assertThatThrownBy(() -> HubSpotContactMapping.builder().passThroughPrefix("CF_"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'CF_'");
    assertThatThrownBy(() -> HubSpotContactMapping.builder().writeStage(Segment.VIP, " "))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("writeStage");
    assertThatThrownBy(() -> HubSpotContactMapping.builder().customFieldProperty("hubspot.x", "crmkit_x").build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("'hubspot.x'");
  }

  @Test
  void theBuilderNamesEachNullArgument() {
    assertThatThrownBy(() -> HubSpotContactMapping.builder().phoneNumbers(null))
        .isInstanceOf(NullPointerException.class).hasMessage("phoneNumbers");
    assertThatThrownBy(() -> HubSpotContactMapping.builder().readStage(null, Segment.VIP))
        .isInstanceOf(NullPointerException.class).hasMessage("readStage");
    assertThatThrownBy(() -> HubSpotContactMapping.builder().readStage("lead", null))
        .isInstanceOf(NullPointerException.class).hasMessage("segment");
    assertThatThrownBy(() -> HubSpotContactMapping.builder().lastContactProperty(null))
        .isInstanceOf(NullPointerException.class).hasMessage("lastContactProperty");
    assertThatThrownBy(() -> HubSpotContactMapping.builder().customFieldProperty(null, "crmkit_x"))
        .isInstanceOf(NullPointerException.class).hasMessage("customField");
    assertThatThrownBy(() -> HubSpotContactMapping.builder().customFieldProperty("9lives", "crmkit_x"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("customField").hasMessageContaining("'9lives'");
    assertThatThrownBy(() -> HubSpotContactMapping.builder().statsProperties("a_orders", null, "a_currency", "a_aov", "a_last"))
        .isInstanceOf(NullPointerException.class).hasMessage("totalRevenue");
    assertThatThrownBy(() -> HubSpotContactMapping.builder().optInProperty(null, "sms_optout", true))
        .isInstanceOf(NullPointerException.class).hasMessage("channel");
    assertThatThrownBy(() -> HubSpotContactMapping.builder().optInProperty(Channel.SMS, "SMS Opt Out", true))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("optInProperty").hasMessageContaining("'SMS Opt Out'");
  }

  @Test
  void aHostWithItsOwnOrderStatsPropertiesWritesAndReadsStatsThere() {
    HubSpotContactMapping shop = HubSpotContactMapping.builder()
        .statsProperties("shop_orders", "shop_revenue", "shop_currency", "shop_aov", "shop_last_order")
        .build();
    CustomerStats stats = new CustomerStats(2, Money.of("80.00", "EUR"), Money.of("40.00", "EUR"),
        Instant.parse("2024-02-15T12:26:40Z"));

    Map<String, String> written = shop.toProperties(stats);

    assertThat(written).containsOnlyKeys("shop_orders", "shop_revenue", "shop_currency", "shop_aov", "shop_last_order")
        .containsEntry("shop_orders", "2").containsEntry("shop_revenue", "80.00").containsEntry("shop_currency", "EUR")
        .containsEntry("shop_aov", "40.00");
    assertThat(shop.propertiesToRead()).contains("shop_orders", "shop_last_order").doesNotContain("crmkit_total_orders");
    assertThat(read(shop, written).stats()).isEqualTo(stats);
  }

  @Test
  void aHostWithItsOwnConsentPropertyReadsAndWritesOptInsThere() {
    HubSpotContactMapping consent = HubSpotContactMapping.builder().optInProperty(Channel.SMS, "sms_opt_out", true).build();

    assertThat(read(consent, Map.of("sms_opt_out", "true")).contactPreferences().statusOf(Channel.SMS))
        .isEqualTo(OptInStatus.OPTED_OUT);
    assertThat(consent.toProperties(CustomerUpdate.builder()
        .contactPreferences(ContactPreferences.UNKNOWN.with(Channel.SMS, OptInStatus.OPTED_IN)).build()))
        .containsEntry("sms_opt_out", "false").doesNotContainKey("crmkit_optin_sms");
  }
}
