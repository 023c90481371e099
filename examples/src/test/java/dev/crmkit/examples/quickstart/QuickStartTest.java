package dev.crmkit.examples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmkit.inbound.FirstContactResult;
import dev.crmkit.inbound.FirstContactResult.Outcome;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuickStartTest {
  @TempDir Path dir;

  @Test
  void theReadmeQuickStartCreatesTheSenderOnceAndSeesTheRedeliveryAsADuplicate() {
    FirstContactResult[] results = QuickStart.run(dir.resolve("quickstart").toString());

    assertThat(results[0].outcome()).isEqualTo(Outcome.CREATED);
    assertThat(results[0].customer().phone()).isEqualTo("+14155550100");
    assertThat(results[0].customer().fullName()).isEqualTo("Ada Lovelace");
    assertThat(results[1].outcome()).isEqualTo(Outcome.DUPLICATE);
    assertThat(results[1].customer().id()).isEqualTo(results[0].customer().id());
  }

  @Test
  void runningItAgainOnTheSameDatabaseSeesTheSameMessageIdAsADuplicate() {
    String file = dir.resolve("quickstart").toString();
    QuickStart.run(file);

    FirstContactResult[] again = QuickStart.run(file);

    assertThat(again[0].outcome()).isEqualTo(Outcome.DUPLICATE);
    assertThat(again[1].outcome()).isEqualTo(Outcome.DUPLICATE);
  }
}
