package dev.crmkit.jdbc.internal;

import dev.crmkit.Customer;
import dev.crmkit.identity.EmailAddresses;
import dev.crmkit.identity.NormalizedPhone;
import dev.crmkit.identity.PersonNames;
import dev.crmkit.identity.PhoneNumbers;
import java.util.Locale;

/**
 * The keys stored beside a customer: exact match keys (unique per tenant while the customer is live,
 * {@code null} while it is deleted or merged), loose duplicate-detection keys, and the lower-cased
 * name searched by substring.
 *
 * @param emailKey the normalized email while live, else {@code null}
 * @param phoneKey {@link NormalizedPhone#identityKey()} while live, else {@code null}: a fragment such as
 *     {@code -4940} identifies nobody and holds no key, so any number of customers may have it
 * @param emailLooseKey {@link EmailAddresses#looseKey}
 * @param phoneLooseKey {@link NormalizedPhone#looseKey()}
 * @param nameKey lower-cased, accent-stripped {@code first|last|company} when first and last name are
 *     known, cut to {@value #MAX_NAME_KEY} characters
 * @param nameSearch lower-cased full name, cut to {@value #MAX_NAME_SEARCH} characters
 */
public record IdentityKeys(
    String emailKey, String phoneKey, String emailLooseKey, String phoneLooseKey, String nameKey, String nameSearch) {
  /** Size of the {@code name_key} column. */
  static final int MAX_NAME_KEY = 800;
  /** Size of the {@code name_search} column. */
  static final int MAX_NAME_SEARCH = 520;

  /** The keys of a customer; phones are re-read with the tenant's normalization. */
  public static IdentityKeys of(Customer c, PhoneNumbers phones) {
    NormalizedPhone phone = c.phone() == null ? null : phones.normalize(c.phone());
    boolean live = !c.isDeleted();
    String nameKey = PersonNames.looseKey(c.firstName(), c.lastName(), c.company());
    String full = c.fullName();
    return new IdentityKeys(
        live ? c.email() : null,
        live && phone != null ? phone.identityKey() : null,
        EmailAddresses.looseKey(c.email()),
        phone == null ? null : phone.looseKey(),
        fit(nameKey, MAX_NAME_KEY),
        full == null ? null : fit(full.toLowerCase(Locale.ROOT), MAX_NAME_SEARCH));
  }

  /**
   * A derived key cut to its column. Lower-casing and decomposing can lengthen a name that fits its
   * own column ({@code "İ"} lower-cases to two characters, a Hangul syllable decomposes to two or
   * three), and the name is valid, so the key is shortened rather than the name refused. Only
   * searches for text beyond the cut, or names equal for 800 characters, are affected.
   */
  private static String fit(String key, int max) {
    if (key == null || key.length() <= max) {
      return key;
    }
    return key.substring(0, Character.isHighSurrogate(key.charAt(max - 1)) ? max - 1 : max);
  }

  /** The identity key of a stored phone, or {@code null} when it has none (absent, or a fragment). */
  public static String phoneKey(String phone, PhoneNumbers phones) {
    return phone == null ? null : phones.normalize(phone).identityKey();
  }

}
