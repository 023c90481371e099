/**
 * A stateful emulator of Salesforce's REST API for tests: sObject CRUD and describe, a SOQL subset
 * with query paging, queryAll, get updated and get deleted, sObject Collections, composite, Bulk
 * API 2.0 ingest jobs, the OAuth token endpoint with expiring sessions, the daily API allocation
 * with {@code Sforce-Limit-Info}, a duplicate rule, injected faults and outbound messages. Start a {@link
 * dev.crmkit.testkit.salesforce.SalesforceEmulator}, point the code under test at its base URL and
 * access token, and inspect its counters, inject faults or change records through its test hooks.
 */
package dev.crmkit.testkit.salesforce;
