/**
 * crmkit's Salesforce provider ({@code dev.crmkit.salesforce}). {@code dev.crmkit.salesforce.internal}
 * is not exported.
 */
module dev.crmkit.salesforce {
  requires transitive dev.crmkit.core;
  requires transitive dev.crmkit.http;
  requires static transitive dev.crmkit.sync;
  requires okhttp3;
  requires com.fasterxml.jackson.databind;
  requires java.xml;

  exports dev.crmkit.salesforce;

  provides dev.crmkit.CustomerSystemProvider with dev.crmkit.salesforce.SalesforceCustomerSystemProvider;
}
