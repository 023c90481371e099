/**
 * crmkit's sync engine ({@code dev.crmkit.sync}) and what a {@code SyncStore} implementer needs
 * ({@code dev.crmkit.sync.spi}). {@code dev.crmkit.sync.internal} is not exported.
 */
module dev.crmkit.sync {
  requires transitive dev.crmkit.core;
  requires org.slf4j;

  exports dev.crmkit.sync;
  exports dev.crmkit.sync.spi;
}
