package dev.crmkit.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmkit.CustomerDraft;
import dev.crmkit.bench.internal.SyncBench;
import dev.crmkit.error.ValidationException;
import dev.crmkit.identity.PhoneNumbers;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the sync benchmark at tiny sizes without rate limits, the large full push in a child JVM. */
class SyncBenchmarkSmokeTest {
  private static final Path DATA = Path.of("../../shared/data");

  private static List<CustomerDraft> base;

  @BeforeAll
  static void load() {
    base = Dataset.load(DATA, 50);
  }

  @Test
  void deriveMakesDistinctEmailsAndPhonesFromTheRowsDeterministically() {
    List<CustomerDraft> a = Dataset.derive(base, 250);
    PhoneNumbers phones = PhoneNumbers.forRegion("US");

    assertThat(a).hasSize(250).isEqualTo(Dataset.derive(base, 250));
    assertThat(a.stream().map(CustomerDraft::email).distinct()).hasSize(250);
    Set<String> keys = new HashSet<>();
    a.forEach(d -> keys.add(phones.matchKey(d.phone())));
    assertThat(keys).hasSize(250).doesNotContainNull();
    assertThat(a.get(100).lastName()).isEqualTo(base.get(0).lastName());
    assertThat(a.get(100).tags()).contains("variant:1", "import");
    assertThat(a.get(100).customFields()).isEmpty();
  }

  @Test
  void eachSizeFullyPushesThenDeltaSyncsOnlyTheChangedRecords() throws Exception {
    SyncBench bench = new SyncBench(new SyncBench.Settings(false, true, "256m", 50, 5, 2),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

    SyncBench.Scale inProcess = bench.run(Dataset.derive(base, 60), false);
    SyncBench.Scale forked = bench.run(Dataset.derive(base, 150), true);

    assertThat(inProcess.push().completed()).isTrue();
    assertThat(inProcess.push().created()).isEqualTo(60);
    assertThat(inProcess.push().peakHeapUsedBytes()).isEqualTo(-1);
    assertThat(forked.push().completed()).isTrue();
    assertThat(forked.push().exitCode()).isZero();
    assertThat(forked.push().created()).isEqualTo(150);
    assertThat(forked.push().remoteContacts()).isEqualTo(150);
    assertThat(forked.push().peakHeapUsedBytes()).isPositive();
    assertThat(forked.push().heapPoolPeaksBytes()).isGreaterThanOrEqualTo(forked.push().peakHeapUsedBytes() / 2);
    assertThat(forked.push().callsByEndpoint().values().stream().mapToLong(Long::longValue).sum())
        .isEqualTo(forked.push().calls());
    for (SyncBench.Scale s : List.of(inProcess, forked)) {
      assertThat(s.push().calls()).isPositive();
      assertThat(s.push().rateLimited()).isZero();
      assertThat(s.delta().seconds()).hasSize(2);
      assertThat(s.delta().processed()).containsExactly(5, 5);
      assertThat(s.delta().updated()).containsExactly(5, 5);
      assertThat(s.delta().failed()).containsExactly(0, 0);
      assertThat(s.delta().calls()).allSatisfy(c -> assertThat(c).isPositive());
    }
  }

  @Test
  void mainWritesTheResultFiles(@TempDir Path out) throws Exception {
    SyncMain.main(new String[] {"--data", DATA.toString(), "--out", out.toString(), "--records", "40", "--small", "20",
        "--changes", "3", "--rounds", "1", "--rate-limits", "off", "--fork", "off"});

    LocalDate date = LocalDate.now(ZoneOffset.UTC);
    String json = Files.readString(out.resolve(date + "-sync.json"));
    String md = Files.readString(out.resolve(date + "-sync.md"));
    assertThat(json).contains("\"benchmark\": \"sync\"", "\"deltaRatio\"", "\"completed\": true");
    assertThat(md).contains("## Full push", "## Delta", "Delta ratio");
  }

  @Test
  void badOptionsAreRejectedNamingTheValue() {
    assertThatThrownBy(() -> SyncMain.main(new String[] {"--records", "0"})).isInstanceOf(ValidationException.class)
        .hasMessageContaining("--records").hasMessageContaining("0");
    assertThatThrownBy(() -> SyncMain.main(new String[] {"--heap", "lots"})).isInstanceOf(ValidationException.class)
        .hasMessageContaining("lots");
    assertThatThrownBy(() -> SyncMain.main(new String[] {"--rate-limits", "maybe"}))
        .isInstanceOf(ValidationException.class).hasMessageContaining("maybe");
    assertThatThrownBy(() -> SyncMain.main(new String[] {"--records", "10", "--small", "20"}))
        .isInstanceOf(ValidationException.class).hasMessageContaining("--small");
    assertThatThrownBy(() -> Dataset.derive(base, 0)).isInstanceOf(ValidationException.class)
        .hasMessageContaining("count");
  }
}
