/** The engine's implementation: the run loop, error mapping and the reading of snapshots. Not API. */
package dev.crmkit.sync.internal;
