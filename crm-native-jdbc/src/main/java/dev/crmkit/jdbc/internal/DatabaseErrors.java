package dev.crmkit.jdbc.internal;

import dev.crmkit.error.ApiConnectionException;
import dev.crmkit.error.CrmException;
import dev.crmkit.error.ServerException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a {@link SQLException} into a crmkit error that carries no database or driver message.
 *
 * <p>Drivers put bound values into their messages: PostgreSQL's {@code Key (tenant_id, email_key)=(acme,
 * bob@example.com) already exists} and its batch error quoting the whole statement with its values,
 * MariaDB's {@code Duplicate entry 'acme-bob@example.com'}, H2's echo of the statement. So the crmkit
 * error says only the statement's kind and table (taken from crmkit's own SQL text, never from the
 * driver), the SQLState and the vendor code; its cause is a {@link WithheldSQLException}: the driver
 * exception's class, SQLState, vendor code and stack trace, without its message and without its own
 * causes. A host that prints the whole chain prints no bound value.
 */
public final class DatabaseErrors {
  private static final Pattern TABLE = Pattern.compile("\\b(crm(?:kit)?_[a-z0-9_]+)\\b", Pattern.CASE_INSENSITIVE);
  private static final Pattern VERB = Pattern.compile("^\\s*([A-Za-z]+)");

  private DatabaseErrors() {}

  /**
   * The crmkit error for a JDBC failure: {@link DuplicateKeyException} for a unique violation,
   * {@link ApiConnectionException} for a lost or refused connection (SQLState class 08), else
   * {@link ServerException}.
   *
   * @param e the driver's exception
   * @param sql the statement that failed (crmkit's own text, with {@code ?} placeholders), or {@code null}
   *     when none was prepared yet; only its first word and first {@code crm_} table name are used
   */
  public static CrmException translate(SQLException e, String sql) {
    SQLException primary = primary(e);
    String state = primary.getSQLState();
    String code = primary.getErrorCode() == 0 ? state : String.valueOf(primary.getErrorCode());
    String where = describe(sql) + " (SQLState " + state + ", vendor code " + primary.getErrorCode() + ")";
    WithheldSQLException cause = WithheldSQLException.of(primary);
    if (Dialect.isUniqueViolation(e)) {
      return new DuplicateKeyException("the write clashes with a unique key: " + where, code, cause);
    }
    if (primary instanceof SQLTransientConnectionException || primary instanceof SQLNonTransientConnectionException
        || e instanceof SQLTransientConnectionException || e instanceof SQLNonTransientConnectionException
        || (state != null && state.startsWith("08"))) {
      return new ApiConnectionException("native store: cannot reach the database: " + where, Jdbc.PROVIDER, 0,
          code, null, cause);
    }
    return new ServerException("native store: database error: " + where, Jdbc.PROVIDER, 0, code, null, cause);
  }

  /**
   * {@code "INSERT on crm_activities"}, from crmkit's statement text; when no statement was prepared
   * yet, {@code "opening the connection"}.
   */
  static String describe(String sql) {
    if (sql == null) {
      return "opening the connection";
    }
    Matcher verb = VERB.matcher(sql);
    Matcher table = TABLE.matcher(sql);
    String kind = verb.find() ? verb.group(1).toUpperCase(Locale.ROOT) : "statement";
    return table.find() ? kind + " on " + table.group(1).toLowerCase(Locale.ROOT) : kind;
  }

  /**
   * The exception that says what went wrong: a batch failure's first chained exception with a SQLState
   * (PostgreSQL reports the real error as the batch exception's next exception), else {@code e}.
   */
  private static SQLException primary(SQLException e) {
    if (e.getSQLState() != null && !(e instanceof java.sql.BatchUpdateException)) {
      return e;
    }
    for (SQLException n = e.getNextException(); n != null; n = n.getNextException()) {
      if (n.getSQLState() != null) {
        return n;
      }
    }
    for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
      if (t instanceof SQLException s && s.getSQLState() != null) {
        return s;
      }
    }
    return e;
  }
}
