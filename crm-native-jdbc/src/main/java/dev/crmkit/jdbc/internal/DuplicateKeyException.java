package dev.crmkit.jdbc.internal;

import dev.crmkit.error.ConflictException;
import java.sql.SQLException;

/**
 * A statement hit a unique index. Callers that know which identity keys they wrote turn it into a
 * {@link ConflictException} naming the field and the holder; elsewhere it surfaces as it is.
 */
public final class DuplicateKeyException extends ConflictException {
  private static final long serialVersionUID = 1L;

  DuplicateKeyException(SQLException cause) {
    super("the write clashes with a unique key: " + cause.getMessage(), Jdbc.PROVIDER, null, null, 409, null, null,
        cause);
  }
}
