package dev.crmkit;

/**
 * A provider that {@link IntegrationFactory} found but could not load. Other providers still work.
 *
 * @param description what failed to load, as the service loader reported it
 * @param error the failure
 */
public record ProviderLoadFailure(String description, Throwable error) {}
