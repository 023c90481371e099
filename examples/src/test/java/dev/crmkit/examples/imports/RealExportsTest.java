package dev.crmkit.examples.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.crmkit.CustomerDraft;
import dev.crmkit.error.ValidationException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Other people's exports of the same data: encodings, separators, headers, dates, columns of another kind. */
class RealExportsTest {
  private final CsvCustomerImporter importer = CsvCustomerImporter.forRegion("US");

  private static byte[] bytes(byte[] prefix, String text, Charset charset) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(prefix);
    out.writeBytes(text.getBytes(charset));
    return out.toByteArray();
  }

  private static MappedRow line(CsvMapping m, long line) {
    return m.rows().stream().filter(r -> r.line() == line).findFirst().orElseThrow();
  }

  @Test
  void readsASemicolonSeparatedWindows1252ExportAndSaysSo() {
    String csv = "First Name;Last Name;E-Mail\nJürgen;Müller;jm@example.de\nZoë;Straße;zs@example.de\n";

    CsvMapping m = importer.map("excel.csv", csv.getBytes(Charset.forName("windows-1252")), CsvKind.AUTO);

    assertThat(m.errors()).isEmpty();
    assertThat(m.rows()).extracting(r -> r.draft().lastName()).containsExactly("Müller", "Straße");
    assertThat(m.rows().get(1).draft().firstName()).isEqualTo("Zoë");
    assertThat(m.warnings()).filteredOn(w -> w.category() == RowProblem.Category.FILE_FORMAT)
        .extracting(RowProblem::message)
        .containsExactly("fields separated by semicolons", "read as Windows-1252 (its bytes are not UTF-8)");
  }

  @Test
  void readsUtf16WithAByteOrderMarkAndTabsInBothByteOrders() {
    String csv = "First Name\tLast Name\tEmail\nJosé\tNúñez\tjose@example.org\n";

    CsvMapping little = importer.map("le.csv", bytes(new byte[] {(byte) 0xFF, (byte) 0xFE}, csv,
        StandardCharsets.UTF_16LE), CsvKind.AUTO);
    CsvMapping big = importer.map("be.csv", bytes(new byte[] {(byte) 0xFE, (byte) 0xFF}, csv,
        StandardCharsets.UTF_16BE), CsvKind.AUTO);

    for (CsvMapping m : new CsvMapping[] {little, big}) {
      assertThat(m.rows()).singleElement().satisfies(r -> {
        assertThat(r.draft().lastName()).isEqualTo("Núñez");
        assertThat(r.draft().email()).isEqualTo("jose@example.org");
      });
      assertThat(m.warnings()).extracting(RowProblem::message).contains("fields separated by tabs");
    }
    assertThat(little.warnings()).extracting(RowProblem::message).contains("read as UTF-16LE (byte order mark)");
  }

  @Test
  void readsUtf8WithAByteOrderMarkWithoutAnyWarning() {
    CsvMapping m = importer.map("bom.csv", bytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
        "First Name,Last Name\nAda,Lovelace\n", StandardCharsets.UTF_8), CsvKind.AUTO);

    assertThat(m.rows()).singleElement().satisfies(r -> assertThat(r.draft().firstName()).isEqualTo("Ada"));
    assertThat(m.warnings()).isEmpty();
  }

  @Test
  void refusesUtf16WithoutAByteOrderMarkSayingWhy() {
    byte[] content = "First Name\nAda\n".getBytes(StandardCharsets.UTF_16LE);

    assertThatThrownBy(() -> importer.map("no-bom.csv", content, CsvKind.AUTO))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("file 'no-bom.csv'")
        .hasMessageContaining("NUL bytes")
        .hasMessageContaining("UTF-16 without a mark");
  }

  @Test
  void readsDatesDayFirstWhenADayAbove12AppearsAndSaysSo() {
    String csv = "First Name,Signup Date\nA,01/02/2021\nB,15/03/2021\nC,2021-04-05\n";

    CsvMapping m = importer.map("eu.csv", csv, CsvKind.AUTO);

    assertThat(m.rows()).extracting(r -> r.draft().createdAt()).containsExactly(
        Instant.parse("2021-02-01T00:00:00Z"), Instant.parse("2021-03-15T00:00:00Z"),
        Instant.parse("2021-04-05T00:00:00Z"));
    assertThat(m.warnings()).singleElement().satisfies(w -> {
      assertThat(w.category()).isEqualTo(RowProblem.Category.DATE_ORDER);
      assertThat(w.column()).isEqualTo("Signup Date");
      assertThat(w.message()).contains("day first");
    });
  }

  @Test
  void readsDatesMonthFirstWhenASecondNumberAbove12Appears() {
    CsvMapping m = importer.map("us.csv", "First Name,Signup Date\nA,01/02/2021\nB,03/15/2021\n", CsvKind.AUTO);

    assertThat(m.rows()).extracting(r -> r.draft().createdAt()).containsExactly(
        Instant.parse("2021-01-02T00:00:00Z"), Instant.parse("2021-03-15T00:00:00Z"));
  }

  @Test
  void leavesAmbiguousDatesOutWithOneWarningUnlessADateFormatIsGiven() {
    String csv = "First Name,Signup Date\nA,01/02/2021\nB,03/04/2021\n";

    CsvMapping guessed = importer.map("x.csv", csv, CsvKind.AUTO);
    CsvMapping told = importer.withDateFormat("dd/MM/yyyy").map("x.csv", csv, CsvKind.AUTO);

    assertThat(guessed.errors()).isEmpty();
    assertThat(guessed.rows()).extracting(r -> r.draft().createdAt()).containsOnlyNulls();
    assertThat(guessed.warnings()).singleElement().satisfies(w -> {
      assertThat(w.category()).isEqualTo(RowProblem.Category.DATE_ORDER);
      assertThat(w.message()).contains("ambiguous", "--date-format");
    });
    assertThat(told.rows()).extracting(r -> r.draft().createdAt()).containsExactly(
        Instant.parse("2021-02-01T00:00:00Z"), Instant.parse("2021-04-03T00:00:00Z"));
    assertThat(told.warnings()).isEmpty();
  }

  @Test
  void rejectsADateFormatThatReadsNoDateNamingIt() {
    assertThatThrownBy(() -> importer.withDateFormat("HH:mm"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("dateFormat").hasMessageContaining("'HH:mm'");
    assertThatThrownBy(() -> importer.withDateFormat("not a [pattern"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dateFormat");
  }

  @Test
  void matchesMisspelledHeadersToTheNearestKnownNameWithAWarning() {
    String csv = "Frist Name,Lsat Name,Emial,Phnoe,Compnay,State,Title\nAda,Lovelace,ada@example.org,415-555-0100,"
        + "Engines,CA,Countess\n";

    CsvMapping m = importer.map("typos.csv", csv, CsvKind.AUTO);

    CustomerDraft d = m.rows().get(0).draft();
    assertThat(d.firstName()).isEqualTo("Ada");
    assertThat(d.lastName()).isEqualTo("Lovelace");
    assertThat(d.email()).isEqualTo("ada@example.org");
    assertThat(d.phone()).isEqualTo("415-555-0100");
    assertThat(d.company()).isEqualTo("Engines");
    assertThat(d.address().region()).isEqualTo("CA");
    assertThat(d.customFields()).containsEntry("title", "Countess");
    assertThat(m.warnings()).extracting(RowProblem::category, RowProblem::column).containsExactly(
        tuple(RowProblem.Category.HEADER_MATCHED, "Frist Name"),
        tuple(RowProblem.Category.HEADER_MATCHED, "Lsat Name"),
        tuple(RowProblem.Category.HEADER_MATCHED, "Emial"),
        tuple(RowProblem.Category.HEADER_MATCHED, "Phnoe"),
        tuple(RowProblem.Category.HEADER_MATCHED, "Compnay"),
        tuple(RowProblem.Category.UNKNOWN_COLUMN, "Title"));
  }

  @Test
  void readsSwappedEmailAndPhoneColumnsAsWhatTheyHoldWithOneWarningEach() {
    String csv = "First Name,Phone,Email\nAda,ada@example.org,415-555-0100\nAlan,alan@example.org,415-555-0101\n";

    CsvMapping m = importer.map("swapped.csv", csv, CsvKind.AUTO);

    assertThat(m.rows()).extracting(r -> r.draft().email(), r -> r.draft().phone()).containsExactly(
        tuple("ada@example.org", "415-555-0100"), tuple("alan@example.org", "415-555-0101"));
    assertThat(m.warnings()).extracting(RowProblem::category, RowProblem::column).containsExactly(
        tuple(RowProblem.Category.COLUMN_CONTENT, "Phone"),
        tuple(RowProblem.Category.COLUMN_CONTENT, "Email"));
  }

  @Test
  void keepsRepeatedEmailPhoneAndCompanyColumnsAsThoseKinds() {
    String csv = "First Name,Email,Phone,Company,Email,Phone,Company,Email\n"
        + "Ada,ada@example.org,415-555-0100,Engines,ada@work.example,415-555-0101,Royal Society,a@third.example\n";

    CsvMapping m = importer.map("repeated.csv", csv, CsvKind.AUTO);

    CustomerDraft d = m.rows().get(0).draft();
    assertThat(d.email()).isEqualTo("ada@example.org");
    assertThat(d.phone()).isEqualTo("415-555-0100");
    assertThat(d.company()).isEqualTo("Engines");
    assertThat(d.customFields()).containsExactlyInAnyOrderEntriesOf(java.util.Map.of(
        "email2", "ada@work.example", "email3", "a@third.example", "phone2", "415-555-0101",
        "company2", "Royal Society"));
    assertThat(m.warnings()).extracting(RowProblem::category).containsOnly(RowProblem.Category.REPEATED_COLUMN)
        .hasSize(4);
  }

  @Test
  void rejectsOnlyTheLeadWhoseNoteIsOverTheLimitBeforeAnythingIsStored() {
    String longNote = "n".repeat(65_537);
    String csv = "First Name,Last Name,Email 1,Deal Stage,Notes\n"
        + "Ada,Lovelace,ada@example.org,Closed Won,short note\n"
        + "Alan,Turing,alan@example.org,Negotiation," + longNote + "\n"
        + "Grace,Hopper,grace@example.org,Negotiation,\n";

    CsvMapping m = importer.map("leads.csv", csv, CsvKind.AUTO);

    assertThat(m.rows()).extracting(MappedRow::line).containsExactly(2L, 4L);
    assertThat(m.errors()).singleElement().satisfies(e -> {
      assertThat(e.line()).isEqualTo(3);
      assertThat(e.column()).isEqualTo("Notes");
      assertThat(e.category()).isEqualTo(RowProblem.Category.INVALID_VALUE);
      assertThat(e.message()).contains("65536");
      assertThat(e.toString().length()).isLessThan(400);
    });
    assertThat(line(m, 2).note().content()).isEqualTo("short note");
  }
}
