/**
 * The bidirectional sync demo: {@link dev.crmkit.examples.syncdemo.SyncDemoRunner} syncs a
 * native-store tenant with the HubSpot or the Salesforce emulator (behind {@code DemoRemote}) under
 * each built-in conflict strategy and returns a
 * {@link dev.crmkit.examples.syncdemo.SyncDemoReport}.
 */
package dev.crmkit.examples.syncdemo;
