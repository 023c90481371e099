package dev.crmkit.actions;

import dev.crmkit.Channel;
import dev.crmkit.Customer;
import dev.crmkit.CustomerDraft;
import dev.crmkit.CustomerSystem;
import dev.crmkit.error.ApiConnectionException;
import dev.crmkit.error.ConfigurationException;
import dev.crmkit.error.ConflictException;
import dev.crmkit.error.CrmException;
import dev.crmkit.error.NotFoundException;
import dev.crmkit.error.RateLimitedException;
import dev.crmkit.error.ServerException;
import dev.crmkit.error.ValidationException;
import dev.crmkit.inbound.InboundMessage;
import dev.crmkit.policy.AutoCreatePolicy;
import dev.crmkit.spi.Secrets;
import dev.crmkit.spi.TenantIds;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns host events into CRM writes: {@link #submit} puts an event in the outbox, and processing
 * ({@link #runOnce()}, {@link #processBatch()}, or the background poller of {@link #start()}) claims due
 * events, resolves each event's customer, runs the tenant's {@link EventAction} and records the result.
 *
 * <pre>{@code
 * EventActions actions = EventActions.builder()
 *     .outbox(new JdbcEventOutbox(dataSource))          // or new InMemoryEventOutbox()
 *     .systems(tenantId -> factory.get(configOf(tenantId)))
 *     .build();
 * actions.submit(new CallCompleted("acme", "call-17", CustomerRef.byPhone("+14155550100"), endedAt,
 *     Duration.ofMinutes(4), CallOutcome.COMPLETED, "wants a quote"));
 * actions.start();                                      // or call runOnce() from the host's scheduler
 * }</pre>
 *
 * <h2>Delivery</h2>
 *
 * <ul>
 *   <li><b>Once per event id.</b> A second submission of a tenant's event id is {@link SubmitResult#DUPLICATE}
 *       and changes nothing. An event whose worker died mid-way is claimed again when its lease ends, and
 *       its action runs again: the default actions' writes carry idempotency keys derived from the tenant,
 *       event id and step ({@link ActionContext#idempotencyKey}), so they are made once.
 *   <li><b>Retries.</b> A retryable failure ({@link RateLimitedException}, {@link ApiConnectionException},
 *       {@link ServerException}, or an exception that is not a {@link CrmException}) schedules another attempt
 *       after {@code min(maxBackoff, initialBackoff × multiplier^(attempt−1))}, reduced by up to
 *       {@code jitter} of itself at random, and never before a rate limit's {@code retryAfter}. After
 *       {@code maxAttempts} attempts the event is parked.
 *   <li><b>Permanent failures</b> ({@link ValidationException}, {@link NotFoundException},
 *       {@link ConfigurationException}, and every other {@code CrmException}: conflict, authentication,
 *       unsupported capability) park the event at once. So does a payload that cannot be read. A parked
 *       event keeps its error (with secrets in URLs masked, see {@link Secrets#redactUrl}) and is listed by
 *       {@link #failed} and retried by {@link #replay}.
 *   <li><b>Several processes.</b> Any number of processors may drain one outbox; the outbox hands each due
 *       event to one of them at a time (see {@link EventOutbox}). Choose the lease longer than an event's
 *       writes can take: a worker whose lease ends mid-way may see its event taken and run again by another.
 * </ul>
 *
 * <h2>Customers</h2>
 *
 * The event's {@link CustomerRef} is resolved by id, else phone, else email. A phone or email that no
 * customer has follows the tenant's {@link AutoCreatePolicy}, given the event as an {@link InboundMessage}
 * from that phone or email (on the event's channel where it has one — a message's, {@link Channel#PHONE}
 * for a call, a document's — else {@link Channel#EMAIL} for an email and {@link Channel#OTHER} for a phone).
 * A policy that creates nobody, or an id no customer has, parks the event with an error naming the customer.
 *
 * <p>Thread-safe. {@link #close()} stops the poller; it does not close the outbox or the systems.
 */
public final class EventActions implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EventActions.class);
  /** Batches {@link #runOnce()} processes at most before it returns, so a flood cannot hold it forever. */
  static final int MAX_BATCHES_PER_RUN = 10_000;

  private final EventOutbox outbox;
  private final Function<String, CustomerSystem> systems;
  private final Function<String, ActionMapping> mappings;
  private final Function<String, AutoCreatePolicy> policies;
  private final Clock clock;
  private final int maxAttempts;
  private final Duration initialBackoff;
  private final double multiplier;
  private final Duration maxBackoff;
  private final double jitter;
  private final DoubleSupplier random;
  private final Duration lease;
  private final String workerId;
  private final int batchSize;
  private final Duration pollInterval;
  private final Object lifecycle = new Object();
  private final AtomicBoolean drainQueued = new AtomicBoolean();
  private ScheduledExecutorService poller;
  private boolean closed;

  private EventActions(Builder b) {
    this.outbox = b.outbox;
    this.systems = b.systems;
    this.mappings = b.mappings;
    this.policies = b.policies;
    this.clock = b.clock;
    this.maxAttempts = b.maxAttempts;
    this.initialBackoff = b.initialBackoff;
    this.multiplier = b.multiplier;
    this.maxBackoff = b.maxBackoff;
    this.jitter = b.jitter;
    this.random = b.random;
    this.lease = b.lease;
    this.workerId = b.workerId != null ? b.workerId : defaultWorkerId();
    this.batchSize = b.batchSize;
    this.pollInterval = b.pollInterval;
  }

  /** A new builder; {@link Builder#outbox} and {@link Builder#systems} are required. */
  public static Builder builder() {
    return new Builder();
  }

  /** This processor's worker id, as the outbox records it on claimed events. */
  public String workerId() {
    return workerId;
  }

  /**
   * Puts an event in the outbox, due now. When the poller runs, it is woken to process the event soon.
   *
   * @return {@link SubmitResult#ACCEPTED}, or {@link SubmitResult#DUPLICATE} when the tenant submitted
   *     this event id before (nothing changes then)
   * @throws ValidationException naming {@code event} when null
   * @throws CrmException as the outbox throws (a database that cannot be reached)
   */
  public SubmitResult submit(HostEvent event) {
    if (event == null) {
      throw ValidationException.of("event", null, "an event is required");
    }
    boolean added = outbox.append(event, clock.instant());
    if (added) {
      wake();
    }
    return added ? SubmitResult.ACCEPTED : SubmitResult.DUPLICATE;
  }

  /**
   * Processes what is due until nothing is: {@link #processBatch()} again and again, at most
   * {@value #MAX_BATCHES_PER_RUN} times. Events retried during the run are due later and wait.
   *
   * @return the sum of the batches' reports
   * @throws CrmException as the outbox throws; an action's failure never escapes (it is recorded)
   */
  public ProcessingReport runOnce() {
    ProcessingReport total = ProcessingReport.EMPTY;
    for (int i = 0; i < MAX_BATCHES_PER_RUN; i++) {
      ProcessingReport batch = processBatch();
      total = total.plus(batch);
      if (batch.claimed() == 0) {
        break;
      }
    }
    return total;
  }

  /**
   * Claims up to the batch size of due events and processes them one after another on this thread.
   *
   * @return what was done
   * @throws CrmException as the outbox throws; an action's failure never escapes (it is recorded)
   */
  public ProcessingReport processBatch() {
    List<OutboxEntry> claimed = outbox.claim(workerId, batchSize, clock.instant(), lease);
    int done = 0;
    int retried = 0;
    int parked = 0;
    int lost = 0;
    for (OutboxEntry entry : claimed) {
      switch (process(entry)) {
        case DONE -> done++;
        case RETRIED -> retried++;
        case PARKED -> parked++;
        case LOST -> lost++;
      }
    }
    return new ProcessingReport(claimed.size(), done, retried, parked, lost);
  }

  private enum Result { DONE, RETRIED, PARKED, LOST }

  private Result process(OutboxEntry entry) {
    Instant now = clock.instant();
    HostEvent event;
    try {
      event = HostEventCodec.decode(entry.payload());
    } catch (ValidationException e) {
      return park(entry, "unreadable event payload (type " + entry.eventType() + "): " + describe(e), now);
    }
    if (!event.tenantId().equals(entry.tenantId()) || !event.eventId().equals(entry.eventId())) {
      return park(entry, "the payload names tenant " + TenantIds.printable(event.tenantId()) + " and event "
          + ValidationPrint.of(event.eventId()) + ", not the entry's", now);
    }
    if (entry.attempts() > maxAttempts) {
      return park(entry, "gave up after " + (entry.attempts() - 1) + " attempts; the last ended without a result "
          + "(its worker died or lost its lease)" + (entry.lastError() == null ? "" : "; last error: " + entry.lastError()),
          now);
    }
    Context context = null;
    try {
      CustomerSystem system = systems.apply(entry.tenantId());
      if (system == null) {
        throw new ConfigurationException("no customer system for tenant " + TenantIds.printable(entry.tenantId()));
      }
      if (!system.tenantId().equals(entry.tenantId())) {
        throw new ConfigurationException("the customer system for tenant " + TenantIds.printable(entry.tenantId())
            + " serves tenant " + TenantIds.printable(system.tenantId()));
      }
      ActionMapping mapping = Objects.requireNonNullElse(mappings.apply(entry.tenantId()), ActionMapping.defaults());
      AutoCreatePolicy policy = Objects.requireNonNullElse(policies.apply(entry.tenantId()), AutoCreatePolicy.never());
      context = new Context(event, system, policy, entry.attempts(), now);
      Optional<EventAction> action = mapping.actionFor(event.type());
      if (action.isEmpty()) {
        context.report("no action is mapped for " + event.type() + " events of this tenant; nothing written");
      } else {
        action.get().perform(event, context);
      }
    } catch (RuntimeException e) {
      String error = describe(e);
      if (!retryable(e)) {
        return park(entry, error, clock.instant());
      }
      if (entry.attempts() >= maxAttempts) {
        return park(entry, "gave up after " + entry.attempts() + " attempts: " + error, clock.instant());
      }
      Instant failedAt = clock.instant();
      Duration delay = backoff(entry.attempts());
      if (e instanceof RateLimitedException r && r.retryAfter() != null && r.retryAfter().compareTo(delay) > 0) {
        delay = r.retryAfter();
      }
      if (!outbox.fail(entry.tenantId(), entry.eventId(), workerId, error, failedAt.plus(delay), failedAt)) {
        return lostLease(entry);
      }
      LOG.debug("event {} of tenant {}: attempt {} failed, next in {}: {}", entry.eventId(), entry.tenantId(),
          entry.attempts(), delay, error);
      return Result.RETRIED;
    }
    if (!outbox.complete(entry.tenantId(), entry.eventId(), workerId, context.outcome(), clock.instant())) {
      return lostLease(entry);
    }
    return Result.DONE;
  }

  private Result park(OutboxEntry entry, String error, Instant now) {
    if (!outbox.fail(entry.tenantId(), entry.eventId(), workerId, error, null, now)) {
      return lostLease(entry);
    }
    LOG.warn("event {} of tenant {} parked after {} attempt(s): {}", entry.eventId(),
        TenantIds.printable(entry.tenantId()), entry.attempts(), error);
    return Result.PARKED;
  }

  private Result lostLease(OutboxEntry entry) {
    LOG.warn("event {} of tenant {}: worker {} lost its lease before recording the result; another worker has it",
        entry.eventId(), TenantIds.printable(entry.tenantId()), workerId);
    return Result.LOST;
  }

  private static boolean retryable(RuntimeException e) {
    if (e instanceof RateLimitedException || e instanceof ApiConnectionException || e instanceof ServerException) {
      return true;
    }
    return !(e instanceof CrmException);
  }

  /** The delay before attempt {@code attempt + 1}. */
  Duration backoff(int attempt) {
    double millis = initialBackoff.toMillis() * Math.pow(multiplier, Math.max(0, attempt - 1));
    millis = Math.min(millis, maxBackoff.toMillis());
    millis -= millis * jitter * random.getAsDouble();
    return Duration.ofMillis(Math.max(1, Math.round(millis)));
  }

  /** An error as stored: its type, what the CRM said, and nothing secret. */
  static String describe(Throwable e) {
    StringBuilder b = new StringBuilder(e.getClass().getSimpleName());
    if (e instanceof CrmException c) {
      if (c.provider() != null) {
        b.append(" [").append(c.provider());
        if (c.httpStatus() != 0) {
          b.append(' ').append(c.httpStatus());
        }
        if (c.requestId() != null) {
          b.append(", request ").append(c.requestId());
        }
        b.append(']');
      }
    }
    if (e.getMessage() != null) {
      b.append(": ").append(Secrets.redactUrl(e.getMessage()));
    }
    return OutboxLimits.cut(b.toString());
  }

  /**
   * The tenant's parked events, oldest first.
   *
   * @param limit 1 to 1,000
   * @throws IllegalArgumentException naming {@code limit} when out of range
   */
  public List<OutboxEntry> failed(String tenantId, int limit) {
    return outbox.parked(tenantId, OutboxLimits.max(limit, "limit"));
  }

  /**
   * Puts a parked event back in line, due now, with its attempts reset.
   *
   * @return {@code false} when the tenant has no such event or it is not parked
   */
  public boolean replay(String tenantId, String eventId) {
    boolean replayed = outbox.replay(tenantId, eventId, clock.instant());
    if (replayed) {
      wake();
    }
    return replayed;
  }

  /** The event's entry (status, attempts, last error, outcome), or empty when the tenant never submitted it. */
  public Optional<OutboxEntry> status(String tenantId, String eventId) {
    return outbox.find(tenantId, eventId);
  }

  /** How many of the tenant's events are in each status. */
  public Map<OutboxStatus, Long> counts(String tenantId) {
    return outbox.counts(tenantId);
  }

  /**
   * Starts the background poller: one daemon thread that runs {@link #runOnce()} every poll interval and
   * soon after each accepted {@link #submit}. Failures of the outbox are logged and retried at the next poll.
   *
   * @throws IllegalStateException when already started or closed
   */
  public void start() {
    synchronized (lifecycle) {
      if (closed) {
        throw new IllegalStateException("this EventActions is closed");
      }
      if (poller != null) {
        throw new IllegalStateException("already started");
      }
      ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "crmkit-event-actions-" + workerId);
        t.setDaemon(true);
        return t;
      });
      executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
      executor.scheduleWithFixedDelay(this::drainQuietly, 0, pollInterval.toMillis(), TimeUnit.MILLISECONDS);
      poller = executor;
    }
  }

  private void wake() {
    synchronized (lifecycle) {
      if (poller != null && !closed && drainQueued.compareAndSet(false, true)) {
        poller.execute(this::drainQuietly);
      }
    }
  }

  private void drainQuietly() {
    drainQueued.set(false);
    try {
      runOnce();
    } catch (RuntimeException e) {
      LOG.warn("event actions worker {}: processing failed, retrying at the next poll: {}", workerId, describe(e));
    }
  }

  /**
   * Stops the poller and waits up to the lease for the batch in progress to finish. Idempotent. Events
   * claimed and not finished are claimed again by any processor after their lease.
   */
  @Override
  public void close() {
    ScheduledExecutorService p;
    synchronized (lifecycle) {
      closed = true;
      p = poller;
      poller = null;
    }
    if (p != null) {
      p.shutdown();
      try {
        p.awaitTermination(lease.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static String defaultWorkerId() {
    return "pid" + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** A value in a message: cut, controls escaped. */
  private static final class ValidationPrint {
    static String of(String v) {
      return "'" + dev.crmkit.spi.Validation.abbreviate(v) + "'";
    }
  }

  /** One attempt's context: resolves the customer once. */
  private static final class Context implements ActionContext {
    private final HostEvent event;
    private final CustomerSystem system;
    private final AutoCreatePolicy policy;
    private final int attempt;
    private final Instant now;
    private final List<String> report = new ArrayList<>();
    private Customer customer;

    Context(HostEvent event, CustomerSystem system, AutoCreatePolicy policy, int attempt, Instant now) {
      this.event = event;
      this.system = system;
      this.policy = policy;
      this.attempt = attempt;
      this.now = now;
    }

    @Override public CustomerSystem system() { return system; }
    @Override public AutoCreatePolicy policy() { return policy; }
    @Override public int attempt() { return attempt; }
    @Override public Instant now() { return now; }

    @Override
    public String idempotencyKey(String step) {
      return ActionContext.idempotencyKey(event.tenantId(), event.eventId(), step);
    }

    @Override
    public void report(String line) {
      if (line != null && !line.isBlank()) {
        report.add(line.strip());
      }
    }

    String outcome() {
      return report.isEmpty() ? null : OutboxLimits.cut(String.join("; ", report));
    }

    @Override
    public Optional<Customer> findCustomer() {
      if (customer != null) {
        return Optional.of(customer);
      }
      CustomerRef ref = event.customer();
      if (ref.id() != null) {
        Optional<Customer> byId = system.get(ref.id()).filter(c -> !c.isDeleted());
        if (byId.isPresent()) {
          return byId;
        }
      }
      if (ref.phone() != null) {
        Optional<Customer> byPhone = system.findByPhone(ref.phone());
        if (byPhone.isPresent()) {
          return byPhone;
        }
      }
      return ref.email() == null ? Optional.empty() : system.findByEmail(ref.email());
    }

    @Override
    public Customer customer() {
      if (customer != null) {
        return customer;
      }
      Optional<Customer> found = findCustomer();
      if (found.isPresent()) {
        customer = found.get();
        return customer;
      }
      CustomerRef ref = event.customer();
      if (ref.phone() == null && ref.email() == null) {
        throw new NotFoundException(system.providerName(), "customer", ref.id());
      }
      InboundMessage asMessage = asMessage(event, ref, idempotencyKey("customer"));
      CustomerDraft draft = policy.draftFor(asMessage, system);
      if (draft == null) {
        throw ValidationException.of("customer", ref.toString(),
            "no customer matches and the tenant's AutoCreatePolicy creates none for a " + event.type() + " event");
      }
      try {
        customer = system.create(draft);
        report("customer " + customer.id() + " created by the tenant's AutoCreatePolicy");
      } catch (ConflictException e) {
        // Another worker or process created the customer between our lookup and our insert: use its record.
        customer = findCustomer().orElseThrow(() -> e);
      }
      return customer;
    }

    private static InboundMessage asMessage(HostEvent event, CustomerRef ref, String messageId) {
      Channel channel = null;
      String senderName = null;
      String text = null;
      if (event instanceof MessageReceived m) {
        channel = m.channel();
        senderName = m.senderName();
        text = m.text();
      } else if (event instanceof CallCompleted) {
        channel = Channel.PHONE;
      } else if (event instanceof DocumentSent d) {
        channel = d.channel();
      }
      String from;
      if (channel == Channel.EMAIL) {
        from = ref.email() != null ? ref.email() : ref.phone();
      } else {
        from = ref.phone() != null ? ref.phone() : ref.email();
      }
      if (channel == null) {
        channel = from.indexOf('@') > 0 ? Channel.EMAIL : Channel.OTHER;
      }
      return new InboundMessage(event.tenantId(), channel, from, senderName, text, messageId, event.occurredAt());
    }
  }

  /**
   * Configures {@link EventActions}. Each setter checks its value at once ({@link NullPointerException} or
   * {@link IllegalArgumentException} naming it); {@link #build()} checks that the outbox and systems are
   * given. Not thread-safe.
   */
  public static final class Builder {
    private EventOutbox outbox;
    private Function<String, CustomerSystem> systems;
    private Function<String, ActionMapping> mappings = tenant -> ActionMapping.defaults();
    private Function<String, AutoCreatePolicy> policies = tenant -> AutoCreatePolicy.standard();
    private Clock clock = Clock.systemUTC();
    private int maxAttempts = 3;
    private Duration initialBackoff = Duration.ofSeconds(1);
    private double multiplier = 2.0;
    private Duration maxBackoff = Duration.ofMinutes(5);
    private double jitter = 0.2;
    private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();
    private Duration lease = Duration.ofMinutes(5);
    private String workerId;
    private int batchSize = 50;
    private Duration pollInterval = Duration.ofSeconds(1);

    private Builder() {}

    /** Where events wait; required. */
    public Builder outbox(EventOutbox v) { outbox = Objects.requireNonNull(v, "outbox"); return this; }

    /**
     * The tenant's system for a tenant id; required. Called once per event attempt: return a cached
     * instance (as {@link dev.crmkit.IntegrationFactory} does). {@code null} or a
     * {@link ConfigurationException} parks the event.
     */
    public Builder systems(Function<String, CustomerSystem> v) { systems = Objects.requireNonNull(v, "systems"); return this; }

    /** Each tenant's actions; default {@link ActionMapping#defaults()} for every tenant ({@code null} means that too). */
    public Builder mappings(Function<String, ActionMapping> v) { mappings = Objects.requireNonNull(v, "mappings"); return this; }

    /** One mapping for every tenant. */
    public Builder mapping(ActionMapping v) {
      Objects.requireNonNull(v, "mapping");
      mappings = tenant -> v;
      return this;
    }

    /**
     * Each tenant's policy for unknown customers; default {@link AutoCreatePolicy#standard()} for every tenant
     * ({@code null} means {@link AutoCreatePolicy#never()}).
     */
    public Builder policies(Function<String, AutoCreatePolicy> v) { policies = Objects.requireNonNull(v, "policies"); return this; }

    /** One policy for every tenant. */
    public Builder policy(AutoCreatePolicy v) {
      Objects.requireNonNull(v, "policy");
      policies = tenant -> v;
      return this;
    }

    /** The clock for due times, leases and records; default {@link Clock#systemUTC()}. */
    public Builder clock(Clock v) { clock = Objects.requireNonNull(v, "clock"); return this; }

    /**
     * Attempts before a retryable failure parks the event, 1 to 100; default 3.
     *
     * @throws IllegalArgumentException naming {@code maxAttempts} when out of range
     */
    public Builder maxAttempts(int v) {
      if (v < 1 || v > 100) {
        throw new IllegalArgumentException("maxAttempts must be 1 to 100: " + v);
      }
      maxAttempts = v;
      return this;
    }

    /**
     * The retry delays: the first {@code initial} (default 1 s), each next one {@code multiplier} times
     * the last (default 2.0), never more than {@code max} (default 5 min).
     *
     * @throws IllegalArgumentException naming {@code initial} when not positive, {@code multiplier} when
     *     below 1 or not finite, {@code max} when less than {@code initial}
     */
    public Builder backoff(Duration initial, double multiplier, Duration max) {
      Objects.requireNonNull(initial, "initial");
      Objects.requireNonNull(max, "max");
      if (initial.isNegative() || initial.toMillis() < 1) {
        throw new IllegalArgumentException("initial backoff must be at least 1 ms: " + initial);
      }
      if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
        throw new IllegalArgumentException("multiplier must be at least 1.0 and finite: " + multiplier);
      }
      if (max.compareTo(initial) < 0) {
        throw new IllegalArgumentException("max backoff " + max + " is less than initial backoff " + initial);
      }
      this.initialBackoff = initial;
      this.multiplier = multiplier;
      this.maxBackoff = max;
      return this;
    }

    /**
     * The share of each delay taken off at random, 0 (none) to 1; default 0.2, so that retries of many
     * events spread out.
     *
     * @throws IllegalArgumentException naming {@code jitter} when out of range
     */
    public Builder jitter(double v) {
      if (!(v >= 0.0 && v <= 1.0)) {
        throw new IllegalArgumentException("jitter must be 0 to 1: " + v);
      }
      jitter = v;
      return this;
    }

    /** The source of jitter, values in [0, 1); default {@link ThreadLocalRandom}. For tests. */
    public Builder random(DoubleSupplier v) { random = Objects.requireNonNull(v, "random"); return this; }

    /**
     * How long a claimed event is this worker's before another may take it; default 5 min. Choose it
     * longer than an event's writes can take.
     *
     * @throws IllegalArgumentException naming {@code lease} when not positive
     */
    public Builder lease(Duration v) { lease = OutboxLimits.lease(v); return this; }

    /**
     * The worker id recorded on claimed events, 1 to 100 characters, unique among live workers; default
     * {@code pid<process id>-} and 8 random hex digits.
     *
     * @throws IllegalArgumentException naming {@code workerId} when blank or too long
     */
    public Builder workerId(String v) { workerId = OutboxLimits.workerId(v); return this; }

    /**
     * Events claimed per batch, 1 to 1,000; default 50.
     *
     * @throws IllegalArgumentException naming {@code batchSize} when out of range
     */
    public Builder batchSize(int v) { batchSize = OutboxLimits.max(v, "batchSize"); return this; }

    /**
     * How often the poller of {@link EventActions#start()} looks for due events; default 1 s, at least 10 ms.
     *
     * @throws IllegalArgumentException naming {@code pollInterval} when shorter than 10 ms
     */
    public Builder pollInterval(Duration v) {
      Objects.requireNonNull(v, "pollInterval");
      if (v.toMillis() < 10) {
        throw new IllegalArgumentException("pollInterval must be at least 10 ms: " + v);
      }
      pollInterval = v;
      return this;
    }

    /** @throws IllegalStateException naming {@code outbox} or {@code systems} when not given */
    public EventActions build() {
      if (outbox == null) {
        throw new IllegalStateException("outbox is required: EventActions.builder().outbox(...)");
      }
      if (systems == null) {
        throw new IllegalStateException("systems is required: EventActions.builder().systems(tenantId -> ...)");
      }
      return new EventActions(this);
    }
  }
}
