package dev.crmkit;

import dev.crmkit.error.ConfigurationException;
import dev.crmkit.spi.Secrets;
import dev.crmkit.spi.TenantIds;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Which back end a tenant uses and how to reach it. Immutable; {@link #toString()} never shows
 * credential values, the value of a secret-named setting (such as {@code jdbcPassword}), nor a
 * password or secret parameter inside a setting that holds a URL (such as {@code jdbcUrl}).
 *
 * <p>{@code version} names a configuration for the host; {@link IntegrationFactory} reuses a cached
 * system only while provider, version, settings and credentials are all unchanged.
 *
 * @param tenantId the host's tenant id: 1 to 128 characters, compared exactly (no case folding, padding
 *     or Unicode normalization); no leading or trailing whitespace, no control characters, no unpaired
 *     surrogates
 * @param provider provider name or alias, such as {@code "native"} or {@code "hubspot"}
 * @param version configuration version, 0 or more
 * @param settings non-secret settings such as {@code defaultRegion}; never null
 * @param credentials secrets such as tokens; never null, never printed
 */
public record TenantConfig(
    String tenantId, String provider, long version, Map<String, String> settings, Map<String, String> credentials) {

  /** Setting: ISO 3166-1 region used to read phone numbers written without a country code. Default {@code US}. */
  public static final String DEFAULT_REGION = "defaultRegion";

  /**
   * @throws ConfigurationException naming {@code tenantId}, the rule it breaks and the id (cut, control
   *     characters escaped) when the tenant id is not acceptable
   * @throws ConfigurationException naming {@code provider} when it is blank, or {@code version} when it
   *     is negative
   */
  public TenantConfig {
    String tenantProblem = TenantIds.problem(tenantId);
    if (tenantProblem != null) {
      throw new ConfigurationException("tenantId '" + TenantIds.printable(tenantId) + "': " + tenantProblem);
    }
    if (provider == null || provider.isBlank()) {
      throw new ConfigurationException("tenant '" + tenantId + "': a tenant config needs a provider name, was '"
          + provider + "'");
    }
    if (version < 0) {
      throw new ConfigurationException("tenant '" + tenantId + "': version must be 0 or more: " + version);
    }
    settings = settings == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(settings));
    credentials = credentials == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(credentials));
  }

  /** A builder for a tenant and provider; version 0, no settings or credentials. */
  public static Builder builder(String tenantId, String provider) {
    return new Builder(tenantId, provider);
  }

  /** A setting's value, or {@code null} when unset. */
  public String setting(String key) {
    return settings.get(key);
  }

  /**
   * A required setting. A provider usually reads its settings through its
   * {@link dev.crmkit.provider.SettingDescriptor}s instead, which also check the type.
   *
   * @throws ConfigurationException naming the missing key, the tenant, the provider and the keys given
   */
  public String requireSetting(String key) {
    String v = settings.get(key);
    if (v == null || v.isBlank()) {
      throw new ConfigurationException("tenant '" + tenantId + "': provider '" + provider + "' needs setting '"
          + key + "' (given: " + settings.keySet() + ")");
    }
    return v;
  }

  /**
   * A required credential.
   *
   * @throws ConfigurationException naming the missing key (never a value)
   */
  public String requireCredential(String key) {
    String v = credentials.get(key);
    if (v == null || v.isBlank()) {
      throw new ConfigurationException("tenant '" + tenantId + "': provider '" + provider + "' needs credential '"
          + key + "' (given: " + credentials.keySet() + ")");
    }
    return v;
  }

  /** The {@value #DEFAULT_REGION} setting, default {@code "US"}. */
  public String defaultRegion() {
    return settings.getOrDefault(DEFAULT_REGION, "US");
  }

  @Override
  public String toString() {
    return "TenantConfig{tenantId=" + tenantId + ", provider=" + provider + ", version=" + version
        + ", settings=" + redactedSettings() + ", credentials=" + credentials.keySet() + " (redacted)}";
  }

  private String redactedSettings() {
    Map<String, String> shown = new TreeMap<>();
    settings.forEach((k, v) -> shown.put(k, Secrets.isSecretName(k) ? Secrets.MASK : Secrets.redactUrl(v)));
    return shown.toString();
  }

  /** Builds tenant configs; not thread-safe. */
  public static final class Builder {
    private final String tenantId;
    private final String provider;
    private long version;
    private final Map<String, String> settings = new TreeMap<>();
    private final Map<String, String> credentials = new TreeMap<>();

    private Builder(String tenantId, String provider) {
      this.tenantId = tenantId;
      this.provider = provider;
    }

    /** The configuration version, 0 or more (checked by {@link #build()}); default 0. */
    public Builder version(long v) { version = v; return this; }

    /**
     * Sets a setting, replacing an earlier value of the key.
     *
     * @throws NullPointerException when {@code key} is null
     */
    public Builder setting(String key, String value) { settings.put(Objects.requireNonNull(key, "key"), value); return this; }

    /**
     * Sets a credential, never printed, replacing an earlier value of the key.
     *
     * @throws NullPointerException when {@code key} is null
     */
    public Builder credential(String key, String value) { credentials.put(Objects.requireNonNull(key, "key"), value); return this; }

    /** @throws ConfigurationException as {@link TenantConfig}'s constructor */
    public TenantConfig build() {
      return new TenantConfig(tenantId, provider, version, settings, credentials);
    }
  }
}
