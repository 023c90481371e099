/**
 * Runnable crmkit programs. {@link dev.crmkit.examples.Crmkit} is the {@code crmkit} command line;
 * its {@code demo} command imports CSV exports, replays inbound messages through first-contact
 * handling and merges duplicates on the native store.
 */
package dev.crmkit.examples;
