package dev.crmkit.spi;

import dev.crmkit.error.ValidationException;

/**
 * The one rule for a tenant id, applied wherever a tenant id enters crmkit ({@code TenantConfig},
 * {@code InboundMessage}, {@code IntegrationKey}, the native store's {@code open}).
 *
 * <p>A tenant id is 1 to {@value #MAX_LENGTH} UTF-16 characters, compared exactly everywhere (no case
 * folding, no Unicode normalization, no padding). So that two ids that look alike are never taken for
 * one another, and none is rewritten by a database, it must not:
 * <ul>
 *   <li>start or end with whitespace (a PAD SPACE collation compares {@code "acme "} equal to
 *       {@code "acme"}; ids that differ only there are almost always typos);
 *   <li>contain a control character (U+0000 to U+001F, U+007F to U+009F): PostgreSQL refuses NUL, and
 *       the others are invisible in logs;
 *   <li>contain an unpaired surrogate: it is not a character, and MariaDB stores it as {@code ?},
 *       making {@code "a\uD800"} the same tenant as {@code "a?"}.
 * </ul>
 * Ids are not trimmed or normalized: one is accepted as given or rejected.
 */
public final class TenantIds {
  /** Longest tenant id accepted, in UTF-16 characters: the width of every {@code tenant_id} column. */
  public static final int MAX_LENGTH = 128;

  private TenantIds() {}

  /**
   * Why a tenant id is not acceptable, or {@code null} when it is.
   *
   * @param tenantId the id, possibly {@code null}
   */
  public static String problem(String tenantId) {
    if (tenantId == null || tenantId.isEmpty()) {
      return "a tenant id must be 1 to " + MAX_LENGTH + " characters";
    }
    if (tenantId.length() > MAX_LENGTH) {
      return "longer than " + MAX_LENGTH + " characters";
    }
    if (tenantId.isBlank()) {
      return "must not be blank";
    }
    if (isSpace(tenantId.codePointAt(0)) || isSpace(tenantId.codePointBefore(tenantId.length()))) {
      return "must not start or end with whitespace";
    }
    for (int i = 0; i < tenantId.length(); i++) {
      char ch = tenantId.charAt(i);
      if (Character.isISOControl(ch)) {
        return "must not contain control characters (found U+" + String.format("%04X", (int) ch) + " at index " + i + ")";
      }
      if (Character.isHighSurrogate(ch) && i + 1 < tenantId.length() && Character.isLowSurrogate(tenantId.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(ch)) {
        return "must not contain an unpaired surrogate (at index " + i + ")";
      }
    }
    return null;
  }

  /**
   * The tenant id when it is acceptable.
   *
   * @param tenantId the id
   * @param field the field name the error carries, such as {@code "tenantId"}
   * @return {@code tenantId}, unchanged
   * @throws ValidationException naming {@code field}, the rule broken and the value (cut, controls escaped)
   */
  public static String check(String tenantId, String field) {
    String problem = problem(tenantId);
    if (problem != null) {
      throw ValidationException.of(field, printable(tenantId), problem);
    }
    return tenantId;
  }

  /**
   * The id as it may appear in a message: {@link Validation#abbreviate} (cut, {@code U+0000}, other
   * controls and unpaired surrogates escaped), with tab, line feed and carriage return escaped too,
   * so that a log line shows what was sent on one line.
   */
  public static String printable(String tenantId) {
    String shown = Validation.abbreviate(tenantId);
    return shown == null ? null
        : shown.replace("\t", "\\u0009").replace("\n", "\\u000A").replace("\r", "\\u000D");
  }

  private static boolean isSpace(int codePoint) {
    return Character.isWhitespace(codePoint) || Character.isSpaceChar(codePoint);
  }
}
