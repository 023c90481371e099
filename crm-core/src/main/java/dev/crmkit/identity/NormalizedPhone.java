package dev.crmkit.identity;

import java.util.Objects;

/**
 * A phone number after normalization.
 *
 * @param value E.164 (such as {@code +14155550100}) when {@code parsed}, otherwise the number as
 *     typed, trimmed and without its extension; never null
 * @param extension extension digits, or {@code null} when there is none
 * @param parsed whether libphonenumber recognized a possible number for the region
 * @param matchKey the exact-match key: the E.164 form when parsed, otherwise the number's digits
 *     prefixed with {@code #} (so an unparsed key never equals a parsed one); never null
 * @param looseKey the duplicate-detection key: the national significant number when parsed,
 *     otherwise the last ten digits (or all when fewer); never null
 * @param identifying whether the number identifies a person: always when parsed; when kept as typed,
 *     only with {@value PhoneNumbers#MIN_IDENTITY_DIGITS} to {@value PhoneNumbers#MAX_IDENTITY_DIGITS}
 *     digits (see {@link PhoneNumbers}). A fragment such as {@code -4940} is stored but matches nobody.
 */
public record NormalizedPhone(
    String value, String extension, boolean parsed, String matchKey, String looseKey, boolean identifying) {
  public NormalizedPhone {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(matchKey, "matchKey");
    Objects.requireNonNull(looseKey, "looseKey");
  }

  /**
   * The identity key: {@link #matchKey()} when the number {@linkplain #identifying() identifies} a
   * person, otherwise {@code null}. Stores index, look up and match customers by this key only.
   */
  public String identityKey() {
    return identifying ? matchKey : null;
  }

  /** The number with its extension, as {@code "+14155550100 x12"}; the form {@code Customer.get(PHONE)} returns. */
  public String withExtension() {
    return extension == null ? value : value + " x" + extension;
  }
}
