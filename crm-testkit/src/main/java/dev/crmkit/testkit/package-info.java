/**
 * Tests a provider or a sync store implementer runs against its own code.
 *
 * <p>Entry points: {@link dev.crmkit.testkit.CustomerSystemContractTest} (the provider contract suite:
 * extend it and supply a system), {@link dev.crmkit.testkit.SyncStoreContractTest} (the same for a
 * {@code SyncStore}), {@link dev.crmkit.testkit.FaultyCustomerSystem} (a wrapper that fails or dies at
 * chosen calls, for crash and outage tests) and {@link dev.crmkit.testkit.MutableClock}. The sync
 * scenarios every remote provider runs are in {@code dev.crmkit.testkit.sync}. Vendor
 * emulators are in {@code dev.crmkit.testkit.hubspot}; OpenAPI conformance checks in
 * {@code dev.crmkit.testkit.openapi}.
 */
package dev.crmkit.testkit;
