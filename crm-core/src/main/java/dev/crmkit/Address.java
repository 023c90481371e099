package dev.crmkit;

/**
 * A postal address. Every part is nullable (unknown).
 *
 * <p>As an input (in a {@link CustomerDraft} or {@link CustomerUpdate}), each part is at most 255
 * characters (UTF-16 units) without {@code U+0000} or unpaired surrogates; builders and systems reject
 * a longer part with a {@link dev.crmkit.error.ValidationException} naming it ({@code address.city}).
 * The record itself does not check, so that an address read from another system is always readable.
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
