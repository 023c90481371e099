package dev.crmkit.bench;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * Counts what a workload asks of the database: connections taken, commits, and statements executed
 * per kind. A kind is the statement's verb and first table, such as {@code SELECT crm_customers} or
 * {@code INSERT crm_customer_tags}; {@code SELECT ... FOR UPDATE} is its own kind. A single execution
 * counts one statement; an {@code executeBatch} counts one batch and as many batched rows as were
 * added.
 *
 * <p>Wrap a {@link DataSource} with {@link #wrap}: its connections and prepared statements become
 * {@link Proxy java.lang.reflect.Proxy} instances that count and delegate. Thread-safe.
 */
public final class StatementCounts {
  private static final Pattern TABLE = Pattern.compile("(?i)\\b(?:FROM|INTO|UPDATE)\\s+([a-z_][a-z0-9_]*)");

  private final Map<String, LongAdder> statements = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> batches = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> batchedRows = new ConcurrentHashMap<>();
  private final LongAdder connections = new LongAdder();
  private final LongAdder commits = new LongAdder();

  /**
   * A data source whose connections count into this object.
   *
   * @param target the data source to delegate to; not null
   * @return a counting view of {@code target}
   */
  public DataSource wrap(DataSource target) {
    return proxy(DataSource.class, target, (t, method, args) -> {
      Object result = invoke(t, method, args);
      if (method.getName().equals("getConnection")) {
        connections.increment();
        return proxy(Connection.class, result, this::onConnection);
      }
      return result;
    });
  }

  private Object onConnection(Object target, Method method, Object[] args) throws Throwable {
    Object result = invoke(target, method, args);
    switch (method.getName()) {
      case "commit" -> commits.increment();
      case "prepareStatement" -> {
        String kind = kindOf((String) args[0]);
        int[] pending = {0};
        return proxy(PreparedStatement.class, result, (t, m, a) -> onStatement(kind, pending, t, m, a));
      }
      case "createStatement" -> {
        return proxy(Statement.class, result, (t, m, a) -> {
          if (m.getName().startsWith("execute") && a != null && a.length > 0 && a[0] instanceof String sql) {
            add(statements, kindOf(sql), 1);
          }
          return invoke(t, m, a);
        });
      }
      default -> { }
    }
    return result;
  }

  private Object onStatement(String kind, int[] pending, Object target, Method method, Object[] args)
      throws Throwable {
    switch (method.getName()) {
      case "addBatch" -> pending[0]++;
      case "executeBatch", "executeLargeBatch" -> {
        add(batches, kind, 1);
        add(batchedRows, kind, pending[0]);
        pending[0] = 0;
      }
      case "clearBatch" -> pending[0] = 0;
      case "execute", "executeQuery", "executeUpdate", "executeLargeUpdate" -> add(statements, kind, 1);
      default -> { }
    }
    return invoke(target, method, args);
  }

  /** The kind of a statement: its verb and first table, {@code SELECT ... FOR UPDATE} apart. */
  static String kindOf(String sql) {
    String s = sql.strip();
    int space = s.indexOf(' ');
    String verb = (space < 0 ? s : s.substring(0, space)).toUpperCase(Locale.ROOT);
    Matcher m = TABLE.matcher(s);
    String table = m.find() ? m.group(1).toLowerCase(Locale.ROOT) : "?";
    boolean forUpdate = verb.equals("SELECT") && s.toUpperCase(Locale.ROOT).endsWith("FOR UPDATE");
    return verb + (forUpdate ? " FOR UPDATE " : " ") + table;
  }

  /** Connections taken from the data source. */
  public long connections() {
    return connections.sum();
  }

  /** Commits issued. */
  public long commits() {
    return commits.sum();
  }

  /** Single executions per kind, sorted by kind. */
  public Map<String, Long> statements() {
    return snapshot(statements);
  }

  /** {@code executeBatch} calls per kind, sorted by kind. */
  public Map<String, Long> batches() {
    return snapshot(batches);
  }

  /** Rows added to batches per kind, sorted by kind. */
  public Map<String, Long> batchedRows() {
    return snapshot(batchedRows);
  }

  /** Single executions plus batches, over every kind: the number of round trips a workload asked for. */
  public long totalExecutions() {
    return statements.values().stream().mapToLong(LongAdder::sum).sum()
        + batches.values().stream().mapToLong(LongAdder::sum).sum();
  }

  private static Map<String, Long> snapshot(Map<String, LongAdder> m) {
    Map<String, Long> out = new TreeMap<>();
    m.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  private static void add(Map<String, LongAdder> m, String kind, long n) {
    m.computeIfAbsent(kind, k -> new LongAdder()).add(n);
  }

  @FunctionalInterface
  private interface Handler {
    Object handle(Object target, Method method, Object[] args) throws Throwable;
  }

  private static <T> T proxy(Class<T> type, Object target, Handler handler) {
    InvocationHandler h = (p, method, args) -> {
      if (method.getDeclaringClass() == Object.class) {
        return switch (method.getName()) {
          case "equals" -> p == args[0];
          case "hashCode" -> System.identityHashCode(p);
          default -> method.invoke(target, args);
        };
      }
      return handler.handle(target, method, args);
    };
    return type.cast(Proxy.newProxyInstance(StatementCounts.class.getClassLoader(), new Class<?>[] {type}, h));
  }

  private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
