package dev.crmkit.actions;

import dev.crmkit.spi.Validation;
import java.time.Duration;
import java.util.Objects;

/**
 * The argument checks and text limits of {@link EventOutbox}, shared by its implementations: public so
 * that the JDBC outbox applies the same ones. Not part of the API a host calls.
 */
public final class OutboxLimits {
  /** Longest error or outcome text an outbox keeps, {@value}. */
  public static final int MAX_TEXT = 4_000;
  /** Longest worker id, {@value}. */
  public static final int MAX_WORKER_ID = 100;
  /** Most entries one call claims or lists, {@value}. */
  public static final int MAX_BATCH = 1_000;

  private OutboxLimits() {}

  /** @throws IllegalArgumentException naming {@code workerId} when null, blank or longer than {@value #MAX_WORKER_ID} */
  public static String workerId(String workerId) {
    if (workerId == null || workerId.isBlank() || workerId.length() > MAX_WORKER_ID) {
      throw new IllegalArgumentException("workerId must be 1 to " + MAX_WORKER_ID + " characters, not blank: "
          + Validation.abbreviate(workerId));
    }
    return workerId;
  }

  /** @throws IllegalArgumentException naming {@code field} when outside 1 to {@value #MAX_BATCH} */
  public static int max(int n, String field) {
    if (n < 1 || n > MAX_BATCH) {
      throw new IllegalArgumentException(field + " must be 1 to " + MAX_BATCH + ": " + n);
    }
    return n;
  }

  /** @throws IllegalArgumentException naming {@code lease} when null, zero or negative */
  public static Duration lease(Duration lease) {
    Objects.requireNonNull(lease, "lease");
    if (lease.isNegative() || lease.isZero()) {
      throw new IllegalArgumentException("lease must be positive: " + lease);
    }
    return lease;
  }

  /**
   * Text cut to {@value #MAX_TEXT} UTF-16 units between code points, with {@code U+0000} and unpaired
   * surrogates replaced by {@code U+FFFD}, so that every database stores it; {@code null} stays null.
   */
  public static String cut(String text) {
    if (text == null) {
      return null;
    }
    StringBuilder b = new StringBuilder(Math.min(text.length(), MAX_TEXT));
    for (int i = 0; i < text.length() && b.length() < MAX_TEXT; i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        if (b.length() + 2 > MAX_TEXT) {
          break;
        }
        b.append(c).append(text.charAt(++i));
      } else if (c == 0 || Character.isSurrogate(c)) {
        b.append('\uFFFD');
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }
}
