package dev.crmkit.internal;

import dev.crmkit.error.FieldError;
import dev.crmkit.error.ValidationException;
import dev.crmkit.identity.EmailAddresses;
import java.util.IllformedLocaleException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** Field checks shared by the input types; each collects {@link FieldError}s instead of throwing. */
public final class Validation {
  /** Longest free-text value accepted for a name, company or tag. */
  public static final int MAX_TEXT = 255;
  private static final Pattern CUSTOM_FIELD_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,63}");

  private Validation() {}

  /** Trimmed text or {@code null} when blank; an error when longer than {@link #MAX_TEXT}. */
  public static String text(String v, String field, List<FieldError> errors) {
    if (v == null || v.isBlank()) {
      return null;
    }
    String s = v.strip();
    if (s.length() > MAX_TEXT) {
      errors.add(new FieldError(field, abbreviate(s), "longer than " + MAX_TEXT + " characters"));
    }
    return s;
  }

  /** Normalized email or {@code null}; an error when malformed. */
  public static String email(String v, String field, List<FieldError> errors) {
    try {
      return EmailAddresses.normalize(v, field);
    } catch (ValidationException e) {
      errors.addAll(e.fieldErrors());
      return null;
    }
  }

  /** BCP 47 tag in canonical case, or {@code null}; an error when malformed. */
  public static String language(String v, String field, List<FieldError> errors) {
    if (v == null || v.isBlank()) {
      return null;
    }
    try {
      Locale locale = new Locale.Builder().setLanguageTag(v.strip().replace('_', '-')).build();
      return locale.toLanguageTag();
    } catch (IllformedLocaleException e) {
      errors.add(new FieldError(field, v, "not a BCP 47 language tag such as 'en' or 'pt-BR'"));
      return null;
    }
  }

  /** Trimmed, non-blank tags; an error per blank or over-long tag. */
  public static Set<String> tags(Set<String> tags, List<FieldError> errors) {
    Set<String> out = new TreeSet<>();
    for (String t : tags) {
      if (t == null || t.isBlank()) {
        errors.add(new FieldError("tags", t, "a tag must not be blank"));
      } else if (t.strip().length() > 100) {
        errors.add(new FieldError("tags", abbreviate(t), "a tag must be at most 100 characters"));
      } else {
        out.add(t.strip());
      }
    }
    return out;
  }

  /** Custom fields with checked names and non-null values; an error per bad entry. */
  public static Map<String, String> customFields(Map<String, String> fields, List<FieldError> errors) {
    Map<String, String> out = new TreeMap<>();
    for (Map.Entry<String, String> e : fields.entrySet()) {
      String name = e.getKey();
      if (name == null || !CUSTOM_FIELD_NAME.matcher(name).matches()) {
        errors.add(new FieldError("customFields", name,
            "a custom field name must start with a letter and hold at most 64 letters, digits, '_', '.' or '-'"));
      } else if (e.getValue() == null) {
        errors.add(new FieldError("customFields." + name, null, "a custom field value must not be null"));
      } else {
        out.put(name, e.getValue());
      }
    }
    return out;
  }

  /** Throws the collected errors, if any. */
  public static void throwIfAny(List<FieldError> errors) {
    if (!errors.isEmpty()) {
      throw new ValidationException(null, errors);
    }
  }

  /** A value cut for error messages. */
  public static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }
}
