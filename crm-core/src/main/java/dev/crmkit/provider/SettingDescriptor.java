package dev.crmkit.provider;

import dev.crmkit.TenantConfig;
import dev.crmkit.error.ConfigurationException;
import dev.crmkit.spi.Secrets;
import dev.crmkit.spi.Validation;
import java.net.URI;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One setting a provider reads from a {@link TenantConfig}: its key, type, default, whether it is
 * required and whether it is secret, what it means and where the vendor documents it. The
 * integrations layer builds its settings forms from these, and {@link ProviderDescriptor#validate}
 * checks a tenant's config against them before the provider sees it.
 *
 * <p>Where a value is read: a key may be given in {@link TenantConfig#credentials()} or in
 * {@link TenantConfig#settings()}; when both hold it, the credential wins. A host puts secret ones
 * in the credentials, which are never printed. A <em>prefix</em> setting stands for every key that
 * starts with its {@link #key()}, such as HubSpot's {@code customField.<name>}.
 *
 * <p>The reading methods ({@link #value}, {@link #intValue}, {@link #booleanValue},
 * {@link #prefixedValues}) check the value as {@link ProviderDescriptor#validate} does, so a
 * provider called without the factory still refuses a bad value with the same message. Messages
 * never show the value of a secret setting.
 *
 * @param key the key as tenants write it, such as {@code "tenSecondlyLimit"}; for a prefix setting
 *     the prefix, such as {@code "customField."}
 * @param type the type every value must have
 * @param defaultValue the value used when the tenant gives none, valid for {@code type}; {@code null}
 *     when there is none (always for required, secret and prefix settings)
 * @param required true when a tenant must give it (not blank)
 * @param secret true for a credential: given in {@link TenantConfig#credentials()}, sealed by the
 *     integrations layer, never shown in a message, a form or a log line
 * @param prefix true when {@code key} is a prefix standing for many keys
 * @param description what the setting means and its unit, one or two sentences; never blank
 * @param docLink the vendor's page about it, or {@code null}
 */
public record SettingDescriptor(String key, SettingType type, String defaultValue, boolean required, boolean secret,
    boolean prefix, String description, URI docLink) {

  /**
   * @throws NullPointerException naming {@code key}, {@code type} or {@code description} when null
   * @throws IllegalArgumentException naming the argument: a blank key or one with whitespace, a
   *     blank description, a default the type does not accept, or a default on a required, secret or
   *     prefix setting
   */
  public SettingDescriptor {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(description, "description");
    if (key.isBlank() || key.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException("key must be non-blank without whitespace, was '" + key + "'");
    }
    if (description.isBlank()) {
      throw new IllegalArgumentException("description of setting '" + key + "' must not be blank");
    }
    if (defaultValue != null) {
      if (required || secret || prefix) {
        throw new IllegalArgumentException("defaultValue: setting '" + key + "' is "
            + (required ? "required" : secret ? "secret" : "a prefix") + " and cannot have a default");
      }
      if (!type.accepts(defaultValue)) {
        throw new IllegalArgumentException("defaultValue of setting '" + key + "' must be " + type.description()
            + ", was '" + defaultValue + "'");
      }
    }
  }

  /** A builder of a setting with this key and type: optional, not secret, no default, no doc link. */
  public static Builder builder(String key, SettingType type) {
    return new Builder(key, type);
  }

  /** True when {@code givenKey} is this setting's key, or starts with it for a prefix setting. */
  public boolean matches(String givenKey) {
    return prefix ? givenKey.startsWith(key) && givenKey.length() > key.length() : givenKey.equals(key);
  }

  /** The key as a form or a table shows it: {@code "customField.<name>"} for a prefix setting. */
  public String displayKey() {
    return prefix ? key + "<name>" : key;
  }

  /**
   * The tenant's value, or the default when the tenant gives none.
   *
   * @return the value as given (not stripped), the default, or {@code null} when there is neither
   * @throws ConfigurationException naming the tenant, provider and key when the setting is required
   *     and missing or blank, or naming the key, the type and the value (never a secret one) when
   *     the value is not of the type
   * @throws IllegalStateException for a prefix setting: use {@link #prefixedValues}
   */
  public String value(TenantConfig config) {
    if (prefix) {
      throw new IllegalStateException("setting '" + key + "' is a prefix: read it with prefixedValues");
    }
    String given = given(config, key);
    String problem = given == null || given.isBlank() ? missingProblem() : null;
    if (problem == null && given != null) {
      problem = typeProblem(key, given);
    }
    if (problem != null) {
      throw new ConfigurationException(ProviderDescriptor.where(config) + problem);
    }
    return given == null ? defaultValue : given;
  }

  /**
   * The value of a {@link SettingType#POSITIVE_INTEGER} setting, or its default.
   *
   * @throws ConfigurationException as {@link #value}
   * @throws IllegalStateException when the type is another, or there is neither a value nor a default
   */
  public int intValue(TenantConfig config) {
    return Integer.parseInt(typed(config, SettingType.POSITIVE_INTEGER).strip());
  }

  /**
   * The value of a {@link SettingType#BOOLEAN} setting, or its default.
   *
   * @throws ConfigurationException as {@link #value}
   * @throws IllegalStateException when the type is another, or there is neither a value nor a default
   */
  public boolean booleanValue(TenantConfig config) {
    return Boolean.parseBoolean(typed(config, SettingType.BOOLEAN).strip());
  }

  /**
   * The values of a prefix setting, by the rest of their key: {@code customField.loyaltyId=x} gives
   * {@code loyaltyId=x}. Sorted by key; empty when there are none.
   *
   * @throws ConfigurationException naming the key, the type and the value when a value is not of the type
   * @throws IllegalStateException when this is not a prefix setting
   */
  public Map<String, String> prefixedValues(TenantConfig config) {
    if (!prefix) {
      throw new IllegalStateException("setting '" + key + "' is not a prefix: read it with value");
    }
    Map<String, String> values = new TreeMap<>();
    collect(config.settings(), values);
    collect(config.credentials(), values);
    for (Map.Entry<String, String> e : values.entrySet()) {
      String problem = typeProblem(key + e.getKey(), e.getValue());
      if (problem != null) {
        throw new ConfigurationException(ProviderDescriptor.where(config) + problem);
      }
    }
    return values;
  }

  private void collect(Map<String, String> from, Map<String, String> into) {
    from.forEach((k, v) -> {
      if (matches(k)) {
        into.put(k.substring(key.length()), v);
      }
    });
  }

  private String typed(TenantConfig config, SettingType expected) {
    if (type != expected) {
      throw new IllegalStateException("setting '" + key + "' is " + type + ", not " + expected);
    }
    String v = value(config);
    if (v == null) {
      throw new IllegalStateException("setting '" + key + "' has no value and no default");
    }
    return v;
  }

  /** The value a config gives for a key: the credential, else the setting; {@code null} when neither. */
  static String given(TenantConfig config, String key) {
    String v = config.credentials().get(key);
    return v != null ? v : config.settings().get(key);
  }

  /** Why a required setting is missing, or {@code null} when it is not required. */
  String missingProblem() {
    if (!required) {
      return null;
    }
    return "needs " + (secret ? "credential" : "setting") + " '" + key + "' (" + description + ")";
  }

  /** Why {@code value}, given under {@code givenKey}, is not of the type; {@code null} when it is. */
  String typeProblem(String givenKey, String value) {
    if (type.accepts(value)) {
      return null;
    }
    String shown = secret || Secrets.isSecretName(givenKey)
        ? "a value not shown here (secret)"
        : "'" + Validation.abbreviate(Secrets.redactUrl(value)) + "'";
    return (secret ? "credential" : "setting") + " '" + givenKey + "' must be " + type.description() + " (" + type
        + "), was " + shown;
  }

  /** Builds a {@link SettingDescriptor}; not thread-safe. */
  public static final class Builder {
    private final String key;
    private final SettingType type;
    private String defaultValue;
    private boolean required;
    private boolean secret;
    private boolean prefix;
    private String description;
    private URI docLink;

    private Builder(String key, SettingType type) {
      this.key = key;
      this.type = type;
    }

    /** What the setting means and its unit; required. */
    public Builder description(String v) { description = v; return this; }

    /** The value used when a tenant gives none; default none. */
    public Builder defaultValue(String v) { defaultValue = v; return this; }

    /** Marks the setting required: a tenant must give it. */
    public Builder required() { required = true; return this; }

    /** Marks the setting secret: a credential, never shown. */
    public Builder secret() { secret = true; return this; }

    /** Marks the key as a prefix standing for every key that starts with it. */
    public Builder prefix() { prefix = true; return this; }

    /**
     * The vendor's page about the setting; default none.
     *
     * @throws IllegalArgumentException naming the value when it is not a URI
     */
    public Builder docLink(String v) { docLink = URI.create(Objects.requireNonNull(v, "docLink")); return this; }

    /** @throws NullPointerException or IllegalArgumentException as {@link SettingDescriptor}'s constructor */
    public SettingDescriptor build() {
      return new SettingDescriptor(key, type, defaultValue, required, secret, prefix, description, docLink);
    }
  }
}
