package dev.crmkit.jdbc.internal;

import dev.crmkit.Customer;
import dev.crmkit.identity.EmailAddresses;
import dev.crmkit.identity.NormalizedPhone;
import dev.crmkit.identity.PhoneNumbers;
import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The keys stored beside a customer: exact match keys (unique per tenant while the customer is live,
 * {@code null} while it is deleted or merged), loose duplicate-detection keys, and the lower-cased
 * name searched by substring.
 *
 * @param emailKey the normalized email while live, else {@code null}
 * @param phoneKey {@link NormalizedPhone#matchKey()} while live, else {@code null}
 * @param emailLooseKey {@link EmailAddresses#looseKey}
 * @param phoneLooseKey {@link NormalizedPhone#looseKey()}
 * @param nameKey lower-cased, accent-stripped {@code first|last|company} when first and last name are known
 * @param nameSearch lower-cased full name
 */
public record IdentityKeys(
    String emailKey, String phoneKey, String emailLooseKey, String phoneLooseKey, String nameKey, String nameSearch) {
  private static final Pattern MARKS = Pattern.compile("\\p{M}+");

  /** The keys of a customer; phones are re-read with the tenant's normalization. */
  public static IdentityKeys of(Customer c, PhoneNumbers phones) {
    NormalizedPhone phone = c.phone() == null ? null : phones.normalize(c.phone());
    boolean live = !c.isDeleted();
    String nameKey = c.firstName() == null || c.lastName() == null ? null
        : fold(c.firstName()) + "|" + fold(c.lastName()) + "|" + (c.company() == null ? "" : fold(c.company()));
    String full = c.fullName();
    return new IdentityKeys(
        live ? c.email() : null,
        live && phone != null ? phone.matchKey() : null,
        EmailAddresses.looseKey(c.email()),
        phone == null ? null : phone.looseKey(),
        nameKey,
        full == null ? null : full.toLowerCase(Locale.ROOT));
  }

  /** The match key of a stored phone, or {@code null}. */
  public static String phoneKey(String phone, PhoneNumbers phones) {
    return phone == null ? null : phones.normalize(phone).matchKey();
  }

  private static String fold(String s) {
    return MARKS.matcher(Normalizer.normalize(s.strip(), Normalizer.Form.NFD)).replaceAll("").toLowerCase(Locale.ROOT);
  }
}
