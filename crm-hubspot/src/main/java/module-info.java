/**
 * crmkit's HubSpot CRM v3 provider and webhook handler ({@code dev.crmkit.hubspot}). {@code
 * dev.crmkit.hubspot.internal} is not exported.
 *
 * <p>crm-sync is optional: only the default field mappings use it, so a host that does not sync
 * need not have it.
 */
module dev.crmkit.hubspot {
  requires transitive dev.crmkit.core;
  requires transitive dev.crmkit.http;
  // HubSpotFieldMappings returns sync types: a host that calls it has crm-sync and reads it.
  requires static transitive dev.crmkit.sync;
  requires okhttp3;
  requires com.fasterxml.jackson.databind;

  exports dev.crmkit.hubspot;

  provides dev.crmkit.CustomerSystemProvider with dev.crmkit.hubspot.HubSpotCustomerSystemProvider;
}
