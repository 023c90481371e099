/** Implementation helpers shared by the sync stores: argument checks and the text encoding of maps. Not API. */
package dev.crmkit.sync.internal;
