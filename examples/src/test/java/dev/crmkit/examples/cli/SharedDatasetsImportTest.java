package dev.crmkit.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.crmkit.examples.Crmkit;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The shared 10,000-row datasets import whole: every row created, none rejected. They live in the
 * project's {@code shared/data} folder beside the repository, which a plain clone may not have; the
 * test is skipped there.
 */
class SharedDatasetsImportTest {
  private static final Path DATA = Path.of("..", "..", "shared", "data");

  @TempDir Path dir;

  @Test
  void importsTheSharedCustomersAndLeadsAsTenThousandCreatedEachAndNoneRejected() {
    Path customers = DATA.resolve("customers-10000.csv");
    Path leads = DATA.resolve("leads-10000.csv");
    assumeTrue(Files.isReadable(customers) && Files.isReadable(leads), "shared/data is not beside the repository");
    String url = "jdbc:h2:file:" + dir.resolve("crmkit").toAbsolutePath() + ";AUTO_SERVER=FALSE";
    StringWriter out = new StringWriter();
    CommandLine cli = Crmkit.commandLine();
    cli.setOut(new PrintWriter(out, true));

    assertThat(cli.execute("import", customers.toString(), "--jdbc-url", url, "--no-progress")).isZero();
    assertThat(cli.execute("import", leads.toString(), "--jdbc-url", url, "--no-progress")).isZero();

    assertThat(out.toString())
        .contains("customers-10000.csv (customers) into tenant demo: 10000 rows read, 10000 created, 0 updated, 0 rejected")
        .contains("leads-10000.csv (leads) into tenant demo: 10000 rows read, 10000 created, 0 updated, 0 rejected;"
            + " 10000 notes, 10000 activities");
  }
}
