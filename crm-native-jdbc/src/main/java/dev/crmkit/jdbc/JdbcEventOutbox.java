package dev.crmkit.jdbc;

import dev.crmkit.actions.EventOutbox;
import dev.crmkit.actions.HostEvent;
import dev.crmkit.actions.OutboxEntry;
import dev.crmkit.actions.OutboxLimits;
import dev.crmkit.actions.OutboxStatus;
import dev.crmkit.error.ValidationException;
import dev.crmkit.jdbc.internal.Dialect;
import dev.crmkit.jdbc.internal.EventOutboxTable;
import dev.crmkit.jdbc.internal.Jdbc;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * A durable {@link EventOutbox} in the host's database: the table {@code crm_event_outbox} that
 * {@link NativeSchema#migrate} installs (migration {@code V5__crmkit_event_outbox.sql}) on H2, SQLite,
 * PostgreSQL and MariaDB/MySQL. Events survive restarts and are shared by every process on the database.
 *
 * <p>{@link #append(Connection, HostEvent)} writes an event in the caller's own transaction, so that
 * the event exists exactly when the host's own change commits (the transactional outbox pattern):
 * <pre>{@code
 * try (Connection c = dataSource.getConnection()) {
 *   c.setAutoCommit(false);
 *   bookings.insert(c, booking);
 *   outbox.append(c, new AppointmentBooked(...));
 *   c.commit();
 * }
 * }</pre>
 *
 * <p>How claims stay exclusive across processes: on H2, PostgreSQL and MariaDB (10.6 and later; MySQL 8)
 * a claim is one transaction that selects due rows {@code FOR UPDATE SKIP LOCKED} and marks them
 * {@code IN_PROGRESS}, so two claimers never take one row and never wait for each other; on SQLite (one
 * writer at a time) it is one {@code UPDATE ... RETURNING}. Due means {@code PENDING} with
 * {@code next_attempt_at} reached, or {@code IN_PROGRESS} with its lease ended (a worker that died).
 * Completion and failure change a row only while the worker still holds it. Leases compare against the
 * processors' clocks, so those must agree well within the lease.
 *
 * <p>Errors: a failed statement surfaces as a {@link dev.crmkit.error.CrmException} naming the kind of
 * statement, its table, the SQLState and the vendor code, never the driver's message. On SQLite, give the
 * data source a {@code busy_timeout} so concurrent writers wait.
 *
 * <p>Thread-safe. Holds no connection between calls; the data source belongs to the host.
 */
public final class JdbcEventOutbox implements EventOutbox {
  private final Jdbc jdbc;
  private final Clock clock;
  private final EventOutboxTable table;

  private JdbcEventOutbox(DataSource dataSource, Dialect dialect, Clock clock) {
    this.jdbc = new Jdbc(dataSource, dialect);
    this.clock = clock;
    this.table = new EventOutboxTable(dialect);
  }

  /**
   * Opens the outbox on a data source whose schema is installed ({@link NativeSchema#migrate}). Opens one
   * connection to detect the database; does not migrate.
   *
   * @param dataSource the host's data source, ideally pooled
   * @param clock stamps the events {@link #append(Connection, HostEvent)} writes
   * @throws NullPointerException when an argument is null
   * @throws dev.crmkit.error.ConfigurationException when the database is not supported
   * @throws dev.crmkit.error.ApiConnectionException when no connection can be opened
   */
  public static JdbcEventOutbox open(DataSource dataSource, Clock clock) {
    Objects.requireNonNull(dataSource, "dataSource");
    Objects.requireNonNull(clock, "clock");
    return new JdbcEventOutbox(dataSource, NativeSchema.dialect(dataSource), clock);
  }

  /** {@link #open(DataSource, Clock)} with {@link Clock#systemUTC()}. */
  public static JdbcEventOutbox open(DataSource dataSource) {
    return open(dataSource, Clock.systemUTC());
  }

  /**
   * Appends an event in the caller's transaction: runs one {@code INSERT} on {@code callerTransaction}
   * and neither commits, rolls back nor changes its auto-commit. A duplicate event id does not abort the
   * caller's transaction. The event is due at this outbox's clock's now.
   *
   * @param callerTransaction an open connection to this outbox's database
   * @return {@code true} when appended; {@code false} when the tenant has this event id already
   * @throws ValidationException naming {@code event} when null
   * @throws NullPointerException naming {@code callerTransaction} when null
   * @throws dev.crmkit.error.CrmException when the statement fails (the caller decides about its transaction)
   */
  public boolean append(Connection callerTransaction, HostEvent event) {
    Objects.requireNonNull(callerTransaction, "callerTransaction");
    requireEvent(event);
    try {
      return table.insert(callerTransaction, event, clock.millis());
    } catch (SQLException e) {
      throw Jdbc.translate(e, "INSERT INTO crm_event_outbox");
    }
  }

  @Override
  public boolean append(HostEvent event, Instant now) {
    requireEvent(event);
    Objects.requireNonNull(now, "now");
    return jdbc.autoCommit(c -> table.insert(c, event, now.toEpochMilli()));
  }

  @Override
  public List<OutboxEntry> claim(String workerId, int max, Instant now, Duration lease) {
    OutboxLimits.workerId(workerId);
    OutboxLimits.max(max, "max");
    Objects.requireNonNull(now, "now");
    OutboxLimits.lease(lease);
    long at = now.toEpochMilli();
    long until = now.plus(lease).toEpochMilli();
    return jdbc.writeRetrying(c -> table.claim(c, workerId, max, at, until));
  }

  @Override
  public boolean complete(String tenantId, String eventId, String workerId, String outcome, Instant now) {
    String cut = OutboxLimits.cut(outcome);
    return jdbc.autoCommit(c -> table.complete(c, tenantId, eventId, workerId, cut, now.toEpochMilli()));
  }

  @Override
  public boolean fail(String tenantId, String eventId, String workerId, String error, Instant retryAt, Instant now) {
    String cut = OutboxLimits.cut(error);
    Long retry = retryAt == null ? null : retryAt.toEpochMilli();
    return jdbc.autoCommit(c -> table.fail(c, tenantId, eventId, workerId, cut, retry, now.toEpochMilli()));
  }

  @Override
  public List<OutboxEntry> parked(String tenantId, int limit) {
    OutboxLimits.max(limit, "limit");
    return jdbc.read(c -> table.parked(c, tenantId, limit));
  }

  @Override
  public boolean replay(String tenantId, String eventId, Instant now) {
    return jdbc.autoCommit(c -> table.replay(c, tenantId, eventId, now.toEpochMilli()));
  }

  @Override
  public Optional<OutboxEntry> find(String tenantId, String eventId) {
    return jdbc.read(c -> table.find(c, tenantId, eventId));
  }

  @Override
  public Map<OutboxStatus, Long> counts(String tenantId) {
    return jdbc.read(c -> table.counts(c, tenantId));
  }

  private static void requireEvent(HostEvent event) {
    if (event == null) {
      throw ValidationException.of("event", null, "an event is required");
    }
  }
}
