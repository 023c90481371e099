/**
 * The sync scenarios every remote provider runs: {@link dev.crmkit.testkit.sync.SyncScenarioSuite}
 * (extend it per local system and sync store) and {@link dev.crmkit.testkit.sync.RemoteSide} (implement
 * it once per vendor, over the vendor's emulator). The scenarios are written in crmkit's words; a
 * vendor's property names, delivery format, faults and call counting live in its {@code RemoteSide}.
 */
package dev.crmkit.testkit.sync;
