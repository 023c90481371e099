package dev.crmkit.salesforce.internal;

import java.util.regex.Pattern;

/**
 * Salesforce ids in their two forms: 15 case-sensitive characters, or those plus a three-character
 * suffix encoding which of them are upper case (so the 18-character form survives case-insensitive
 * comparison). Stateless.
 *
 * @see <a href="https://help.salesforce.com/s/articleView?id=000385008&type=1">Salesforce: what are Salesforce IDs composed of</a>
 */
public final class SalesforceIds {
  private static final String SUFFIX_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";
  private static final Pattern SHAPE = Pattern.compile("[a-zA-Z0-9]{15}|[a-zA-Z0-9]{18}");

  private SalesforceIds() {}

  /**
   * @param id any text, or {@code null}
   * @return the 18-character form of a 15-character id, or an 18-character id whose suffix matches its
   *     first 15 characters (the suffix compared case-insensitively, as Salesforce accepts it); {@code null}
   *     for anything else
   */
  public static String to18(String id) {
    if (id == null || !SHAPE.matcher(id).matches()) {
      return null;
    }
    String base = id.substring(0, 15);
    StringBuilder suffix = new StringBuilder(3);
    for (int chunk = 0; chunk < 3; chunk++) {
      int bits = 0;
      for (int i = 0; i < 5; i++) {
        char c = base.charAt(chunk * 5 + i);
        if (c >= 'A' && c <= 'Z') {
          bits |= 1 << i;
        }
      }
      suffix.append(SUFFIX_ALPHABET.charAt(bits));
    }
    if (id.length() == 18 && !id.substring(15).equalsIgnoreCase(suffix.toString())) {
      return null;
    }
    return base + suffix;
  }

  /**
   * @return true when both are well-formed ids (either form) naming the same record: the first 15
   *     characters equal case-sensitively
   */
  public static boolean same(String a, String b) {
    String x = to18(a);
    String y = to18(b);
    return x != null && x.equals(y);
  }
}
