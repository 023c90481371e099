package dev.crmkit.actions;

import dev.crmkit.Customer;
import dev.crmkit.CustomerSystem;
import dev.crmkit.policy.AutoCreatePolicy;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;

/**
 * What an {@link EventAction} works with while it handles one event. Made by {@link EventActions} for each
 * attempt; not thread-safe (an action runs on one thread).
 */
public interface ActionContext {

  /** Length of every key {@link #idempotencyKey} returns: {@value}. */
  int KEY_LENGTH = 51;

  /** The tenant's system. */
  CustomerSystem system();

  /**
   * The event's customer, found by {@link CustomerRef} (id, else phone, else email) or, when none
   * matches a phone or email, created as the tenant's {@link #policy()} says. Resolved on the first call
   * and kept for the attempt.
   *
   * @throws dev.crmkit.error.NotFoundException when the reference is an id only and no customer has it
   * @throws dev.crmkit.error.ValidationException naming {@code customer} when no customer matches and
   *     the policy creates none
   */
  Customer customer();

  /** The event's customer when one matches its reference, without creating one. */
  Optional<Customer> findCustomer();

  /** The tenant's policy for unknown customers. */
  AutoCreatePolicy policy();

  /** This attempt's number: 1 for the first, counting every claim since the event was appended or replayed. */
  int attempt();

  /** The processor's clock reading when this attempt began. */
  Instant now();

  /**
   * The idempotency key of one write of this event: the same for every attempt of the event, different
   * for every tenant, event id and step. {@code "ev-"} and 48 lower-case hex digits (the first 192 bits of
   * SHA-256 over the tenant id, event id and step), so it is valid for every provider (HubSpot's
   * {@code [A-Za-z0-9-]{1,64}} and the SPI's 200-character limit alike).
   *
   * @param step names the write within the event, such as {@code "deal"} or {@code "meeting"}; not null
   */
  String idempotencyKey(String step);

  /**
   * Adds a line to the event's outcome, kept with the done event (see {@link OutboxEntry#outcome()}):
   * what was written, and what was not because the system cannot (a degraded default action says so here).
   */
  void report(String line);

  /**
   * The key {@link #idempotencyKey} returns for a tenant, event id and step.
   *
   * @throws NullPointerException naming the null argument
   */
  static String idempotencyKey(String tenantId, String eventId, String step) {
    java.util.Objects.requireNonNull(tenantId, "tenantId");
    java.util.Objects.requireNonNull(eventId, "eventId");
    java.util.Objects.requireNonNull(step, "step");
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      // Length-prefixed, so ("a:b", "c") and ("a", "b:c") never share a key.
      for (String part : new String[] {tenantId, eventId, step}) {
        byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
        sha.update((bytes.length + ":").getBytes(StandardCharsets.US_ASCII));
        sha.update(bytes);
      }
      byte[] digest = sha.digest();
      return "ev-" + HexFormat.of().formatHex(digest, 0, 24);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }
}
