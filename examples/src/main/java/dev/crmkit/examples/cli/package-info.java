/** The picocli subcommands of {@code crmkit} and the store session they share. */
package dev.crmkit.examples.cli;
