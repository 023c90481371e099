/**
 * The benchmarks, each a program writing its results to {@code benchmarks/results/}: {@link
 * dev.crmkit.bench.Main} (bulk import and first contact on H2, PostgreSQL and MariaDB beside a
 * hand-written baseline), {@link dev.crmkit.bench.SyncMain} (the sync engine pushing into the HubSpot
 * emulator under HubSpot's limits, full and delta) and {@link dev.crmkit.bench.HubSpotMain} (the
 * HubSpot provider's bulk writes against the rate-limit bound). {@link dev.crmkit.bench.Dataset} and
 * {@link dev.crmkit.bench.MessageStream} build their inputs from the shared datasets; {@link
 * dev.crmkit.bench.StatementCounts} counts round trips. Options and baselines: {@code
 * benchmarks/README.md}.
 */
package dev.crmkit.bench;
