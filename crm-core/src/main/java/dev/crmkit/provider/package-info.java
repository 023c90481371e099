/**
 * Provider descriptors: what a provider is and what it needs, for catalogues, settings forms,
 * credential vaults and configuration checks. Entry point: {@link dev.crmkit.provider.ProviderDescriptor},
 * returned by {@link dev.crmkit.CustomerSystemProvider#descriptor()} and listed by
 * {@link dev.crmkit.IntegrationFactory#descriptors()}; it is made of a
 * {@link dev.crmkit.provider.ProviderCategory}, {@link dev.crmkit.provider.AuthKind}s and
 * {@link dev.crmkit.provider.SettingDescriptor}s of a {@link dev.crmkit.provider.SettingType}.
 */
package dev.crmkit.provider;
