package dev.crmkit.testkit.salesforce;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The sObject types the emulator holds, their key prefixes and their fields. Field and type names
 * match case-insensitively, as Salesforce's do. Besides the standard fields listed in {@link
 * SalesforceEmulator}, Contact carries the custom fields a crmkit org is expected to have.
 */
enum SObjectType {
  ACCOUNT("Account", "001", true),
  CONTACT("Contact", "003", true),
  LEAD("Lead", "00Q", true),
  OPPORTUNITY("Opportunity", "006", true),
  OPPORTUNITY_CONTACT_ROLE("OpportunityContactRole", "00K", true),
  TASK("Task", "00T", true),
  EVENT("Event", "00U", true),
  NOTE("Note", "002", true),
  CONTENT_VERSION("ContentVersion", "068", true),
  /** Created by a ContentVersion insert, not by the API. */
  CONTENT_DOCUMENT("ContentDocument", "069", false),
  CONTENT_DOCUMENT_LINK("ContentDocumentLink", "06A", true),
  OPPORTUNITY_STAGE("OpportunityStage", "01J", false);

  /** Opportunity stages as a new org has them: label, default probability, closed, won. */
  record Stage(String label, int probability, boolean closed, boolean won) {}

  static final List<Stage> STAGES = List.of(
      new Stage("Prospecting", 10, false, false),
      new Stage("Qualification", 10, false, false),
      new Stage("Needs Analysis", 20, false, false),
      new Stage("Value Proposition", 50, false, false),
      new Stage("Id. Decision Makers", 60, false, false),
      new Stage("Perception Analysis", 70, false, false),
      new Stage("Proposal/Price Quote", 75, false, false),
      new Stage("Negotiation/Review", 90, false, false),
      new Stage("Closed Won", 100, true, true),
      new Stage("Closed Lost", 0, true, false));

  /** Only in multi-currency orgs: a record's currency. */
  static final String CURRENCY_ISO_CODE = "CurrencyIsoCode";
  /** The active currencies of a multi-currency org, the corporate currency first. */
  static final List<String> CURRENCIES = List.of("USD", "EUR", "GBP", "CAD", "AUD", "JPY", "CHF");
  /** Opportunity's unique external-id text field holding crmkit's idempotency key. */
  static final String IDEMPOTENCY_KEY = "Crmkit_Idempotency_Key__c";

  final String apiName;
  final String keyPrefix;
  /** False for types the API can only read (OpportunityStage). */
  final boolean writable;
  private Map<String, FieldDef> fieldsByLowerName;
  private List<FieldDef> fields;

  SObjectType(String apiName, String keyPrefix, boolean writable) {
    this.apiName = apiName;
    this.keyPrefix = keyPrefix;
    this.writable = writable;
  }

  /** @return the fields in describe order */
  List<FieldDef> fields() {
    return fields;
  }

  /** @return the field, matched case-insensitively, or null */
  FieldDef field(String name) {
    return fieldsByLowerName.get(name.toLowerCase(Locale.ROOT));
  }

  /** @return the type, matched case-insensitively, or null */
  static SObjectType fromName(String name) {
    for (SObjectType type : values()) {
      if (type.apiName.equalsIgnoreCase(name)) {
        return type;
      }
    }
    return null;
  }

  /** @return the type whose key prefix starts {@code id}, or null */
  static SObjectType fromId(String id) {
    for (SObjectType type : values()) {
      if (id != null && id.startsWith(type.keyPrefix)) {
        return type;
      }
    }
    return null;
  }

  static {
    for (SObjectType type : values()) {
      Fields f = new Fields();
      f.system("Id", FieldType.ID, 18);
      type.define(f);
      f.system("IsDeleted", FieldType.BOOLEAN, 0);
      f.system("CreatedDate", FieldType.DATETIME, 0);
      f.system("CreatedById", FieldType.REFERENCE, 18, "User");
      f.system("LastModifiedDate", FieldType.DATETIME, 0);
      f.system("LastModifiedById", FieldType.REFERENCE, 18, "User");
      f.system("SystemModstamp", FieldType.DATETIME, 0);
      type.fields = Collections.unmodifiableList(new ArrayList<>(f.byName.values()));
      Map<String, FieldDef> lower = new LinkedHashMap<>();
      f.byName.values().forEach(d -> lower.put(d.name().toLowerCase(Locale.ROOT), d));
      type.fieldsByLowerName = Collections.unmodifiableMap(lower);
    }
  }

  private void define(Fields f) {
    switch (this) {
      case ACCOUNT:
        f.owner();
        f.text("Name", FieldType.STRING, 255, true);
        f.text("Phone", FieldType.PHONE, 40, false);
        f.text("Website", FieldType.STRING, 255, false);
        f.text("BillingStreet", FieldType.TEXTAREA, 255, false);
        f.text("BillingCity", FieldType.STRING, 40, false);
        f.text("BillingPostalCode", FieldType.STRING, 20, false);
        f.text("BillingState", FieldType.STRING, 80, false);
        f.text("BillingCountry", FieldType.STRING, 80, false);
        f.system("MasterRecordId", FieldType.REFERENCE, 18, "Account");
        break;
      case CONTACT:
        f.owner();
        f.text("FirstName", FieldType.STRING, 40, false);
        f.text("LastName", FieldType.STRING, 80, true);
        f.system("Name", FieldType.STRING, 121);
        f.text("Email", FieldType.EMAIL, 80, false);
        f.text("Phone", FieldType.PHONE, 40, false);
        f.text("MobilePhone", FieldType.PHONE, 40, false);
        f.text("MailingStreet", FieldType.TEXTAREA, 255, false);
        f.text("MailingCity", FieldType.STRING, 40, false);
        f.text("MailingPostalCode", FieldType.STRING, 20, false);
        f.text("MailingState", FieldType.STRING, 80, false);
        f.text("MailingCountry", FieldType.STRING, 80, false);
        f.reference("AccountId", false, "Account");
        f.system("MasterRecordId", FieldType.REFERENCE, 18, "Contact");
        f.flag("HasOptedOutOfEmail");
        f.text("Customer_Segment__c", FieldType.STRING, 255, false);
        f.number("Total_Orders__c", FieldType.DOUBLE);
        f.number("Total_Revenue__c", FieldType.CURRENCY);
        f.picklist("Preferred_Channel__c", false, null, "Email", "SMS", "WhatsApp", "Phone");
        f.flag("Email_Opt_In__c");
        f.flag("SMS_Opt_In__c");
        f.flag("WhatsApp_Opt_In__c");
        f.flag("Phone_Opt_In__c");
        break;
      case LEAD:
        f.owner();
        f.text("FirstName", FieldType.STRING, 40, false);
        f.text("LastName", FieldType.STRING, 80, true);
        f.system("Name", FieldType.STRING, 121);
        f.text("Company", FieldType.STRING, 255, true);
        f.text("Email", FieldType.EMAIL, 80, false);
        f.text("Phone", FieldType.PHONE, 40, false);
        f.text("MobilePhone", FieldType.PHONE, 40, false);
        f.picklist("Status", true, "Open - Not Contacted",
            "Open - Not Contacted", "Working - Contacted", "Closed - Converted", "Closed - Not Converted");
        f.text("Street", FieldType.TEXTAREA, 255, false);
        f.text("City", FieldType.STRING, 40, false);
        f.text("PostalCode", FieldType.STRING, 20, false);
        f.text("State", FieldType.STRING, 80, false);
        f.text("Country", FieldType.STRING, 80, false);
        f.system("IsConverted", FieldType.BOOLEAN, 0);
        f.system("MasterRecordId", FieldType.REFERENCE, 18, "Lead");
        break;
      case OPPORTUNITY:
        f.owner();
        f.text("Name", FieldType.STRING, 120, true);
        String[] stages = STAGES.stream().map(Stage::label).toArray(String[]::new);
        f.picklist("StageName", true, null, stages);
        f.add(new FieldDef("CloseDate", "Close Date", FieldType.DATE, 0, true, true, List.of(), List.of(), null));
        f.number("Amount", FieldType.CURRENCY);
        f.number("Probability", FieldType.PERCENT);
        f.reference("AccountId", false, "Account");
        f.reference("ContactId", false, "Contact");
        f.text("Description", FieldType.TEXTAREA, 32_000, false);
        f.system("IsClosed", FieldType.BOOLEAN, 0);
        f.system("IsWon", FieldType.BOOLEAN, 0);
        f.picklist(CURRENCY_ISO_CODE, false, CURRENCIES.get(0), CURRENCIES.toArray(String[]::new));
        f.text(IDEMPOTENCY_KEY, FieldType.STRING, 255, false);
        f.text("Deal_Source__c", FieldType.STRING, 255, false);
        break;
      case OPPORTUNITY_CONTACT_ROLE:
        f.reference("OpportunityId", true, "Opportunity");
        f.reference("ContactId", true, "Contact");
        f.picklist("Role", false, null, "Business User", "Decision Maker", "Economic Buyer",
            "Economic Decision Maker", "Evaluator", "Executive Sponsor", "Influencer", "Technical Buyer", "Other");
        f.flag("IsPrimary");
        break;
      case TASK:
        f.owner();
        f.reference("WhoId", false, "Contact", "Lead");
        f.reference("WhatId", false, "Account", "Opportunity");
        f.text("Subject", FieldType.STRING, 255, false);
        f.text("Description", FieldType.TEXTAREA, 32_000, false);
        f.add(new FieldDef("ActivityDate", "Due Date Only", FieldType.DATE, 0, false, true, List.of(), List.of(), null));
        f.picklist("Status", true, "Not Started", "Not Started", "In Progress", "Completed",
            "Waiting on someone else", "Deferred");
        f.picklist("Priority", true, "Normal", "High", "Normal", "Low");
        f.picklist("TaskSubtype", false, "Task", "Task", "Email", "ListEmail", "Cadence", "Call", "LinkedIn");
        f.number("CallDurationInSeconds", FieldType.INT);
        f.picklist("CallType", false, null, "Internal", "Inbound", "Outbound");
        f.text("CallDisposition", FieldType.STRING, 255, false);
        f.system("IsClosed", FieldType.BOOLEAN, 0);
        break;
      case EVENT:
        f.owner();
        f.reference("WhoId", false, "Contact", "Lead");
        f.reference("WhatId", false, "Account", "Opportunity");
        f.text("Subject", FieldType.STRING, 255, false);
        f.text("Description", FieldType.TEXTAREA, 32_000, false);
        f.text("Location", FieldType.STRING, 255, false);
        f.add(new FieldDef("StartDateTime", "Start", FieldType.DATETIME, 0, false, true, List.of(), List.of(), null));
        f.add(new FieldDef("EndDateTime", "End", FieldType.DATETIME, 0, false, true, List.of(), List.of(), null));
        f.number("DurationInMinutes", FieldType.INT);
        f.system("ActivityDateTime", FieldType.DATETIME, 0);
        f.flag("IsAllDayEvent");
        break;
      case NOTE:
        f.owner();
        f.reference("ParentId", true, "Contact", "Lead", "Account", "Opportunity");
        f.text("Title", FieldType.STRING, 80, true);
        f.text("Body", FieldType.TEXTAREA, 32_000, false);
        f.flag("IsPrivate");
        break;
      case CONTENT_VERSION:
        f.owner();
        f.text("Title", FieldType.STRING, 255, true);
        f.text("PathOnClient", FieldType.STRING, 500, true);
        f.add(new FieldDef("VersionData", "Version Data", FieldType.BASE64, 0, true, true, List.of(), List.of(), null));
        f.text("Description", FieldType.TEXTAREA, 1000, false);
        f.reference("FirstPublishLocationId", false, "Contact", "Lead", "Account", "Opportunity", "User");
        f.reference("ContentDocumentId", false, "ContentDocument");
        f.system("IsLatest", FieldType.BOOLEAN, 0);
        f.system("FileType", FieldType.STRING, 20);
        f.system("FileExtension", FieldType.STRING, 40);
        f.system("ContentSize", FieldType.INT, 0);
        f.system("VersionNumber", FieldType.STRING, 20);
        break;
      case CONTENT_DOCUMENT:
        f.system("OwnerId", FieldType.REFERENCE, 18, "User");
        f.system("Title", FieldType.STRING, 255);
        f.system("FileType", FieldType.STRING, 20);
        f.system("FileExtension", FieldType.STRING, 40);
        f.system("LatestPublishedVersionId", FieldType.REFERENCE, 18, "ContentVersion");
        break;
      case CONTENT_DOCUMENT_LINK:
        f.reference("ContentDocumentId", true, "ContentDocument");
        f.reference("LinkedEntityId", true, "Contact", "Lead", "Account", "Opportunity", "User");
        f.picklist("ShareType", false, "V", "V", "C", "I");
        f.picklist("Visibility", false, "AllUsers", "AllUsers", "InternalUsers", "SharedUsers");
        break;
      case OPPORTUNITY_STAGE:
        f.system("MasterLabel", FieldType.STRING, 255);
        f.system("ApiName", FieldType.STRING, 255);
        f.system("IsActive", FieldType.BOOLEAN, 0);
        f.system("IsClosed", FieldType.BOOLEAN, 0);
        f.system("IsWon", FieldType.BOOLEAN, 0);
        f.system("DefaultProbability", FieldType.PERCENT, 0);
        f.system("SortOrder", FieldType.INT, 0);
        break;
      default:
        throw new IllegalStateException("no fields for " + this);
    }
  }

  /** Collects field definitions in order. */
  private static final class Fields {
    final Map<String, FieldDef> byName = new LinkedHashMap<>();

    void add(FieldDef field) {
      byName.put(field.name(), field);
    }

    void system(String name, FieldType type, int length, String... referenceTo) {
      add(new FieldDef(name, label(name), type, length, false, false, List.of(referenceTo), List.of(), null));
    }

    void owner() {
      add(new FieldDef("OwnerId", "Owner ID", FieldType.REFERENCE, 18, false, true, List.of("User"), List.of(), null));
    }

    void text(String name, FieldType type, int length, boolean required) {
      add(new FieldDef(name, label(name), type, length, required, true, List.of(), List.of(), null));
    }

    void reference(String name, boolean required, String... to) {
      add(new FieldDef(name, label(name), FieldType.REFERENCE, 18, required, true, List.of(to), List.of(), null));
    }

    void number(String name, FieldType type) {
      add(new FieldDef(name, label(name), type, 0, false, true, List.of(), List.of(), null));
    }

    void flag(String name) {
      add(new FieldDef(name, label(name), FieldType.BOOLEAN, 0, false, true, List.of(), List.of(), Boolean.FALSE));
    }

    void picklist(String name, boolean required, String defaultValue, String... values) {
      List<FieldDef.PicklistValue> entries = new ArrayList<>();
      for (String value : values) {
        entries.add(new FieldDef.PicklistValue(value, value.equals(defaultValue)));
      }
      add(new FieldDef(name, label(name), FieldType.PICKLIST, 255, required && defaultValue == null, true,
          List.of(), List.copyOf(entries), defaultValue));
    }

    private static String label(String name) {
      return name.replace("__c", "").replace('_', ' ');
    }
  }

  /** @return true for a field whose values are unique and that is an external id (describe {@code unique}, {@code externalId}) */
  static boolean uniqueExternalId(SObjectType type, FieldDef field) {
    return type == OPPORTUNITY && field.name().equals(IDEMPOTENCY_KEY);
  }

  /** @return the default probability of a stage, or null for a label that is not a standard stage */
  static BigDecimal probability(String stage) {
    for (Stage s : STAGES) {
      if (s.label().equals(stage)) {
        return BigDecimal.valueOf(s.probability());
      }
    }
    return null;
  }
}
