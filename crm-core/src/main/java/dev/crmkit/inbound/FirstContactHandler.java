package dev.crmkit.inbound;

import dev.crmkit.ActivityDraft;
import dev.crmkit.ActivityType;
import dev.crmkit.Capability;
import dev.crmkit.Customer;
import dev.crmkit.CustomerActivity;
import dev.crmkit.CustomerDraft;
import dev.crmkit.CustomerSystem;
import dev.crmkit.Interaction;
import dev.crmkit.error.ConflictException;
import dev.crmkit.error.ValidationException;
import dev.crmkit.identity.EmailAddresses;
import dev.crmkit.identity.PhoneNumbers;
import dev.crmkit.policy.AutoCreatePolicy;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Handles each inbound message of one tenant: finds the sender's customer (or creates one as the
 * {@link AutoCreatePolicy} says), logs the message as a {@link ActivityType#MESSAGE_RECEIVED}
 * activity, and moves the customer's {@code lastContactAt} forward, through
 * {@link CustomerSystem#logInteraction} (one transaction on the native store).
 *
 * <p><b>Idempotent per message id.</b> The activity is logged under the idempotency key
 * {@code msg:<channel>:<messageId>} (the message id compared exactly: {@code "SM-9 "} is not
 * {@code "SM-9"}); a redelivered message returns {@link FirstContactResult.Outcome#DUPLICATE} and logs
 * nothing. On systems with {@link Capability#IDEMPOTENT_ACTIVITIES} this holds across handlers,
 * processes and restarts: of all deliveries of one message id, to any number of handlers on systems
 * sharing one back end, exactly one returns {@code CREATED} or {@code MATCHED} (the one whose activity
 * the back end recorded, see {@link Interaction#duplicate()}); every other returns {@code DUPLICATE}. On
 * other systems it holds within this handler for the last 100,000 message ids.
 *
 * <p><b>Safe under concurrency.</b> Messages from the same sender are handled one at a time within a
 * handler; across processes, the system's unique identity keys make a second create fail with
 * {@link ConflictException}, and the handler then uses the customer that won. Either way two first
 * messages from one new number create one customer.
 *
 * <p>Thread-safe. Build one per {@link CustomerSystem} and share it.
 */
public final class FirstContactHandler {
  private static final int LOCK_STRIPES = 256;
  private static final int MAX_DESCRIPTION = 2_000;

  private final CustomerSystem system;
  private final AutoCreatePolicy policy;
  private final PhoneNumbers phones;
  private final boolean durableIdempotency;
  private final Cache<String, FirstContactResult> handled;
  private final ReentrantLock[] locks = new ReentrantLock[LOCK_STRIPES];

  private FirstContactHandler(Builder b) {
    this.system = b.system;
    this.policy = b.policy;
    this.phones = b.phones;
    this.durableIdempotency = system.supports(Capability.IDEMPOTENT_ACTIVITIES);
    this.handled = durableIdempotency ? null : Caffeine.newBuilder().maximumSize(100_000).build();
    for (int i = 0; i < LOCK_STRIPES; i++) {
      locks[i] = new ReentrantLock();
    }
  }

  /**
   * A builder for a system; the policy defaults to {@link AutoCreatePolicy#standard()} and phone
   * normalization to region {@code US}.
   *
   * @throws dev.crmkit.error.UnsupportedCapabilityException when the system cannot log activities
   */
  public static Builder builder(CustomerSystem system) {
    return new Builder(system);
  }

  /**
   * Handles one message.
   *
   * @return what was done, with the customer and the logged activity
   * @throws ValidationException naming {@code message} when null, {@code tenantId} when the message is
   *     for another tenant than the system's, {@code from} when the sender's address is malformed, or
   *     {@code lastContactAt} or {@code occurredAt} when {@code receivedAt} is more than one day ahead
   *     of the system's clock (nothing is written then)
   */
  public FirstContactResult handle(InboundMessage message) {
    if (message == null) {
      throw ValidationException.of("message", null, "an inbound message is required");
    }
    if (!message.tenantId().equals(system.tenantId())) {
      throw ValidationException.of("tenantId", message.tenantId(),
          "this handler serves tenant '" + system.tenantId() + "'");
    }
    String senderKey = senderKey(message);
    String idempotencyKey = "msg:" + message.channel().name().toLowerCase(Locale.ROOT) + ":" + message.messageId();
    ReentrantLock lock = locks[Math.floorMod(senderKey.hashCode(), LOCK_STRIPES)];
    lock.lock();
    try {
      if (!durableIdempotency) {
        FirstContactResult earlier = handled.getIfPresent(idempotencyKey);
        if (earlier != null) {
          return earlier;
        }
      }
      FirstContactResult result = handleNew(message, idempotencyKey);
      if (handled != null && result.outcome() != FirstContactResult.Outcome.IGNORED) {
        handled.put(idempotencyKey, new FirstContactResult(
            FirstContactResult.Outcome.DUPLICATE, result.customer(), result.activity()));
      }
      return result;
    } finally {
      lock.unlock();
    }
  }

  /** The DUPLICATE result of a message id the system recorded already, or {@code null}. */
  private FirstContactResult earlierResult(String idempotencyKey) {
    Optional<CustomerActivity> activity = system.findActivity(idempotencyKey);
    return activity
        .map(a -> new FirstContactResult(FirstContactResult.Outcome.DUPLICATE, system.require(a.customerId()), a))
        .orElse(null);
  }

  private FirstContactResult handleNew(InboundMessage message, String idempotencyKey) {
    FirstContactResult.Outcome outcome = FirstContactResult.Outcome.MATCHED;
    Customer customer = find(message).orElse(null);
    if (customer == null) {
      // A known sender needs no look-up of the message id first: logInteraction reports a redelivery as a
      // duplicate. An unknown one does, so a redelivery never creates a customer (say, after the first
      // delivery's customer was deleted) and is never ignored when the first delivery was logged.
      FirstContactResult earlier = durableIdempotency ? earlierResult(idempotencyKey) : null;
      if (earlier != null) {
        return earlier;
      }
      CustomerDraft draft = policy.draftFor(message, system);
      if (draft == null) {
        return new FirstContactResult(FirstContactResult.Outcome.IGNORED, null, null);
      }
      try {
        customer = system.create(draft);
        outcome = FirstContactResult.Outcome.CREATED;
      } catch (ConflictException e) {
        // Another process created the sender between our lookup and our insert: use its record.
        customer = find(message).orElseThrow(() -> e);
      }
    }
    Interaction logged = system.logInteraction(customer.id(), new ActivityDraft(
        ActivityType.MESSAGE_RECEIVED,
        message.channel(),
        describe(message.text()),
        message.receivedAt(),
        Map.of("messageId", message.messageId(), "from", message.from()),
        idempotencyKey));
    if (logged.duplicate()) {
      // Another delivery (another handler, JVM or process) logged this message id first: its outcome is
      // the one that counts, even when this delivery created the customer while racing it.
      outcome = FirstContactResult.Outcome.DUPLICATE;
    }
    return new FirstContactResult(outcome, logged.customer(), logged.activity());
  }

  private Optional<Customer> find(InboundMessage message) {
    return message.fromEmail() ? system.findByEmail(message.from()) : system.findByPhone(message.from());
  }

  private String senderKey(InboundMessage message) {
    try {
      return message.fromEmail()
          ? EmailAddresses.normalize(message.from(), "from")
          : phones.normalize(message.from(), "from").matchKey();
    } catch (ValidationException e) {
      throw new ValidationException(null, e.fieldErrors());
    }
  }

  private static String describe(String text) {
    if (text == null) {
      return null;
    }
    if (text.length() <= MAX_DESCRIPTION) {
      return text;
    }
    int end = MAX_DESCRIPTION - 1;
    // Never cut an emoji or other surrogate pair in half: a lone surrogate cannot be stored.
    if (Character.isHighSurrogate(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(0, end) + "…";
  }

  /** Configures a {@link FirstContactHandler}; not thread-safe. */
  public static final class Builder {
    private final CustomerSystem system;
    private AutoCreatePolicy policy = AutoCreatePolicy.standard();
    private PhoneNumbers phones = PhoneNumbers.forRegion("US");

    private Builder(CustomerSystem system) {
      this.system = Objects.requireNonNull(system, "system");
      if (!system.supports(Capability.ACTIVITIES)) {
        throw new dev.crmkit.error.UnsupportedCapabilityException(system.providerName(), Capability.ACTIVITIES);
      }
    }

    /** The policy for unknown senders; default {@link AutoCreatePolicy#standard()}. */
    public Builder policy(AutoCreatePolicy v) { policy = Objects.requireNonNull(v, "policy"); return this; }

    /**
     * The tenant's default region for reading phone numbers; default {@code US}. Use the same region
     * as the tenant's {@link dev.crmkit.TenantConfig#defaultRegion()}.
     *
     * @throws NullPointerException naming {@code region} when null
     * @throws IllegalArgumentException naming {@code region} and the value when libphonenumber does not know it
     */
    public Builder defaultRegion(String v) { phones = PhoneNumbers.forRegion(v); return this; }

    public FirstContactHandler build() {
      return new FirstContactHandler(this);
    }
  }
}
