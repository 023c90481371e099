package dev.crmkit.salesforce;

import dev.crmkit.sync.FieldMapping;
import dev.crmkit.sync.FieldMapping.ValueTransform;
import dev.crmkit.sync.SyncFlow;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Currency;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * The default {@link FieldMapping} for syncing a local store with Salesforce Contacts (or Leads) through
 * {@link SalesforceCustomerSystem}, whose own mapping turns the record's fields into customer fields first.
 * Needs crm-sync on the class path.
 *
 * <table>
 *   <caption>What the default mapping syncs</caption>
 *   <tr><th>local field</th><th>Salesforce</th><th>{@link SyncFlow flow}</th></tr>
 *   <tr><td>firstName, lastName, email, phone</td><td>{@code FirstName}, {@code LastName}, {@code Email},
 *       {@code Phone}</td><td>{@code BIDIRECTIONAL}</td></tr>
 *   <tr><td>company</td><td>the Contact's Account by name (a Lead's {@code Company})</td><td>{@code BIDIRECTIONAL}</td></tr>
 *   <tr><td>address</td><td>{@code MailingStreet}, {@code MailingCity}, {@code MailingState},
 *       {@code MailingPostalCode}, {@code MailingCountry}</td><td>{@code BIDIRECTIONAL}</td></tr>
 *   <tr><td>segment</td><td>{@code Customer_Segment__c}</td><td>{@code BIDIRECTIONAL}</td></tr>
 *   <tr><td>preferredChannel</td><td>{@code Preferred_Channel__c}</td><td>{@code BIDIRECTIONAL}</td></tr>
 *   <tr><td>contactPreferences</td><td>{@code Email_Opt_In__c}, {@code SMS_Opt_In__c},
 *       {@code WhatsApp_Opt_In__c}, {@code Phone_Opt_In__c}</td><td>{@code PUSH}</td></tr>
 *   <tr><td>stats.totalOrders</td><td>custom field {@value #ORDERS_FIELD} ({@code Total_Orders__c})</td><td>{@code PUSH}</td></tr>
 *   <tr><td>stats.totalRevenue</td><td>custom field {@value #REVENUE_FIELD} ({@code Total_Revenue__c})</td><td>{@code PUSH}</td></tr>
 * </table>
 *
 * <p>Consent is pushed only: a checkbox cannot be empty, so Salesforce cannot tell "opted out" from
 * "never asked", and pulling it would erase the local store's opt-outs. Tags, language and the last
 * contact time have no place on a Contact and are not synced.
 *
 * <p>Orders and revenue are kept by the local store (stats cannot be written through
 * {@link dev.crmkit.CustomerSystem}), so they go to two custom fields: configure the provider with
 * {@code customField.totalOrders=Total_Orders__c} and {@code customField.totalRevenue=Total_Revenue__c}.
 * Salesforce stores both as numbers and answers {@code 3.0} for 3 and {@code 40.5} for 40.50, so the count
 * is read back as a whole number and the revenue with the currency's decimal places (two in {@link
 * #defaults()}, the given currency's in {@link #defaults(Currency)}); otherwise every run would see a
 * change and write them again. Without the two settings, use {@link #defaultsWithoutOrders()}.
 *
 * @see <a href="https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_contact.htm">Salesforce: Contact</a>
 */
public final class SalesforceFieldMappings {
  /** The custom field the order count is pushed to: {@value}. */
  public static final String ORDERS_FIELD = "totalOrders";
  /** The custom field the revenue amount is pushed to: {@value}. */
  public static final String REVENUE_FIELD = "totalRevenue";

  private SalesforceFieldMappings() {}

  /**
   * Names, email, phone, company, address, segment and preferred channel both ways; consent, orders and
   * revenue pushed, revenue in a currency with two decimal places (USD, EUR, GBP, ...).
   *
   * @return the mapping
   */
  public static FieldMapping defaults() {
    return withOrders(2);
  }

  /**
   * {@link #defaults()} for revenue in {@code currency}, read back with its decimal places (0 for JPY, 3
   * for KWD).
   *
   * @param currency the org's currency, as the provider's {@code currency} setting; not {@code null}
   * @return the mapping
   * @throws NullPointerException naming {@code currency} when {@code null}
   */
  public static FieldMapping defaults(Currency currency) {
    Objects.requireNonNull(currency, "currency");
    return withOrders(currency.getDefaultFractionDigits());
  }

  private static FieldMapping withOrders(int digits) {
    return base()
        .map("stats.totalOrders", "custom." + ORDERS_FIELD, SyncFlow.PUSH,
            ValueTransform.of(UnaryOperator.identity(), v -> number(v, 0)))
        .map("stats.totalRevenue", "custom." + REVENUE_FIELD, SyncFlow.PUSH,
            ValueTransform.of(UnaryOperator.identity(), v -> number(v, digits)))
        .build();
  }

  /**
   * {@link #defaults()} without orders and revenue, for orgs or settings without the two custom fields.
   *
   * @return the mapping
   */
  public static FieldMapping defaultsWithoutOrders() {
    return base().build();
  }

  private static FieldMapping.Builder base() {
    return FieldMapping.builder().field("firstName").field("lastName").field("email").field("phone")
        .field("company").field("address").field("segment").field("preferredChannel")
        .field("contactPreferences", SyncFlow.PUSH);
  }

  /** A number read from Salesforce with {@code digits} decimal places (fewer than 0: as few as needed); other text as is. */
  static String number(String value, int digits) {
    if (value == null) {
      return null;
    }
    try {
      BigDecimal n = new BigDecimal(value.strip());
      if (digits >= 0) {
        return n.setScale(digits, RoundingMode.HALF_EVEN).toPlainString();
      }
      n = n.stripTrailingZeros();
      return (n.scale() < 0 ? n.setScale(0) : n).toPlainString();
    } catch (NumberFormatException e) {
      return value;
    }
  }
}
