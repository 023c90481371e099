package dev.crmkit.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmkit.CustomerSystem;
import dev.crmkit.ProviderContext;
import dev.crmkit.TenantConfig;
import dev.crmkit.provider.AuthKind;
import dev.crmkit.provider.ProviderCategory;
import dev.crmkit.provider.ProviderDescriptor;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InMemoryProviderDescriptorTest {

  @Test
  void describesALocalCrmWithEveryCapabilityNoAuthAndTheDealPipelinesAndDefaultRegionSettings() {
    InMemoryCustomerSystemProvider provider = new InMemoryCustomerSystemProvider();
    ProviderDescriptor d = provider.descriptor();

    assertThat(d).isSameAs(InMemoryCustomerSystemProvider.DESCRIPTOR);
    assertThat(d.name()).isEqualTo(provider.name());
    assertThat(d.category()).isEqualTo(ProviderCategory.CRM);
    assertThat(d.authKinds()).containsExactly(AuthKind.NONE);
    assertThat(d.settings()).containsExactly(ProviderDescriptor.DEAL_PIPELINES, ProviderDescriptor.DEFAULT_REGION);
    try (CustomerSystem system = provider.create(new ProviderContext(TenantConfig.builder("t", "memory").build(),
        Clock.systemUTC(), Map.of()))) {
      assertThat(d.features()).isEqualTo(system.capabilities());
    }
  }
}
