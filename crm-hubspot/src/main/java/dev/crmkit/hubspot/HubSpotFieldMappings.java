package dev.crmkit.hubspot;

import dev.crmkit.sync.FieldMapping;
import dev.crmkit.sync.FieldMapping.ValueTransform;
import dev.crmkit.sync.SyncFlow;

/**
 * The default {@link FieldMapping} for syncing a local store with HubSpot contacts through
 * {@link HubSpotCustomerSystem} (whose {@link HubSpotContactMapping} turns contact properties into
 * customer fields first).
 *
 * <table>
 *   <caption>What the default mapping syncs</caption>
 *   <tr><th>local field</th><th>HubSpot</th><th>{@link SyncFlow flow}</th></tr>
 *   <tr><td>firstName, lastName, email, phone</td><td>{@code firstname}, {@code lastname}, {@code email},
 *       {@code phone}</td><td>{@code BIDIRECTIONAL}</td></tr>
 *   <tr><td>segment</td><td>{@code lifecyclestage} (see {@link HubSpotContactMapping})</td><td>{@code BIDIRECTIONAL}</td></tr>
 *   <tr><td>tags</td><td>{@code crmkit_tags}</td><td>{@code BIDIRECTIONAL}</td></tr>
 *   <tr><td>stats.totalOrders</td><td>custom field {@value #ORDERS_FIELD}</td><td>{@code PUSH}</td></tr>
 *   <tr><td>stats.totalRevenue</td><td>custom field {@value #REVENUE_FIELD}</td><td>{@code PUSH}</td></tr>
 * </table>
 *
 * <p>Orders and revenue are kept by the local store (stats cannot be written through
 * {@link dev.crmkit.CustomerSystem}), so they go to two custom fields: configure the provider with
 * {@code customField.totalOrders=<property>} and {@code customField.totalRevenue=<property>} (for
 * instance a custom number property {@code crmkit_orders_count} and HubSpot's {@code total_revenue}).
 * Without them, use {@link #defaultsWithoutOrders()}.
 *
 * @see <a href="https://knowledge.hubspot.com/properties/hubspots-default-contact-properties">HubSpot:
 *     default contact properties</a>
 */
public final class HubSpotFieldMappings {
  /** The custom field the order count is pushed to: {@value}. */
  public static final String ORDERS_FIELD = "totalOrders";
  /** The custom field the revenue amount is pushed to: {@value}. */
  public static final String REVENUE_FIELD = "totalRevenue";

  private HubSpotFieldMappings() {}

  /**
   * Names, email, phone and tags both ways, segment ↔ lifecycle stage, orders and revenue pushed.
   *
   * @return the mapping
   */
  public static FieldMapping defaults() {
    return base()
        .map("stats.totalOrders", "custom." + ORDERS_FIELD, SyncFlow.PUSH, ValueTransform.identity())
        .map("stats.totalRevenue", "custom." + REVENUE_FIELD, SyncFlow.PUSH, ValueTransform.identity())
        .build();
  }

  /**
   * {@link #defaults()} without orders and revenue, for accounts without the two custom fields.
   *
   * @return the mapping
   */
  public static FieldMapping defaultsWithoutOrders() {
    return base().build();
  }

  private static FieldMapping.Builder base() {
    return FieldMapping.builder().field("firstName").field("lastName").field("email").field("phone")
        .field("segment").field("tags");
  }
}
