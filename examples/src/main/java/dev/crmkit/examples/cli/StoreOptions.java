package dev.crmkit.examples.cli;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import picocli.CommandLine.Option;

/** Options every command shares: where the store is, which tenant, which phone region. */
public final class StoreOptions {
  /** The embedded default: an H2 file database under {@code ./crmkit-data}. */
  public static final String DEFAULT_JDBC_URL = "jdbc:h2:file:./crmkit-data/crmkit;AUTO_SERVER=FALSE";

  @Option(names = "--jdbc-url", defaultValue = DEFAULT_JDBC_URL,
      description = "JDBC URL of the native store (default: ${DEFAULT-VALUE}).")
  String jdbcUrl;

  @Option(names = "--jdbc-user", description = "Database user (default: none).")
  String jdbcUser;

  @Option(names = "--jdbc-password", description = "Database password (default: none).")
  String jdbcPassword;

  @Option(names = "--tenant", description = "Tenant id (default: demo; the demo command uses a fresh demo-<time> id).")
  String tenant;

  @Option(names = "--region", defaultValue = "US",
      description = "Default phone region, ISO 3166-1 alpha-2 (default: ${DEFAULT-VALUE}).")
  String region;

  /** The tenant, or a fresh {@code <prefix>-<yyyyMMdd-HHmmss>} (UTC now) when none was given. */
  String tenantOrFresh(String prefix) {
    return tenantOr(prefix + "-"
        + LocalDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
  }

  /** The tenant, or {@code fallback} when none was given. */
  String tenantOr(String fallback) {
    return tenant == null || tenant.isBlank() ? fallback : tenant;
  }
}
