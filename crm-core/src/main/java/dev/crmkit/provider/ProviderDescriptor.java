package dev.crmkit.provider;

import dev.crmkit.Capability;
import dev.crmkit.TenantConfig;
import dev.crmkit.spi.EditDistance;
import dev.crmkit.error.ConfigurationException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a provider is and what it needs, as {@link dev.crmkit.CustomerSystemProvider#descriptor()}
 * returns it: its name, display name and {@link ProviderCategory}, the optional operations it
 * supports ({@link Capability}), how a tenant authenticates ({@link AuthKind}) and the typed
 * settings it reads ({@link SettingDescriptor}). The integrations layer builds its catalogue, its
 * settings forms and its credential sealing from it; {@link dev.crmkit.IntegrationFactory} checks
 * every tenant config against it ({@link #validate}) before the provider builds a system.
 *
 * <p>Every descriptor holds {@link #DEFAULT_REGION}: the factory reads that setting for every
 * provider. The constructor adds it when the settings lack it.
 *
 * <pre>{@code
 * public static final ProviderDescriptor DESCRIPTOR = ProviderDescriptor
 *     .builder("csv-file", "CSV file", ProviderCategory.CRM)
 *     .features(Capability.SEARCH, Capability.DELETE)
 *     .auth(AuthKind.NONE)
 *     .setting(SettingDescriptor.builder("path", SettingType.PATH).required()
 *         .description("The CSV file; created on the first write.").build())
 *     .build();
 * }</pre>
 *
 * @param name the provider's name, as {@link dev.crmkit.CustomerSystemProvider#name()}: lower-case,
 *     such as {@code "hubspot"}
 * @param displayName the name people read, such as {@code "HubSpot"}
 * @param category what kind of tool it connects to
 * @param features the optional operations its systems support, as their
 *     {@link dev.crmkit.CustomerSystem#capabilities()}; unmodifiable, may be empty
 * @param authKinds the ways a tenant can authenticate, in order of preference; unmodifiable, at
 *     least one ({@link AuthKind#NONE} when there is nothing to authenticate)
 * @param settings every setting and credential the provider reads, in the order a form shows them,
 *     {@link #DEFAULT_REGION} included; unmodifiable, keys unique
 */
public record ProviderDescriptor(String name, String displayName, ProviderCategory category, Set<Capability> features,
    List<AuthKind> authKinds, List<SettingDescriptor> settings) {

  /**
   * The {@link TenantConfig#DEFAULT_REGION} setting every provider honours: the region that phone
   * numbers written without a country code are read in.
   */
  public static final SettingDescriptor DEFAULT_REGION = SettingDescriptor
      .builder(TenantConfig.DEFAULT_REGION, SettingType.REGION)
      .defaultValue("US")
      .description("ISO 3166-1 region that phone numbers written without a country code are read in.")
      .build();

  /**
   * The {@link dev.crmkit.Pipeline#SETTING} setting of the providers that keep deals themselves (the
   * native store, the memory provider): the tenant's pipelines in the format of
   * {@link dev.crmkit.Pipeline#parse}, by default {@link dev.crmkit.Pipeline#DEFAULT} alone. A blank
   * value means the default. Such a provider lists it in its descriptor and parses it when it builds a
   * system, so a malformed value is a {@link ConfigurationException} naming the setting.
   */
  public static final SettingDescriptor DEAL_PIPELINES = SettingDescriptor
      .builder(dev.crmkit.Pipeline.SETTING, SettingType.STRING)
      .defaultValue(dev.crmkit.Pipeline.DEFAULT.format())
      .description("The tenant's deal pipelines, ';' between pipelines, each 'id=Label: stage=Label, ..., "
          + "won=Won!won, lost=Lost!lost'; the first is where new deals go.")
      .build();

  /**
   * @throws NullPointerException naming the argument that is null, or holds a null element
   * @throws IllegalArgumentException naming the argument: a name that is blank or not lower-case
   *     without surrounding whitespace, a blank display name, no auth kind, or two settings with one key
   */
  public ProviderDescriptor {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(displayName, "displayName");
    Objects.requireNonNull(category, "category");
    if (name.isBlank() || !name.equals(name.strip().toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException("name must be lower-case without surrounding whitespace, was '" + name + "'");
    }
    if (displayName.isBlank()) {
      throw new IllegalArgumentException("displayName of provider '" + name + "' must not be blank");
    }
    features = Collections.unmodifiableSet(features(Objects.requireNonNull(features, "features")));
    authKinds = List.copyOf(Objects.requireNonNull(authKinds, "authKinds"));
    if (authKinds.isEmpty()) {
      throw new IllegalArgumentException("authKinds of provider '" + name + "' must not be empty: use AuthKind.NONE");
    }
    List<SettingDescriptor> all = new ArrayList<>(Objects.requireNonNull(settings, "settings"));
    Set<String> keys = new HashSet<>();
    for (SettingDescriptor s : all) {
      if (!keys.add(Objects.requireNonNull(s, "settings element").key())) {
        throw new IllegalArgumentException("settings of provider '" + name + "' name '" + s.key() + "' twice");
      }
    }
    if (!keys.contains(DEFAULT_REGION.key())) {
      all.add(DEFAULT_REGION);
    }
    settings = List.copyOf(all);
  }

  private static EnumSet<Capability> features(Collection<Capability> features) {
    EnumSet<Capability> set = EnumSet.noneOf(Capability.class);
    for (Capability c : features) {
      set.add(Objects.requireNonNull(c, "features element"));
    }
    return set;
  }

  /** A builder for a provider of this name, display name and category: no features, settings or auth kinds yet. */
  public static Builder builder(String name, String displayName, ProviderCategory category) {
    return new Builder(name, displayName, category);
  }

  /**
   * The setting that covers a key: the one with that key, or the prefix setting it starts with.
   *
   * @return the setting, or empty when the provider reads no such key
   */
  public Optional<SettingDescriptor> setting(String key) {
    Objects.requireNonNull(key, "key");
    return settings.stream().filter(s -> s.matches(key)).findFirst();
  }

  /**
   * Checks a tenant's config against the settings: every required one is given (not blank), every
   * key given (in settings or credentials) is one this provider reads, and every value has its
   * setting's type. Conditions between settings (one of two credentials, say) are the provider's to
   * check when it builds a system.
   *
   * @throws ConfigurationException naming the tenant and the provider and listing every problem: a
   *     missing key; an unknown key with the closest known key when one is close, and the known
   *     keys; a key whose value is not of its type, with the type and the value (never the value of
   *     a secret setting)
   * @throws NullPointerException when {@code config} is null
   */
  public void validate(TenantConfig config) {
    Objects.requireNonNull(config, "config");
    List<String> problems = new ArrayList<>();
    for (SettingDescriptor s : settings) {
      if (!s.prefix()) {
        String given = SettingDescriptor.given(config, s.key());
        if (given == null || given.isBlank()) {
          String missing = s.missingProblem();
          if (missing != null) {
            problems.add(missing);
          }
        }
      }
    }
    check(config.settings(), "setting", problems);
    check(config.credentials(), "credential", problems);
    if (!problems.isEmpty()) {
      throw new ConfigurationException(where(config) + String.join("; ", problems));
    }
  }

  private void check(Map<String, String> given, String what, List<String> problems) {
    given.forEach((key, value) -> {
      Optional<SettingDescriptor> setting = setting(key);
      if (setting.isEmpty()) {
        String closest = closest(key);
        problems.add("unknown " + what + " '" + key + "'" + (closest == null ? "" : " (did you mean '" + closest + "'?)")
            + "; known: " + settings.stream().map(SettingDescriptor::displayKey).collect(Collectors.joining(", ")));
      } else if (value != null && !(value.isBlank() && setting.get().required())) {
        String problem = setting.get().typeProblem(key, value);
        if (problem != null) {
          problems.add(problem);
        }
      }
    });
  }

  /** The known key nearest to {@code key} in edit distance, when near enough to be a typo; otherwise null. */
  private String closest(String key) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (SettingDescriptor s : settings) {
      String candidate = s.key();
      String compared = key;
      if (s.prefix()) {
        int dot = key.indexOf('.');
        compared = dot < 0 ? key : key.substring(0, dot + 1);
      }
      int d = EditDistance.between(compared.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
      if (d < bestDistance && d <= Math.max(1, candidate.length() / 3)) {
        bestDistance = d;
        best = s.prefix() ? candidate + key.substring(compared.length()) : candidate;
      }
    }
    return best;
  }

  /** {@code "tenant 'acme', provider 'hubspot': "}, the start of every configuration message. */
  static String where(TenantConfig config) {
    return "tenant '" + config.tenantId() + "', provider '" + config.provider() + "': ";
  }

  /** Builds a {@link ProviderDescriptor}; not thread-safe. */
  public static final class Builder {
    private final String name;
    private final String displayName;
    private final ProviderCategory category;
    private final List<Capability> features = new ArrayList<>();
    private final List<AuthKind> authKinds = new ArrayList<>();
    private final List<SettingDescriptor> settings = new ArrayList<>();

    private Builder(String name, String displayName, ProviderCategory category) {
      this.name = name;
      this.displayName = displayName;
      this.category = category;
    }

    /** Adds supported optional operations. */
    public Builder features(Capability... v) { Collections.addAll(features, v); return this; }

    /** Adds supported optional operations. */
    public Builder features(Collection<Capability> v) { features.addAll(v); return this; }

    /** Adds ways to authenticate, in order of preference. */
    public Builder auth(AuthKind... v) { Collections.addAll(authKinds, v); return this; }

    /** Adds settings, in the order a form shows them. */
    public Builder setting(SettingDescriptor... v) { Collections.addAll(settings, v); return this; }

    /** @throws NullPointerException or IllegalArgumentException as {@link ProviderDescriptor}'s constructor */
    public ProviderDescriptor build() {
      return new ProviderDescriptor(name, displayName, category, new HashSet<>(features), authKinds, settings);
    }
  }
}
