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
 * @param nameKey lower-cased, accent-stripped {@code first|last|company} when first and last name are known
 * @param nameSearch lower-cased full name
 */
public record IdentityKeys(
    String emailKey, String phoneKey, String emailLooseKey, String phoneLooseKey, String nameKey, String nameSearch) {
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
        nameKey,
        full == null ? null : full.toLowerCase(Locale.ROOT));
  }

  /** The identity key of a stored phone, or {@code null} when it has none (absent, or a fragment). */
  public static String phoneKey(String phone, PhoneNumbers phones) {
    return phone == null ? null : phones.normalize(phone).identityKey();
  }

}
