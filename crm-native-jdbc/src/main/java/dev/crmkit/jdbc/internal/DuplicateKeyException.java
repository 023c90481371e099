package dev.crmkit.jdbc.internal;

import dev.crmkit.error.ConflictException;

/**
 * A statement hit a unique index. Callers that know which identity keys they wrote turn it into a
 * {@link ConflictException} naming the field and the holder; elsewhere it surfaces as it is. Its
 * message and cause carry no driver message (see {@link DatabaseErrors}).
 */
public final class DuplicateKeyException extends ConflictException {
  private static final long serialVersionUID = 1L;

  DuplicateKeyException(String message, String vendorCode, WithheldSQLException cause) {
    super(message, Jdbc.PROVIDER, null, null, 409, vendorCode, null, cause);
  }
}
