package dev.crmkit.identity;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import dev.crmkit.error.ValidationException;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Phone normalization for one default region, built on
 * <a href="https://github.com/google/libphonenumber">libphonenumber</a>. Thread-safe; one shared
 * instance per region, which remembers the last 20,000 numbers it read.
 *
 * <p>A number is <em>parsed</em> when libphonenumber reads it for the region and finds it a
 * <em>possible</em> number (right length for its country, area code included: a local-only number
 * such as {@code 555-0100} in the US is not parsed). Validity against the numbering plan is
 * not required: exports often hold numbers whose area code no plan assigns, and those must still
 * match the same number typed another way. A number that is not possible is kept as typed, with a
 * digits-only match key.
 *
 * <p>A number identifies a person (is a match key at all) only when it is parsed, or, kept as typed,
 * has {@value #MIN_IDENTITY_DIGITS} to {@value #MAX_IDENTITY_DIGITS} digits. Seven is the length of
 * the shortest complete numbers in libphonenumber's metadata, country code included (fixed and
 * mobile lines of Niue {@code +683 7012}, Tokelau {@code +690 3101}, Tristan da Cunha
 * {@code +290 8999}); it is also a North American number without its area code, which still reaches
 * one line. A value with fewer digits cannot be a whole number anywhere: it is an extension, the tail
 * of a number cut by an export (such as {@code -4940}) or a house number in the wrong column, and
 * matching on it merges strangers. Fifteen is the most digits ITU-T E.164 allows. Such values are
 * still stored as typed, and still form a loose key for duplicate detection.
 *
 * <p>Numbers written with the {@code 00} international prefix (such as {@code 001-307-937-7505}) are
 * read as {@code +1 307 937 7505} when the default region's own rules do not make them possible.
 */
public final class PhoneNumbers {
  private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
  private static final int MAX_LENGTH = 64;
  /** Fewest digits of a number kept as typed that still identifies a person; see the class doc. */
  public static final int MIN_IDENTITY_DIGITS = 7;
  /** Most digits of a number kept as typed that still identifies a person (ITU-T E.164's maximum). */
  public static final int MAX_IDENTITY_DIGITS = 15;
  private static final int CACHE_SIZE = 20_000;
  private static final ConcurrentMap<String, PhoneNumbers> BY_REGION = new ConcurrentHashMap<>();

  private final String region;
  // Parsing costs microseconds and the same number is read again and again (lookup, then store, then
  // its keys), so results are remembered per region: a bounded map of raw text to normalized number.
  private final Cache<String, NormalizedPhone> parsed = Caffeine.newBuilder().maximumSize(CACHE_SIZE).build();

  private PhoneNumbers(String region) {
    this.region = region;
  }

  /**
   * Normalization for a default region.
   *
   * @param region ISO 3166-1 alpha-2 region such as {@code "US"} or {@code "DE"}, case-insensitive
   * @throws NullPointerException when {@code region} is null
   * @throws IllegalArgumentException naming {@code region} and the value when libphonenumber does not know it
   */
  public static PhoneNumbers forRegion(String region) {
    Objects.requireNonNull(region, "region");
    String r = region.trim().toUpperCase(Locale.ROOT);
    if (!UTIL.getSupportedRegions().contains(r)) {
      throw new IllegalArgumentException(
          "region must be an ISO 3166-1 alpha-2 region libphonenumber knows: '" + region + "'");
    }
    return BY_REGION.computeIfAbsent(r, PhoneNumbers::new);
  }

  /** The default region, upper-case. */
  public String region() {
    return region;
  }

  /**
   * Normalizes a phone number.
   *
   * @param raw the number as typed, with or without extension ({@code x123}, {@code ext. 123})
   * @param field field name for errors, such as {@code "phone"}
   * @return the normalized number, or {@code null} when {@code raw} is null or blank
   * @throws ValidationException naming {@code field} when the value has no digit at all or is longer
   *     than 64 characters
   */
  public NormalizedPhone normalize(String raw, String field) {
    if (raw == null || raw.isBlank()) {
      return null;
    }
    NormalizedPhone known = parsed.getIfPresent(raw);
    if (known != null) {
      return known;
    }
    NormalizedPhone result = read(raw, field);
    parsed.put(raw, result);
    return result;
  }

  private NormalizedPhone read(String raw, String field) {
    String typed = raw.strip();
    if (typed.length() > MAX_LENGTH) {
      throw ValidationException.of(field, raw, "longer than " + MAX_LENGTH + " characters");
    }
    PhoneNumber number = parse(typed, region);
    if (number == null && typed.startsWith("00")) {
      number = parse("+" + typed.substring(2), region);
    }
    if (number != null) {
      String e164 = UTIL.format(number, PhoneNumberUtil.PhoneNumberFormat.E164);
      String ext = number.hasExtension() && !number.getExtension().isEmpty() ? number.getExtension() : null;
      return new NormalizedPhone(e164, ext, true, e164, UTIL.getNationalSignificantNumber(number), true);
    }
    String[] split = splitExtension(typed);
    String digits = digits(split[0]);
    if (digits.isEmpty()) {
      throw ValidationException.of(field, raw, "contains no digits");
    }
    String loose = digits.length() > 10 ? digits.substring(digits.length() - 10) : digits;
    boolean identifying = digits.length() >= MIN_IDENTITY_DIGITS && digits.length() <= MAX_IDENTITY_DIGITS;
    return new NormalizedPhone(split[0], split[1], false, "#" + digits, loose, identifying);
  }

  /** {@link #normalize(String, String)} with the field name {@code "phone"}. */
  public NormalizedPhone normalize(String raw) {
    return normalize(raw, "phone");
  }

  /**
   * The identity key of a number ({@link NormalizedPhone#identityKey()}), or {@code null} when
   * {@code raw} is null, blank, has no digit or does not identify a person (a fragment such as
   * {@code -4940}). Never throws: for lookups, where such a value simply matches nothing.
   */
  public String matchKey(String raw) {
    try {
      NormalizedPhone n = normalize(raw);
      return n == null ? null : n.identityKey();
    } catch (ValidationException e) {
      return null;
    }
  }

  private static PhoneNumber parse(String s, String region) {
    try {
      PhoneNumber n = UTIL.parse(s, region);
      // IS_POSSIBLE_LOCAL_ONLY (a number without its area code) has no true E.164 form.
      return UTIL.isPossibleNumberWithReason(n) == PhoneNumberUtil.ValidationResult.IS_POSSIBLE ? n : null;
    } catch (NumberParseException e) {
      return null;
    }
  }

  private static String[] splitExtension(String typed) {
    String lower = typed.toLowerCase(Locale.ROOT);
    for (String marker : new String[] {"ext.", "ext", "x", "#"}) {
      int i = lower.lastIndexOf(marker);
      if (i > 0) {
        String ext = digits(typed.substring(i + marker.length()));
        String rest = typed.substring(i + marker.length()).replaceAll("[\\s.:]", "");
        if (!ext.isEmpty() && ext.length() == rest.length()) {
          return new String[] {typed.substring(0, i).strip(), ext};
        }
      }
    }
    return new String[] {typed, null};
  }

  private static String digits(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= '0' && c <= '9') {
        b.append(c);
      }
    }
    return b.toString();
  }
}
