package dev.crmkit.integrations.internal;

import dev.crmkit.error.ConflictException;
import dev.crmkit.integrations.IntegrationStatus;
import dev.crmkit.integrations.MappingRule;
import dev.crmkit.integrations.SyncSchedule;
import dev.crmkit.integrations.TenantIntegration;
import dev.crmkit.sync.SyncFlow;
import dev.crmkit.sync.spi.TextCodec;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The {@code crmkit_integration} table on the host's data source. Every tenant-facing query filters by
 * {@code tenant_id} with an exact comparison (the columns compare exactly on every dialect: the
 * MariaDB/MySQL migration gives them a binary NO PAD collation, and {@code IntegrationSchema.migrate}
 * refuses an H2 database that folds case); the id-only reads ({@link #byId}, {@link #byAccount},
 * {@link #all}) are for jobs, webhook and OAuth routing, which find the tenant from the row.
 * Writes that take an expected version change the row only when it still has that version and say
 * whether they did. Errors carry no driver message ({@link Sql}). Thread-safe.
 */
public final class IntegrationStore implements SealedRows {
  private static final String COLUMNS = "id, tenant_id, provider, name, status, flow, schedule, settings, "
      + "credentials_sealed, credential_keys, mapping, account_id, last_sync_at, last_error, created_at, updated_at, "
      + "version";
  private static final String SELECT = "SELECT " + COLUMNS + " FROM crmkit_integration";

  private final Sql sql;

  /** @param dataSource the host's data source, with {@code IntegrationSchema} migrated */
  public IntegrationStore(DataSource dataSource) {
    this.sql = new Sql(Objects.requireNonNull(dataSource, "dataSource"));
  }

  /**
   * Inserts a new row.
   *
   * @throws ConflictException ({@code accountId}) when another integration of the provider holds its account id
   */
  public void insert(StoredIntegration row) {
    TenantIntegration t = row.integration();
    try {
      sql.run("inserting into crmkit_integration", c -> {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO crmkit_integration (" + COLUMNS
            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
          ps.setString(1, t.id());
          ps.setString(2, t.tenantId());
          ps.setString(3, t.provider());
          bindMutable(ps, 4, row, true);
          ps.setLong(15, t.createdAt().toEpochMilli());
          ps.setLong(16, t.updatedAt().toEpochMilli());
          ps.setLong(17, t.version());
          return ps.executeUpdate();
        }
      });
    } catch (ConflictException e) {
      throw accountTaken(t, e);
    }
  }

  /**
   * Replaces the changeable columns of a row (name through last error, updated at) and sets its
   * version to {@code row}'s, where the stored row belongs to the same tenant and still has
   * {@code expectedVersion}. The sealed credentials and their keys are written only when {@code
   * credentialsChanged}: key rotation re-seals an envelope without raising the version, and a change
   * of anything else must not write back the envelope it read before that.
   *
   * @return true when the row was changed; false when it is gone or its version moved on
   * @throws ConflictException ({@code accountId}) when another integration of the provider holds its account id
   */
  public boolean update(StoredIntegration row, long expectedVersion, boolean credentialsChanged) {
    TenantIntegration t = row.integration();
    try {
      return sql.run("updating crmkit_integration", c -> {
        try (PreparedStatement ps = c.prepareStatement("UPDATE crmkit_integration SET name = ?, status = ?, flow = ?, "
            + "schedule = ?, settings = ?, " + (credentialsChanged ? "credentials_sealed = ?, credential_keys = ?, " : "")
            + "mapping = ?, account_id = ?, last_sync_at = ?, last_error = ?, updated_at = ?, version = ? "
            + "WHERE id = ? AND tenant_id = ? AND version = ?")) {
          int i = bindMutable(ps, 1, row, credentialsChanged);
          ps.setLong(i++, t.updatedAt().toEpochMilli());
          ps.setLong(i++, t.version());
          ps.setString(i++, t.id());
          ps.setString(i++, t.tenantId());
          ps.setLong(i, expectedVersion);
          return ps.executeUpdate() == 1;
        }
      });
    } catch (ConflictException e) {
      throw accountTaken(t, e);
    }
  }

  /**
   * Binds name, status, flow, schedule, settings, credentials and credential keys (when {@code withCredentials}),
   * mapping, account, last sync, last error; returns the next parameter index.
   */
  private static int bindMutable(PreparedStatement ps, int from, StoredIntegration row, boolean withCredentials)
      throws SQLException {
    TenantIntegration t = row.integration();
    int i = from;
    ps.setString(i++, t.name());
    ps.setString(i++, t.status().name());
    ps.setString(i++, t.flow().name());
    ps.setString(i++, t.schedule().name());
    ps.setString(i++, TextCodec.encodeMap(t.settings()));
    if (withCredentials) {
      ps.setString(i++, row.sealedCredentials());
      ps.setString(i++, TextCodec.encode(List.copyOf(t.credentialKeys())));
    }
    ps.setString(i++, encodeMapping(t.mapping()));
    ps.setString(i++, t.accountId());
    if (t.lastSyncAt() == null) {
      ps.setNull(i++, Types.BIGINT);
    } else {
      ps.setLong(i++, t.lastSyncAt().toEpochMilli());
    }
    ps.setString(i++, t.lastError());
    return i;
  }

  private static ConflictException accountTaken(TenantIntegration t, ConflictException e) {
    return new ConflictException("the " + t.provider() + " account '" + t.accountId()
        + "' is connected to another integration already", null, "accountId", null, 409, null, null, e);
  }

  /** The tenant's integration with this id, or empty, also when another tenant owns the id. */
  public Optional<StoredIntegration> find(String tenantId, String id) {
    return one(SELECT + " WHERE id = ? AND tenant_id = ?", id, tenantId);
  }

  /** The integration with this id, whichever tenant owns it; for jobs and routing. */
  public Optional<StoredIntegration> byId(String id) {
    return one(SELECT + " WHERE id = ?", id);
  }

  /** The integration of a provider connected to a vendor account; for webhook and OAuth routing. */
  public Optional<StoredIntegration> byAccount(String provider, String accountId) {
    return one(SELECT + " WHERE provider = ? AND account_id = ?", provider, accountId);
  }

  /** The tenant's integrations, oldest first. */
  public List<StoredIntegration> list(String tenantId) {
    return query(SELECT + " WHERE tenant_id = ? ORDER BY created_at, id", tenantId);
  }

  /** Every integration of every tenant, by id; for jobs. */
  public List<StoredIntegration> all() {
    return query(SELECT + " ORDER BY id");
  }

  /**
   * Deletes the tenant's integration.
   *
   * @return true when a row was deleted; false when the tenant has none with this id
   */
  public boolean delete(String tenantId, String id) {
    return sql.run("deleting from crmkit_integration", c -> {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM crmkit_integration WHERE id = ? AND tenant_id = ?")) {
        ps.setString(1, id);
        ps.setString(2, tenantId);
        return ps.executeUpdate() == 1;
      }
    });
  }

  private Optional<StoredIntegration> one(String select, String... params) {
    List<StoredIntegration> rows = query(select, params);
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
  }

  private List<StoredIntegration> query(String select, String... params) {
    return sql.run("reading crmkit_integration", c -> {
      try (PreparedStatement ps = c.prepareStatement(select)) {
        for (int i = 0; i < params.length; i++) {
          ps.setString(i + 1, params[i]);
        }
        try (ResultSet rs = ps.executeQuery()) {
          List<StoredIntegration> out = new ArrayList<>();
          while (rs.next()) {
            out.add(read(rs));
          }
          return out;
        }
      }
    });
  }

  private static StoredIntegration read(ResultSet rs) throws SQLException {
    long lastSync = rs.getLong("last_sync_at");
    Instant lastSyncAt = rs.wasNull() ? null : Instant.ofEpochMilli(lastSync);
    TenantIntegration t = new TenantIntegration(rs.getString("id"), rs.getString("tenant_id"), rs.getString("provider"),
        rs.getString("name"), IntegrationStatus.valueOf(rs.getString("status")), SyncFlow.valueOf(rs.getString("flow")),
        SyncSchedule.valueOf(rs.getString("schedule")), TextCodec.decodeMap(rs.getString("settings")),
        new java.util.TreeSet<>(TextCodec.decode(rs.getString("credential_keys"))),
        decodeMapping(rs.getString("mapping")), rs.getString("account_id"), lastSyncAt, rs.getString("last_error"),
        Instant.ofEpochMilli(rs.getLong("created_at")), Instant.ofEpochMilli(rs.getLong("updated_at")),
        rs.getLong("version"));
    return new StoredIntegration(t, rs.getString("credentials_sealed"));
  }

  @Override
  public List<Sealed> sealedNotUnder(String keyId, String afterId, int limit) {
    String prefix = CredentialCipher.prefix(keyId);
    return sql.run("reading crmkit_integration", c -> {
      // SUBSTR rather than LIKE: key ids may hold '_', a LIKE wildcard
      try (PreparedStatement ps = c.prepareStatement("SELECT id, tenant_id, credentials_sealed FROM crmkit_integration "
          + "WHERE credentials_sealed IS NOT NULL AND SUBSTR(credentials_sealed, 1, " + prefix.length() + ") <> ? "
          + "AND id > ? ORDER BY id LIMIT " + limit)) {
        ps.setString(1, prefix);
        ps.setString(2, afterId);
        try (ResultSet rs = ps.executeQuery()) {
          List<Sealed> out = new ArrayList<>();
          while (rs.next()) {
            out.add(new Sealed(rs.getString(1), rs.getString(2), rs.getString(3)));
          }
          return out;
        }
      }
    });
  }

  @Override
  public boolean replaceSealed(String id, String expected, String replacement) {
    return sql.run("updating crmkit_integration", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE crmkit_integration SET credentials_sealed = ? WHERE id = ? AND credentials_sealed = ?")) {
        ps.setString(1, replacement);
        ps.setString(2, id);
        ps.setString(3, expected);
        return ps.executeUpdate() == 1;
      }
    });
  }

  /** Each rule as a {@link TextCodec} list of field, remote field, flow, transform; the rules as a list of those. */
  static String encodeMapping(List<MappingRule> rules) {
    List<String> out = new ArrayList<>(rules.size());
    for (MappingRule r : rules) {
      out.add(TextCodec.encode(List.of(r.field(), r.remoteField(), r.flow().name(), r.transform())));
    }
    return TextCodec.encode(out);
  }

  static List<MappingRule> decodeMapping(String text) {
    List<MappingRule> out = new ArrayList<>();
    for (String rule : TextCodec.decode(text)) {
      List<String> parts = TextCodec.decode(rule);
      out.add(new MappingRule(parts.get(0), parts.get(1), SyncFlow.valueOf(parts.get(2)), parts.get(3)));
    }
    return out;
  }
}
