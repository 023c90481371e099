package dev.crmkit.testkit.salesforce;

import java.util.regex.Pattern;

/**
 * Salesforce record ids: 15 case-sensitive characters (a three-character key prefix naming the
 * object type, then the record's number) plus a three-character suffix that makes the id unique
 * even when compared case-insensitively. Each suffix character encodes which of five id
 * characters are upper-case letters, as a five-bit number indexing {@code A-Z0-5}. Stateless.
 *
 * @see <a href="https://help.salesforce.com/s/articleView?id=000385008&type=1">Salesforce: what
 *     are Salesforce IDs composed of</a>
 */
final class SalesforceIds {
  private static final String SUFFIX_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";
  private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  private static final Pattern SHAPE = Pattern.compile("[a-zA-Z0-9]{15}|[a-zA-Z0-9]{18}");

  private SalesforceIds() {}

  /**
   * @param keyPrefix three characters, such as {@code 003}
   * @param number the record's sequence number, from 0
   * @return the 18-character id: prefix, {@code 5g} (a fixed instance), a base-62 number padded to
   *     ten characters, and the case-safe suffix
   */
  static String of(String keyPrefix, long number) {
    StringBuilder digits = new StringBuilder();
    long n = number;
    do {
      digits.append(BASE62.charAt((int) (n % 62)));
      n /= 62;
    } while (n > 0);
    while (digits.length() < 10) {
      digits.append('0');
    }
    return to18(keyPrefix + "5g" + digits.reverse());
  }

  /** @return true when {@code id} is 15 or 18 letters and digits, and an 18-character id's suffix matches */
  static boolean wellFormed(String id) {
    if (id == null || !SHAPE.matcher(id).matches()) {
      return false;
    }
    return id.length() == 15 || to18(id.substring(0, 15)).equals(id);
  }

  /**
   * @param id a well-formed 15- or 18-character id
   * @return the 18-character form
   */
  static String to18(String id) {
    if (id.length() == 18) {
      return id;
    }
    StringBuilder suffix = new StringBuilder(3);
    for (int chunk = 0; chunk < 3; chunk++) {
      int bits = 0;
      for (int i = 0; i < 5; i++) {
        char c = id.charAt(chunk * 5 + i);
        if (c >= 'A' && c <= 'Z') {
          bits |= 1 << i;
        }
      }
      suffix.append(SUFFIX_ALPHABET.charAt(bits));
    }
    return id + suffix;
  }

  /** @return the 18-character form of a well-formed id, or null when {@code id} is not one */
  static String normalize(String id) {
    return wellFormed(id) ? to18(id) : null;
  }
}
