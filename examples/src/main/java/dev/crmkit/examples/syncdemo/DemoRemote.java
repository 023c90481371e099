package dev.crmkit.examples.syncdemo;

import dev.crmkit.CustomerField;
import dev.crmkit.CustomerSystem;
import dev.crmkit.sync.FieldMapping;
import dev.crmkit.webhook.ChangeEvent;
import java.util.List;
import java.util.function.Consumer;

/**
 * The vendor side of the sync demo: a vendor emulator on loopback, the vendor's provider configured
 * for it, its default sync mapping, its real-time channel into a host endpoint (HubSpot's signed
 * webhooks, Salesforce's outbound messages), the emulator's "vendor UI" edits and its request
 * counters. Everything vendor-specific of {@link SyncDemoRunner} lives behind it; the runner's
 * phases and report are the same for every vendor.
 *
 * <p>Not thread-safe: one demo run at a time.
 */
interface DemoRemote extends AutoCloseable {

  /**
   * Starts the emulator and the endpoint for {@code remote}.
   *
   * @param remote which vendor
   * @param tenantId the tenant whose provider is configured
   * @param rateLimits whether the emulator enforces the vendor's short-window rate limits and the provider
   *     paces itself (HubSpot; Salesforce has a daily allocation only, always on)
   * @param events receives each delivery's verified events, in payload order, before the endpoint answers;
   *     an exception makes the endpoint refuse the delivery, so the vendor sends it again
   * @return the running remote; close it to stop both
   */
  static DemoRemote start(SyncDemoRunner.Remote remote, String tenantId, boolean rateLimits,
      Consumer<List<ChangeEvent>> events) {
    return switch (remote) {
      case HUBSPOT -> HubSpotDemoRemote.start(tenantId, rateLimits, events);
      case SALESFORCE -> SalesforceDemoRemote.start(tenantId, events);
    };
  }

  /**
   * What one flush of the real-time channel did.
   *
   * @param posts POSTs the vendor made to the endpoint
   * @param refused of those, the ones the endpoint did not accept (the vendor delivers them again)
   */
  record Deliveries(int posts, int refused) {}

  /**
   * The vendor's request counters at one moment.
   *
   * @param calls API requests the provider made since the emulator started
   * @param limited of those, answered with the vendor's rate-limit error
   * @param daily the org's daily API usage as the vendor last reported it to the provider; {@code null} when
   *     the vendor reports none
   */
  record Usage(long calls, long limited, SyncDemoReport.DailyApiUsage daily) {}

  /** @return how the report names the vendor and its channel */
  SyncDemoReport.RemoteInfo info();

  /** @return the provider's system on the emulator */
  CustomerSystem system();

  /** @return the provider's default sync mapping */
  FieldMapping mapping();

  /**
   * @param field {@link CustomerField#FIRST_NAME} or {@link CustomerField#LAST_NAME}
   * @return the vendor's name of the field, as its UI and API show it
   */
  String fieldName(CustomerField field);

  /**
   * Changes one field of a record in the vendor UI (on the emulator, no provider call).
   *
   * @param id the vendor's id of a live record
   * @param field {@link CustomerField#FIRST_NAME} or {@link CustomerField#LAST_NAME}
   * @param value the new value
   */
  void edit(String id, CustomerField field, String value);

  /** Deletes a record in the vendor UI. */
  void delete(String id);

  /** Merges {@code mergedId} into {@code survivorId} in the vendor UI. */
  void merge(String survivorId, String mergedId);

  /** Sends every queued real-time event to the endpoint and waits for its answers. */
  Deliveries deliver();

  /**
   * @return whether the vendor marks {@code event} as caused by the demo's own API writes, so the endpoint can
   *     drop it; false when the vendor's events carry no such mark
   */
  boolean isOwnWrite(ChangeEvent event);

  /** @return the counters now */
  Usage usage();

  /** Stops the emulator and the endpoint. */
  @Override
  void close();
}
