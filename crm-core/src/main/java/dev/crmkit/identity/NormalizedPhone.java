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
 */
public record NormalizedPhone(String value, String extension, boolean parsed, String matchKey, String looseKey) {
  public NormalizedPhone {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(matchKey, "matchKey");
    Objects.requireNonNull(looseKey, "looseKey");
  }

  /** The number with its extension, as {@code "+14155550100 x12"}; the form {@code Customer.get(PHONE)} returns. */
  public String withExtension() {
    return extension == null ? value : value + " x" + extension;
  }
}
