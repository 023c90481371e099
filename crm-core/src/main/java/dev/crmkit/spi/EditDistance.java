package dev.crmkit.spi;

/**
 * Optimal string alignment distance (the restricted Damerau-Levenshtein distance): insertions,
 * deletions, substitutions and swaps of adjacent characters cost 1 each, counted in UTF-16 units.
 * Used to name the closest known key for a misspelled setting or CSV header.
 */
public final class EditDistance {
  private EditDistance() {}

  /**
   * The distance between two strings; time and memory grow with the product of their lengths.
   *
   * @param a a string, not {@code null}
   * @param b another string, not {@code null}
   * @return 0 when equal, at most {@code max(a.length(), b.length())}
   * @throws NullPointerException when an argument is {@code null}
   */
  public static int between(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
