package dev.crmkit.integrations.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The {@code crmkit_oauth_state} table: one row per OAuth connect attempt, keyed by the SHA-256 of its
 * state (the state itself is never stored). Single use is decided by the database: {@link #consume}
 * is one {@code UPDATE ... WHERE consumed_at IS NULL AND expires_at > ?}, and only the caller whose
 * update counted a row may go on, however many nodes race with the same state. Thread-safe.
 */
public final class OAuthStates {

  /**
   * One attempt as stored.
   *
   * @param stateHash lower-case hex SHA-256 of the state
   * @param verifierSealed the PKCE verifier sealed by {@link CredentialCipher}, or null
   * @param consumedAt when it was used, or null
   */
  public record Row(String stateHash, String tenantId, String integrationId, String provider, String redirectUri,
      String verifierSealed, Instant createdAt, Instant expiresAt, Instant consumedAt) {
    public Row {
      Objects.requireNonNull(stateHash, "stateHash");
      Objects.requireNonNull(tenantId, "tenantId");
      Objects.requireNonNull(integrationId, "integrationId");
      Objects.requireNonNull(provider, "provider");
      Objects.requireNonNull(redirectUri, "redirectUri");
      Objects.requireNonNull(createdAt, "createdAt");
      Objects.requireNonNull(expiresAt, "expiresAt");
    }

    @Override
    public String toString() {
      return "OAuthStates.Row[integrationId=" + integrationId + ", provider=" + provider + ", expiresAt=" + expiresAt
          + ", consumedAt=" + consumedAt + "]";
    }
  }

  private static final String COLUMNS = "state_hash, tenant_id, integration_id, provider, redirect_uri, verifier_sealed, "
      + "created_at, expires_at, consumed_at";

  private final Sql sql;

  public OAuthStates(DataSource dataSource) {
    this.sql = new Sql(Objects.requireNonNull(dataSource, "dataSource"));
  }

  /** Stores a new attempt, not consumed. */
  public void insert(Row row) {
    sql.run("inserting into crmkit_oauth_state", c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO crmkit_oauth_state (" + COLUMNS
          + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)")) {
        ps.setString(1, row.stateHash());
        ps.setString(2, row.tenantId());
        ps.setString(3, row.integrationId());
        ps.setString(4, row.provider());
        ps.setString(5, row.redirectUri());
        ps.setString(6, row.verifierSealed());
        ps.setLong(7, row.createdAt().toEpochMilli());
        ps.setLong(8, row.expiresAt().toEpochMilli());
        return ps.executeUpdate();
      }
    });
  }

  /** The attempt of a state hash, consumed or not, or empty. */
  public Optional<Row> find(String stateHash) {
    return sql.run("reading crmkit_oauth_state", c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM crmkit_oauth_state WHERE state_hash = ?")) {
        ps.setString(1, stateHash);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            return Optional.empty();
          }
          long consumed = rs.getLong(9);
          Instant consumedAt = rs.wasNull() ? null : Instant.ofEpochMilli(consumed);
          return Optional.of(new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
              rs.getString(6), Instant.ofEpochMilli(rs.getLong(7)), Instant.ofEpochMilli(rs.getLong(8)), consumedAt));
        }
      }
    });
  }

  /**
   * Marks an attempt used, if it is neither used nor expired at {@code now}.
   *
   * @return true for the one caller that marked it; false when it is unknown, used or expired
   */
  public boolean consume(String stateHash, Instant now) {
    return sql.run("consuming a crmkit_oauth_state", c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE crmkit_oauth_state SET consumed_at = ? "
          + "WHERE state_hash = ? AND consumed_at IS NULL AND expires_at > ?")) {
        ps.setLong(1, now.toEpochMilli());
        ps.setString(2, stateHash);
        ps.setLong(3, now.toEpochMilli());
        return ps.executeUpdate() == 1;
      }
    });
  }

  /** Deletes the attempts that expired before {@code cutoff}; returns how many. */
  public int deleteExpiredBefore(Instant cutoff) {
    return sql.run("deleting expired crmkit_oauth_state rows", c -> {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM crmkit_oauth_state WHERE expires_at < ?")) {
        ps.setLong(1, cutoff.toEpochMilli());
        return ps.executeUpdate();
      }
    });
  }
}
