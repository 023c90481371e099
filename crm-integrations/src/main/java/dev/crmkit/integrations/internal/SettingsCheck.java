package dev.crmkit.integrations.internal;

import dev.crmkit.error.FieldError;
import dev.crmkit.error.ValidationException;
import dev.crmkit.provider.AuthKind;
import dev.crmkit.provider.ProviderDescriptor;
import dev.crmkit.provider.SettingDescriptor;
import dev.crmkit.spi.EditDistance;
import dev.crmkit.spi.Secrets;
import dev.crmkit.spi.Validation;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks a tenant's settings and credentials against the provider's {@link ProviderDescriptor}, with
 * the rules of {@link ProviderDescriptor#validate} but as domain input: every problem is a
 * {@link FieldError} naming {@code settings.<key>} or {@code credentials.<key>}, all reported at once.
 *
 * <ul>
 *   <li>a key the provider does not read is refused, naming the nearest known key when one is close,
 *       and listing the known keys;
 *   <li>a secret setting given in {@code settings} is refused: it belongs in {@code credentials}, which
 *       are sealed (its value is not shown);
 *   <li>a value must have its setting's type, be at most {@value #MAX_VALUE} characters and hold no
 *       U+0000 (the value of a secret, or of anything given in credentials, is never shown);
 *   <li>a required setting that is not secret must be given. A required credential may be missing: the
 *       integration then stays {@link dev.crmkit.integrations.IntegrationStatus#DISCONNECTED} until it
 *       is given (or an OAuth connect brings it).
 * </ul>
 */
final class SettingsCheck {
  /** Longest setting or credential value, in characters: {@value}. */
  static final int MAX_VALUE = 8192;

  private SettingsCheck() {}

  /** @throws ValidationException listing every problem */
  static void check(ProviderDescriptor d, Map<String, String> settings, Map<String, String> credentials) {
    check(d, settings, credentials, Set.of());
  }

  /**
   * {@link #check(ProviderDescriptor, Map, Map)} where credentials already stored (and checked when
   * they were) are not changed: {@code storedCredentialKeys} count as given for the required settings.
   *
   * @throws ValidationException listing every problem
   */
  static void check(ProviderDescriptor d, Map<String, String> settings, Map<String, String> credentials,
      Set<String> storedCredentialKeys) {
    List<FieldError> errors = new ArrayList<>();
    settings.forEach((key, value) -> {
      Optional<SettingDescriptor> s = d.setting(key);
      if (s.isEmpty()) {
        errors.add(unknown(d, "settings." + key, key));
      } else if (s.get().secret()) {
        errors.add(new FieldError("settings." + key, null, "is a secret of provider '" + d.name()
            + "': give it in credentials, which are sealed, never in settings"));
      } else {
        value(s.get(), "settings." + key, key, value, false, errors);
      }
    });
    credentials.forEach((key, value) -> {
      Optional<SettingDescriptor> s = d.setting(key);
      if (s.isEmpty()) {
        errors.add(unknown(d, "credentials." + key, key));
      } else {
        value(s.get(), "credentials." + key, key, value, true, errors);
      }
    });
    for (SettingDescriptor s : d.settings()) {
      if (s.required() && !s.secret() && !s.prefix() && !settings.containsKey(s.key())
          && !credentials.containsKey(s.key()) && !storedCredentialKeys.contains(s.key())) {
        errors.add(new FieldError("settings." + s.key(), null, "is required by provider '" + d.name() + "': "
            + s.description()));
      }
    }
    Validation.throwIfAny(errors);
  }

  /**
   * True when the credentials let the provider authenticate without an OAuth connect: it needs no
   * authentication ({@link AuthKind#NONE}) or the credential of one of its API-token kinds is given;
   * and every required credential is given.
   */
  static boolean connected(ProviderDescriptor d, Map<String, String> credentials) {
    for (SettingDescriptor s : d.settings()) {
      if (s.required() && s.secret() && !credentials.containsKey(s.key())) {
        return false;
      }
    }
    return d.authKinds().stream().anyMatch(k -> k instanceof AuthKind.None
        || k instanceof AuthKind.ApiToken t && credentials.containsKey(t.credentialKey()));
  }

  /** @param credential given in credentials: the tenant meant it as a secret, whatever the setting is */
  private static void value(SettingDescriptor s, String field, String key, String value, boolean credential,
      List<FieldError> errors) {
    boolean secret = credential || s.secret() || Secrets.isSecretName(key);
    String shown = secret ? null : Validation.abbreviate(value);
    if (value.length() > MAX_VALUE) {
      errors.add(new FieldError(field, shown, "longer than " + MAX_VALUE + " characters"));
    } else if (value.indexOf('\0') >= 0) {
      errors.add(new FieldError(field, shown, "holds a NUL character (U+0000)"));
    } else if (!s.type().accepts(value)) {
      errors.add(new FieldError(field, shown, "must be " + s.type().description() + " (" + s.type() + ")"));
    }
  }

  private static FieldError unknown(ProviderDescriptor d, String field, String key) {
    String closest = null;
    int best = Integer.MAX_VALUE;
    for (SettingDescriptor s : d.settings()) {
      int distance = EditDistance.between(key.toLowerCase(Locale.ROOT), s.key().toLowerCase(Locale.ROOT));
      if (distance < best && distance <= Math.max(1, s.key().length() / 3)) {
        best = distance;
        closest = s.displayKey();
      }
    }
    return new FieldError(field, null, "provider '" + d.name() + "' reads no such key"
        + (closest == null ? "" : " (did you mean '" + closest + "'?)") + "; known: "
        + d.settings().stream().map(SettingDescriptor::displayKey).collect(Collectors.joining(", ")));
  }
}
