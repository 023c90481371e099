package dev.crmkit.salesforce;

import dev.crmkit.CustomerSystem;
import dev.crmkit.ProviderContext;
import dev.crmkit.TenantConfig;
import dev.crmkit.provider.ProviderDescriptor;
import dev.crmkit.testkit.CustomerSystemContractTest;
import dev.crmkit.testkit.salesforce.SalesforceEmulator;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;

/**
 * The provider contract suite against the Salesforce emulator. A tenant is one Salesforce org, so every
 * tenant gets its own emulator, built on the test's clock, whose record numbers start a million apart
 * (Salesforce ids are unique across orgs). The org is multi-currency, as the suite writes amounts in EUR
 * and USD; the deal custom field {@code source} lives in the Opportunity field {@code Deal_Source__c}, and
 * deal owners are User ids. The org has one pipeline (one {@code StageName} picklist), so the suite's
 * other-pipeline case is skipped by its own guard. The org is otherwise set up as a crmkit org would be
 * by its admin: custom Contact fields for the suite's custom fields ({@code Source__c}, ...), a language
 * text field and a last-contact Date/Time field (named by the {@code languageField} and
 * {@code lastContactAtField} settings), "Set Audit Fields upon Record Creation" for imported creation
 * times, the standard blocking duplicate rule on Contact email, the five crmkit custom Activity
 * fields (on Task and Event) that activities need, and the four crmkit custom ContentVersion fields that
 * notes (Lightning notes, the default {@code noteObject}) need.
 * Salesforce keeps date-times in whole seconds, so the suite compares change times at that precision
 * ({@link #timestampPrecision()}).
 */
class SalesforceContractTest extends CustomerSystemContractTest {
  /** The suite's custom fields and the Contact fields holding them. */
  static final Map<String, String> CUSTOM_FIELDS = Map.of("source", "Source__c", "loyaltyId", "Loyalty_Id__c",
      "rank", "Rank__c", "tier", "Tier__c", "a", "A__c", "b", "B__c");

  private final SalesforceCustomerSystemProvider provider = new SalesforceCustomerSystemProvider();
  private final List<SalesforceEmulator> emulators = new ArrayList<>();

  /** An emulated org with the fields and rules the tenant's settings below rely on. */
  static SalesforceEmulator.Builder crmkitOrg(Clock clock) {
    SalesforceEmulator.Builder org = SalesforceEmulator.builder().clock(clock).multiCurrency(true)
        .contactEmailDuplicateRule(true)
        .auditFieldsOnCreate(true)
        .crmkitFields();
    CUSTOM_FIELDS.values().forEach(api -> org.customTextField("Contact", api, 255));
    return org;
  }

  @Override
  protected CustomerSystem newSystem(String tenantId, Clock clock) {
    // Salesforce ids are unique across orgs: each emulated org numbers its records a million apart.
    SalesforceEmulator emulator = crmkitOrg(clock).firstRecordNumber(1 + emulators.size() * 1_000_000L).build();
    emulators.add(emulator);
    TenantConfig.Builder config = TenantConfig.builder(tenantId, SalesforceCustomerSystemProvider.NAME)
        .credential(SalesforceCustomerSystemProvider.ACCESS_TOKEN, emulator.accessToken())
        .setting(SalesforceCustomerSystemProvider.INSTANCE_URL, emulator.baseUrl())
        .setting(SalesforceCustomerSystemProvider.LANGUAGE_FIELD, "Preferred_Language__c")
        .setting(SalesforceCustomerSystemProvider.LAST_CONTACT_AT_FIELD, "Last_Contact_At__c")
        .setting(SalesforceCustomerSystemProvider.AUDIT_FIELDS, "true")
        .setting(SalesforceCustomerSystemProvider.DEAL_CUSTOM_FIELD_PREFIX + "source", "Deal_Source__c");
    CUSTOM_FIELDS.forEach((name, api) -> config.setting(SalesforceCustomerSystemProvider.CUSTOM_FIELD_PREFIX + name, api));
    return provider.create(new ProviderContext(config.build(), clock, Map.of()));
  }

  /** A Salesforce User id other than the connected user's (an owner equal to the creator reads as none). */
  @Override
  protected String dealOwner() {
    return "005000000000002AAA";
  }

  @Override
  protected Duration timestampPrecision() {
    return Duration.ofSeconds(1);
  }

  @Override
  protected ProviderDescriptor descriptor() {
    return SalesforceCustomerSystemProvider.DESCRIPTOR;
  }

  @AfterEach
  void closeEmulators() {
    emulators.forEach(SalesforceEmulator::close);
    emulators.clear();
  }
}
