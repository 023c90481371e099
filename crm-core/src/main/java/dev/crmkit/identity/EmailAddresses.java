package dev.crmkit.identity;

import dev.crmkit.error.ValidationException;
import java.net.IDN;
import java.util.Locale;

/**
 * Email normalization and the email match keys. Stateless and thread-safe.
 *
 * <p>Emails match case-insensitively: the stored form and the match key are the address trimmed
 * and lower-cased, local part included. (RFC 5321 lets a server treat local parts case-sensitively;
 * no mainstream mailbox provider does, and CRMs such as HubSpot match contacts the same way.)
 *
 * <p>An internationalized domain has one form whichever way it was typed: {@code user@bücher.de},
 * {@code user@BÜCHER.de} and {@code user@xn--bcher-kva.de} all normalize to {@code user@bücher.de}.
 * The domain goes through {@link IDN#toASCII} (IDNA 2003 nameprep: case folding and NFKC) and back
 * through {@link IDN#toUnicode}, so the stored form stays readable while every spelling of the same
 * host meets in one key. A domain that IDNA cannot convert (such as a label over 63 characters) is
 * kept lower-cased as typed.
 */
public final class EmailAddresses {
  private static final int MAX_LENGTH = 254;

  private EmailAddresses() {}

  /**
   * Normalizes an email address for storage and matching.
   *
   * @param raw the address as typed; surrounding spaces and a {@code mailto:} prefix are dropped
   * @param field the field name for errors, such as {@code "email"}
   * @return the trimmed, lower-cased address with its domain in Unicode form, or {@code null} when
   *     {@code raw} is null or blank
   * @throws ValidationException naming {@code field} and the value when it is not an address
   */
  public static String normalize(String raw, String field) {
    if (raw == null || raw.isBlank()) {
      return null;
    }
    String s = stripped(raw);
    String problem = problem(s);
    if (problem != null) {
      throw ValidationException.of(field, raw, problem);
    }
    int at = s.lastIndexOf('@');
    return s.substring(0, at).toLowerCase(Locale.ROOT) + "@" + domain(s.substring(at + 1));
  }

  private static String domain(String typed) {
    try {
      return IDN.toUnicode(IDN.toASCII(typed, IDN.ALLOW_UNASSIGNED), IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
    } catch (IllegalArgumentException e) {
      // Not convertible by IDNA 2003; the lower-cased text is still a consistent key for it.
      return typed.toLowerCase(Locale.ROOT);
    }
  }

  /** {@link #normalize(String, String)} with the field name {@code "email"}. */
  public static String normalize(String raw) {
    return normalize(raw, "email");
  }

  /** True when {@code raw} normalizes without error (null and blank count as valid: absent). */
  public static boolean isValid(String raw) {
    if (raw == null || raw.isBlank()) {
      return true;
    }
    return problem(stripped(raw)) == null;
  }

  private static String stripped(String raw) {
    String s = raw.strip();
    return s.regionMatches(true, 0, "mailto:", 0, 7) ? s.substring(7) : s;
  }

  /**
   * The duplicate-detection key: looser than the match key. The {@code +tag} of the local part is
   * dropped, and for Gmail addresses the dots too, since those reach the same mailbox. Two customers
   * with the same loose key are duplicate candidates, never matched automatically.
   *
   * @param normalized an address from {@link #normalize(String)}, or {@code null}
   * @return the loose key, or {@code null} for a null address
   */
  public static String looseKey(String normalized) {
    if (normalized == null) {
      return null;
    }
    int at = normalized.lastIndexOf('@');
    String local = normalized.substring(0, at);
    String domain = normalized.substring(at + 1);
    int plus = local.indexOf('+');
    if (plus > 0) {
      local = local.substring(0, plus);
    }
    if (domain.equals("gmail.com") || domain.equals("googlemail.com")) {
      local = local.replace(".", "");
      domain = "gmail.com";
    }
    return local + "@" + domain;
  }

  // A deliberately practical check (not full RFC 5322): what CRMs and mail providers accept.
  private static String problem(String s) {
    if (s.length() > MAX_LENGTH) {
      return "longer than " + MAX_LENGTH + " characters";
    }
    int at = s.lastIndexOf('@');
    if (at < 0 || s.indexOf('@') != at) {
      return "must contain exactly one '@'";
    }
    if (at == 0) {
      return "missing the part before '@'";
    }
    if (at == s.length() - 1) {
      return "missing the domain after '@'";
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isWhitespace(c) || Character.isISOControl(c) || c == ',' || c == ';' || c == '<' || c == '>') {
        return "contains '" + (Character.isWhitespace(c) ? "space" : String.valueOf(c)) + "'";
      }
    }
    String domain = s.substring(at + 1);
    if (!domain.contains(".") || domain.startsWith(".") || domain.endsWith(".") || domain.contains("..")) {
      return "domain '" + domain + "' is not a valid host name";
    }
    String local = s.substring(0, at);
    if (local.startsWith(".") || local.endsWith(".") || local.contains("..")) {
      return "misplaced '.' before '@'";
    }
    return null;
  }
}
