package dev.crmkit.testkit.hubspot;

/**
 * Who made a change, as HubSpot's webhook events report it in {@code changeSource} and {@code
 * sourceId}: the app through the API, a user in HubSpot's UI (the emulator's test hooks), or an
 * import (the emulator's seeding).
 */
enum ChangeSource {
  INTEGRATION,
  CRM_UI,
  IMPORT
}
