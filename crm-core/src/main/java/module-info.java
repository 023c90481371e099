/**
 * crmkit's core: the domain model, the {@link dev.crmkit.CustomerSystem} SPI, {@link
 * dev.crmkit.IntegrationFactory}, identity, policies, webhooks, errors and the in-memory provider.
 *
 * <p>Providers are found with {@link java.util.ServiceLoader}: a provider module declares {@code
 * provides dev.crmkit.CustomerSystemProvider with ...} (and lists the class in {@code
 * META-INF/services/dev.crmkit.CustomerSystemProvider} for the class path).
 */
@SuppressWarnings("requires-automatic") // libphonenumber: see below
module dev.crmkit.core {
  // No type of these appears in a public signature, so hosts need not read them.
  requires org.slf4j;
  requires com.github.benmanes.caffeine;
  // libphonenumber has an Automatic-Module-Name (a stable name), no module-info.
  requires com.google.i18n.phonenumbers.libphonenumber;

  exports dev.crmkit;
  exports dev.crmkit.actions;
  exports dev.crmkit.error;
  exports dev.crmkit.identity;
  exports dev.crmkit.inbound;
  exports dev.crmkit.memory;
  exports dev.crmkit.policy;
  exports dev.crmkit.provider;
  exports dev.crmkit.spi;
  exports dev.crmkit.webhook;

  uses dev.crmkit.CustomerSystemProvider;
  provides dev.crmkit.CustomerSystemProvider with dev.crmkit.memory.InMemoryCustomerSystemProvider;
}
