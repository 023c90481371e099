/**
 * A stateful emulator of HubSpot's CRM v3 contacts API for tests: start a {@link
 * dev.crmkit.testkit.hubspot.HubSpotEmulator}, point the code under test at its base URL and
 * access token, and inspect its counters or inject faults.
 */
package dev.crmkit.testkit.hubspot;
