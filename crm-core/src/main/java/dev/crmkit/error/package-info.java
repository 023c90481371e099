/**
 * crmkit's exceptions: one unchecked base, {@link dev.crmkit.error.CrmException}, and a subtype per
 * thing a caller can act on. Statuses and vendor codes map to these types in one place per runtime.
 *
 * <h2>Which exception, when</h2>
 *
 * <p>Every crmkit module follows one rule, chosen by <em>who</em> supplied the bad value:
 *
 * <ul>
 *   <li><b>The programmer</b>: an argument to a builder, a static factory or a constructor of a
 *       component (a connector, a rate limiter, a retry policy, a webhook handler, an emulator, an
 *       importer). A {@code null} raises {@link java.lang.NullPointerException} whose message is the
 *       argument's name ({@code Objects.requireNonNull(clock, "clock")}); a bad value raises
 *       {@link java.lang.IllegalArgumentException} naming the argument, the rule and the value
 *       ({@code "maxAttempts must be at least 1: 0"}); {@code build()} called without a required part,
 *       or with settings that conflict, raises {@link java.lang.IllegalStateException} naming the setter
 *       to call or the settings in conflict. The mistake is in
 *       code, so it fails at once, before anything runs, as it does in Caffeine and OkHttp.</li>
 *   <li><b>The tenant's configuration</b>: a {@link dev.crmkit.TenantConfig} (its id, provider name,
 *       version, settings and credentials) and what a provider builds from it.
 *       {@link dev.crmkit.error.ConfigurationException} naming the tenant, the setting or credential
 *       key (never a credential's value) and what is known or required. A provider that passes a
 *       setting to a builder turns the builder's {@code IllegalArgumentException} into a
 *       {@code ConfigurationException} naming the setting. The same type reports a wrong installation,
 *       such as two providers on the class path claiming one name.</li>
 *   <li><b>Domain input</b>: customer data and its drafts and updates, notes, activities, orders,
 *       queries and page requests, cursors, inbound messages, webhook payloads, imported files.
 *       {@link dev.crmkit.error.ValidationException} whose {@link dev.crmkit.error.FieldError}s name
 *       each field, the limit and the value (cut). Nothing was written.</li>
 * </ul>
 *
 * <p>Failures of the back end itself are the other subtypes: {@link dev.crmkit.error.AuthenticationException},
 * {@link dev.crmkit.error.NotFoundException}, {@link dev.crmkit.error.ConflictException},
 * {@link dev.crmkit.error.RateLimitedException}, {@link dev.crmkit.error.ApiConnectionException},
 * {@link dev.crmkit.error.ServerException}, {@link dev.crmkit.error.SignatureVerificationException}; an
 * operation a provider does not offer raises {@link dev.crmkit.error.UnsupportedCapabilityException},
 * also when a component is built around a system that lacks a capability it needs.
 */
package dev.crmkit.error;
