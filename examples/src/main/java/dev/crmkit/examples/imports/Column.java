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
  REGION("region", "state", "province", "county", "stateprovince"),
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

  /**
   * The column a header most likely means when {@link #of} knows it not: a numbered variant of an
   * email, phone or company header ({@code Email 3}, {@code Phone 4}) is that kind; otherwise the
   * known spelling nearest by Damerau-Levenshtein distance (optimal string alignment: insertions,
   * deletions, substitutions and swaps of neighbours each count 1), when it is at most 2 for a
   * spelling of 8 or more characters, at most 1 for 4 to 7, and only when that nearest spelling is
   * unique to one column. Short spellings must match exactly: {@code tel} is one letter from
   * {@code tea}. So {@code Emial}, {@code Frist Name} and {@code Compnay} are found, while
   * {@code Title} or {@code Score} stay unknown.
   *
   * @return the column, or {@code null} when none is near enough
   */
  static Column closest(String header) {
    String key = key(header);
    String base = key.replaceAll("\\d+$", "");
    if (!base.equals(key)) {
      Column numbered = BY_KEY.get(base);
      if (numbered == EMAIL || numbered == PHONE || numbered == COMPANY) {
        return numbered;
      }
    }
    Column best = null;
    int bestDistance = Integer.MAX_VALUE;
    boolean tie = false;
    for (Map.Entry<String, Column> known : BY_KEY.entrySet()) {
      String k = known.getKey();
      int allowed = k.length() >= 8 ? 2 : k.length() >= 4 ? 1 : 0;
      int d = distance(key, k);
      if (d > allowed) {
        continue;
      }
      if (d < bestDistance) {
        best = known.getValue();
        bestDistance = d;
        tie = false;
      } else if (d == bestDistance && known.getValue() != best) {
        tie = true;
      }
    }
    return tie ? null : best;
  }

  /** Damerau-Levenshtein distance, optimal string alignment variant. */
  static int distance(String a, String b) {
    if (Math.abs(a.length() - b.length()) > 2) {
      return Integer.MAX_VALUE;
    }
    return dev.crmkit.spi.EditDistance.between(a, b);
  }

  /** The kind of contact a column holds: {@code EMAIL} for both email columns, {@code PHONE} for both phones. */
  Column contactKind() {
    return this == EMAIL || this == EMAIL2 ? EMAIL : this == PHONE || this == PHONE2 ? PHONE : null;
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
