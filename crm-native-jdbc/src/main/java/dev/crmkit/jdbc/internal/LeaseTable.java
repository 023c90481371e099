package dev.crmkit.jdbc.internal;

import static dev.crmkit.jdbc.internal.SyncSql.KEY;

import dev.crmkit.sync.IntegrationKey;
import dev.crmkit.sync.spi.SyncLease;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Statements on {@code crm_sync_leases}: one row per integration, kept when released (no owner,
 * expired), so that each acquisition by a new owner raises its generation.
 */
public final class LeaseTable {
  /** The lease row, held or free. */
  public Optional<SyncLease> find(Connection c, IntegrationKey key) throws SQLException {
    return SyncSql.one(c, "SELECT owner, acquired_at, expires_at, generation FROM crm_sync_leases WHERE " + KEY, key,
        rs -> new SyncLease(key, rs.getString("owner"), SyncSql.instant(rs, "acquired_at"),
            SyncSql.instant(rs, "expires_at"), rs.getLong("generation")));
  }

  /**
   * Takes the lease for {@code owner} when the row is free, expired or held by {@code owner} already: a
   * new owner gets a new generation and acquisition time; every winner gets {@code expiresAt}.
   *
   * @return false when there is no row, or another owner holds it unexpired
   */
  public boolean take(Connection c, IntegrationKey key, String owner, long now, long expiresAt) throws SQLException {
    // acquired_at and generation come first: MariaDB evaluates SET left to right and would see the new owner.
    return SyncSql.update(c, "UPDATE crm_sync_leases SET acquired_at = CASE WHEN owner = ? THEN acquired_at ELSE ? END, "
        + "generation = CASE WHEN owner = ? THEN generation ELSE generation + 1 END, "
        + "expires_at = ?, owner = ? WHERE " + KEY + " AND (owner = ? OR expires_at <= ?)",
        owner, now, owner, expiresAt, owner, key, owner, now) > 0;
  }

  /** Creates the row, held by {@code owner} at generation 1; fails with a unique violation when it exists. */
  public void insert(Connection c, IntegrationKey key, String owner, long now, long expiresAt) throws SQLException {
    SyncSql.update(c, "INSERT INTO crm_sync_leases (tenant_id, integration, owner, acquired_at, expires_at, generation) "
        + "VALUES (?, ?, ?, ?, ?, 1)", key, owner, now, expiresAt);
  }

  /**
   * Locks the row until the transaction ends when {@code owner} holds the lease at {@code generation}
   * (an acquisition by another owner then waits, or won before).
   *
   * @return false when the lease moved on
   */
  public boolean lockHeld(Connection c, IntegrationKey key, String owner, long generation) throws SQLException {
    return SyncSql.update(c, "UPDATE crm_sync_leases SET generation = generation WHERE " + KEY
        + " AND owner = ? AND generation = ?", key, owner, generation) != 0;
  }

  /** Moves the expiry of a lease {@code owner} holds unexpired; false when it does not. */
  public boolean renew(Connection c, IntegrationKey key, String owner, long now, long expiresAt) throws SQLException {
    return SyncSql.update(c, "UPDATE crm_sync_leases SET expires_at = ? WHERE " + KEY
        + " AND owner = ? AND expires_at > ?", expiresAt, key, owner, now) != 0;
  }

  /** Frees a lease {@code owner} holds (expired or not); false when it does not. */
  public boolean release(Connection c, IntegrationKey key, String owner) throws SQLException {
    return SyncSql.update(c, "UPDATE crm_sync_leases SET owner = '', expires_at = 0 WHERE " + KEY
        + " AND owner = ?", key, owner) == 1;
  }
}
