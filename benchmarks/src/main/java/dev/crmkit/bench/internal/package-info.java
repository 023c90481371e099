/** The plain-JDBC baselines and the benchmark's plumbing; nothing here is API. */
package dev.crmkit.bench.internal;
