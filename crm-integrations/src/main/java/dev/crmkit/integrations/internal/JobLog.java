package dev.crmkit.integrations.internal;

import dev.crmkit.error.CrmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * The job outcome log, {@code crmkit_job_run}: one row per job and instance, inserted when a node
 * claims the run. The primary key makes a period's run happen once across nodes; a {@code RUNNING} row
 * left by a node that died is taken over by the node db-scheduler revives the execution on. Thread-safe.
 */
public final class JobLog {
  /** How a run ended, as the {@code outcome} column stores it. */
  public enum Outcome { RUNNING, SUCCEEDED, FAILED, SKIPPED }

  /** One row of the log. */
  public record Entry(String job, String instance, String node, Instant startedAt, Instant finishedAt,
      Outcome outcome, int attempts, String detail) {}

  public static final int MAX_DETAIL = 1000;
  private final DataSource dataSource;

  public JobLog(DataSource dataSource) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
  }

  /**
   * Claims a run for this node: true when it inserted the row, or took over a {@code RUNNING} row of
   * another node (its execution died: db-scheduler revived it here); false when the run is done already.
   */
  public boolean claim(String job, String instance, String node, Instant now) {
    try (Connection c = dataSource.getConnection()) {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO crmkit_job_run "
          + "(job, instance, node, started_at, finished_at, outcome, attempts, detail) VALUES (?, ?, ?, ?, NULL, ?, 1, NULL)")) {
        ps.setString(1, job);
        ps.setString(2, instance);
        ps.setString(3, node);
        ps.setLong(4, now.toEpochMilli());
        ps.setString(5, Outcome.RUNNING.name());
        ps.executeUpdate();
        return true;
      } catch (SQLException duplicate) {
        // Not every driver reports a duplicate key by SQLState (SQLite); the row tells.
        Entry existing = find(c, job, instance);
        if (existing == null) {
          throw duplicate;
        }
        if (existing.outcome() != Outcome.RUNNING) {
          return false;
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE crmkit_job_run SET node = ?, started_at = ?, "
            + "attempts = attempts + 1 WHERE job = ? AND instance = ? AND outcome = ? AND node = ? AND attempts = ?")) {
          ps.setString(1, node);
          ps.setLong(2, now.toEpochMilli());
          ps.setString(3, job);
          ps.setString(4, instance);
          ps.setString(5, Outcome.RUNNING.name());
          ps.setString(6, existing.node());
          ps.setInt(7, existing.attempts());
          return ps.executeUpdate() == 1;
        }
      }
    } catch (SQLException e) {
      throw failed("claiming a job run", e);
    }
  }

  /** Records how this node's run ended; {@code detail} is cut to {@value #MAX_DETAIL} characters. */
  public void finish(String job, String instance, String node, Outcome outcome, String detail, Instant now) {
    String d = detail == null || detail.length() <= MAX_DETAIL ? detail : detail.substring(0, MAX_DETAIL);
    update("finishing a job run", "UPDATE crmkit_job_run SET finished_at = ?, outcome = ?, detail = ? "
        + "WHERE job = ? AND instance = ? AND node = ?", now.toEpochMilli(), outcome.name(), d, job, instance, node);
  }

  /** The row of a run, or null. */
  public Entry find(String job, String instance) {
    try (Connection c = dataSource.getConnection()) {
      return find(c, job, instance);
    } catch (SQLException e) {
      throw failed("reading the job log", e);
    }
  }

  /**
   * The runs of a job whose instance starts with {@code instancePrefix} and that started at or after
   * {@code since}, oldest first.
   */
  public List<Entry> runs(String job, String instancePrefix, Instant since) {
    String like = instancePrefix.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%";
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(SELECT + " WHERE job = ? AND instance LIKE ? ESCAPE '!' "
            + "AND started_at >= ? ORDER BY started_at, instance")) {
      ps.setString(1, job);
      ps.setString(2, like);
      ps.setLong(3, since.toEpochMilli());
      List<Entry> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(entry(rs));
        }
      }
      return out;
    } catch (SQLException e) {
      throw failed("reading the job log", e);
    }
  }

  /** Deletes the finished runs that started before {@code cutoff}; returns how many. */
  public int deleteFinishedBefore(Instant cutoff) {
    return update("cleaning the job log", "DELETE FROM crmkit_job_run WHERE started_at < ? AND outcome <> ?",
        cutoff.toEpochMilli(), Outcome.RUNNING.name());
  }

  private static final String SELECT =
      "SELECT job, instance, node, started_at, finished_at, outcome, attempts, detail FROM crmkit_job_run";

  private static Entry find(Connection c, String job, String instance) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(SELECT + " WHERE job = ? AND instance = ?")) {
      ps.setString(1, job);
      ps.setString(2, instance);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? entry(rs) : null;
      }
    }
  }

  private static Entry entry(ResultSet rs) throws SQLException {
    long finished = rs.getLong(5);
    Instant finishedAt = rs.wasNull() ? null : Instant.ofEpochMilli(finished);
    return new Entry(rs.getString(1), rs.getString(2), rs.getString(3), Instant.ofEpochMilli(rs.getLong(4)),
        finishedAt, Outcome.valueOf(rs.getString(6)), rs.getInt(7), rs.getString(8));
  }

  private int update(String what, String sql, Object... params) {
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw failed(what, e);
    }
  }

  /** SQLState and vendor code only: the database's message may quote bound values. */
  static CrmException failed(String what, SQLException e) {
    return new CrmException("jobs: " + what + " failed with SQLState " + e.getSQLState()
        + ", vendor code " + e.getErrorCode() + " (database message withheld)");
  }
}
