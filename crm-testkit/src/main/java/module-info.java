/**
 * crmkit's test kit: the provider contract suite, the sync-store contract, the sync scenarios every
 * remote provider runs, and vendor emulators with their OpenAPI conformance checks. For tests only.
 */
module dev.crmkit.testkit {
  requires transitive dev.crmkit.core;
  requires transitive dev.crmkit.sync;
  requires transitive org.junit.jupiter.api;
  requires org.junit.jupiter.params;
  requires transitive org.assertj.core;
  requires transitive mockwebserver3;
  requires transitive okhttp3;
  requires transitive com.fasterxml.jackson.databind;
  requires com.networknt.schema;
  requires java.net.http;
  requires java.xml;
  requires java.sql;

  exports dev.crmkit.testkit;
  exports dev.crmkit.testkit.hubspot;
  exports dev.crmkit.testkit.openapi;
  exports dev.crmkit.testkit.salesforce;
  exports dev.crmkit.testkit.sync;

  // The contract suites' test methods and nested classes are package-private; JUnit reads them
  // reflectively.
  opens dev.crmkit.testkit to org.junit.platform.commons;
  opens dev.crmkit.testkit.sync to org.junit.platform.commons;
}
