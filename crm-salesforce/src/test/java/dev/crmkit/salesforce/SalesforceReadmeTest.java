package dev.crmkit.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmkit.testkit.ReadmeSettingsTable;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's Salesforce settings table is the descriptor's, so neither drifts from the other. */
class SalesforceReadmeTest {
  @Test
  void theReadmeSettingsTableIsTheDescriptors() {
    assertThat(ReadmeSettingsTable.in(Path.of("..", "README.md"), "## Salesforce"))
        .isEqualTo(ReadmeSettingsTable.of(SalesforceCustomerSystemProvider.DESCRIPTOR));
  }
}
