package dev.crmkit.examples.imports;

import java.util.HashMap;
import java.util.Map;

/** The columns the importer knows, each with the header spellings it accepts. */
enum Column {
  INDEX("index", "row", "rownumber", "no"),
  SOURCE_ID("customerid", "accountid", "id", "externalid", "contactid", "leadid", "recordid"),
  FIRST_NAME("firstname", "first", "givenname", "forename"),
  LAST_NAME("lastname", "last", "surname", "familyname"),
  COMPANY("company", "companyname", "organization", "organisation", "organizationname", "account", "accountname",
      "business"),
  CITY("city", "town", "locality"),
  COUNTRY("country", "countryname"),
  PHONE("phone", "phone1", "phonenumber", "mobile", "mobilephone", "mobilenumber", "telephone", "tel", "cell",
      "cellphone", "primaryphone"),
  PHONE2("phone2", "secondaryphone", "otherphone", "workphone", "homephone", "alternatephone"),
  EMAIL("email", "email1", "emailaddress", "mail", "primaryemail"),
  EMAIL2("email2", "secondaryemail", "otheremail", "alternateemail"),
  WEBSITE("website", "web", "url", "homepage", "site"),
  SUBSCRIPTION_DATE("subscriptiondate", "subscribed", "subscribedat", "createdat", "created", "createddate",
      "datecreated", "signupdate", "since"),
  LEAD_OWNER("leadowner", "owner", "accountowner", "salesrep"),
  SOURCE("source", "leadsource"),
  DEAL_STAGE("dealstage", "stage", "leadstage", "pipelinestage"),
  NOTES("notes", "note", "comments", "comment");

  private static final Map<String, Column> BY_KEY = new HashMap<>();

  static {
    for (Column c : values()) {
      for (String k : c.keys) {
        BY_KEY.put(k, c);
      }
    }
  }

  private final String[] keys;

  Column(String... keys) {
    this.keys = keys;
  }

  /** The column a header names, or {@code null}: case, spaces, '-', '_' and camel case do not matter. */
  static Column of(String header) {
    return BY_KEY.get(key(header));
  }

  /** {@code "First Name"}, {@code "first_name"}, {@code "firstName"} and {@code "FIRSTNAME"} all give {@code "firstname"}. */
  static String key(String header) {
    StringBuilder b = new StringBuilder(header.length());
    for (int i = 0; i < header.length(); i++) {
      char c = header.charAt(i);
      if (Character.isLetterOrDigit(c)) {
        b.append(Character.toLowerCase(c));
      }
    }
    return b.toString();
  }

  /** True for the columns only lead exports have. */
  boolean leadOnly() {
    return this == LEAD_OWNER || this == SOURCE || this == DEAL_STAGE;
  }
}
