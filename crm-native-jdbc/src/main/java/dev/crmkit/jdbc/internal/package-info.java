/** Implementation of the native store: SQL, dialects, change sequence, bulk upsert. Not API. */
package dev.crmkit.jdbc.internal;
