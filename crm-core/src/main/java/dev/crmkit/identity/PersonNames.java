package dev.crmkit.identity;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/** The name-based duplicate-detection key. Stateless and thread-safe. */
public final class PersonNames {
  private static final Pattern MARKS = Pattern.compile("\\p{M}+");

  private PersonNames() {}

  /**
   * The loose key of a person: {@code first|last|company}, each part trimmed, stripped of accents and
   * lower-cased, so {@code "José", "Núñez", "ACME"} and {@code "jose", "nunez", "Acme "} share a key.
   * Two customers with the same key are duplicate candidates, never matched automatically.
   *
   * @param firstName given name, or {@code null}
   * @param lastName family name, or {@code null}
   * @param company company, or {@code null} (counts as empty)
   * @return the key, or {@code null} when the first or last name is unknown
   */
  public static String looseKey(String firstName, String lastName, String company) {
    if (firstName == null || lastName == null) {
      return null;
    }
    return fold(firstName) + "|" + fold(lastName) + "|" + (company == null ? "" : fold(company));
  }

  private static String fold(String s) {
    return MARKS.matcher(Normalizer.normalize(s.strip(), Normalizer.Form.NFD)).replaceAll("").toLowerCase(Locale.ROOT);
  }
}
