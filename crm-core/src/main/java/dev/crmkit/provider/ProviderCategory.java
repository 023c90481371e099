package dev.crmkit.provider;

/**
 * What kind of tool a provider connects to; the catalogue groups providers by it.
 */
public enum ProviderCategory {
  /**
   * A CRM that keeps customers, notes and activities: HubSpot, Salesforce, Pipedrive, and the stores
   * crmkit runs itself (the native store, the in-memory store).
   */
  CRM,
  /** A shop whose orders and buyers feed customer statistics: Shopify, WooCommerce. */
  COMMERCE,
  /** A support desk whose tickets become activities: Zendesk. */
  SUPPORT
}
