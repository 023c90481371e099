package dev.crmkit;

/**
 * A postal address. Every part is nullable (unknown).
 *
 * @param line1 street and number
 * @param line2 apartment, suite, building
 * @param city city or locality
 * @param region state, province or county
 * @param postalCode postal or ZIP code
 * @param country ISO 3166-1 alpha-2 code when known, otherwise the country as written
 */
public record Address(String line1, String line2, String city, String region, String postalCode, String country) {

  /** An address of which only the city and country are known. */
  public static Address ofCity(String city, String country) {
    return new Address(null, null, city, null, null, country);
  }

  /** True when no part is known. */
  public boolean isEmpty() {
    return line1 == null && line2 == null && city == null && region == null && postalCode == null && country == null;
  }
}
