package dev.crmkit.examples.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.crmkit.ActivityType;
import dev.crmkit.Address;
import dev.crmkit.CustomerDraft;
import dev.crmkit.Segment;
import dev.crmkit.error.ValidationException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CsvCustomerImporterTest {
  private final CsvCustomerImporter importer = CsvCustomerImporter.forRegion("US");

  private CsvMapping fixture(String name, CsvKind kind) throws IOException {
    try (InputStream in = getClass().getResourceAsStream("/csv/" + name)) {
      return importer.map(name, new String(in.readAllBytes(), StandardCharsets.UTF_8), kind);
    }
  }

  @Test
  void mapsReorderedHeaderVariantsToTheModelAndKeepsUnknownColumnsAsCustomFields() throws IOException {
    CsvMapping m = fixture("customers_header_variants.csv", CsvKind.AUTO);

    assertThat(m.kind()).isEqualTo(CsvKind.CUSTOMERS);
    assertThat(m.errors()).isEmpty();
    assertThat(m.rows()).hasSize(1);
    CustomerDraft d = m.rows().get(0).draft();
    assertThat(d.firstName()).isEqualTo("Ada");
    assertThat(d.lastName()).isEqualTo("Lovelace");
    assertThat(d.email()).isEqualTo("ada@example.org");
    assertThat(d.phone()).isEqualTo("+1 (415) 555-0100");
    assertThat(d.company()).isEqualTo("Analytical Engines");
    assertThat(d.address()).isEqualTo(Address.ofCity("London", "United Kingdom"));
    assertThat(d.createdAt()).isEqualTo(Instant.parse("2020-08-26T00:00:00Z"));
    assertThat(d.customFields()).containsExactlyInAnyOrderEntriesOf(Map.of(
        "phone2", "415.555.0101", "website", "https://ada.example.org", "sourceId", "C-1",
        "favorite_color", "green"));
    assertThat(m.warnings()).singleElement().satisfies(w -> {
      assertThat(w.category()).isEqualTo(RowProblem.Category.UNKNOWN_COLUMN);
      assertThat(w.column()).isEqualTo("Favorite Color");
      assertThat(w.message()).contains("favorite_color");
    });
  }

  @ParameterizedTest
  @ValueSource(strings = {"First Name", "FIRSTNAME", "first_name", "firstName", "first-name", " First  Name "})
  void acceptsEveryCommonSpellingOfTheFirstNameHeader(String header) {
    CsvMapping m = importer.map("x.csv", header + ",Last Name\nAda,Lovelace\n", CsvKind.AUTO);

    assertThat(m.rows()).singleElement().satisfies(r -> assertThat(r.draft().firstName()).isEqualTo("Ada"));
  }

  @ParameterizedTest
  @CsvSource({"Email,email", "E-mail,email", "Email 1,email", "email_address,email", "Phone,phone", "Phone 1,phone",
      "Mobile,phone", "Company,company", "Organization,company"})
  void acceptsCommonVariantsOfEmailPhoneAndCompanyHeaders(String header, String field) {
    String value = switch (field) {
      case "email" -> "ada@example.org";
      case "phone" -> "415-555-0100";
      default -> "Analytical Engines";
    };
    CsvMapping m = importer.map("x.csv", "First Name," + header + "\nAda," + value + "\n", CsvKind.AUTO);

    CustomerDraft d = m.rows().get(0).draft();
    Object mapped = switch (field) {
      case "email" -> d.email();
      case "phone" -> d.phone();
      default -> d.company();
    };
    assertThat(mapped).isEqualTo(value);
    assertThat(m.warnings()).isEmpty();
  }

  @Test
  void rejectsOnlyRowsWithoutANameOrWithTheWrongFieldCountAndImportsTheOthersWithoutTheirBadValues()
      throws IOException {
    CsvMapping m = fixture("customers_bad_rows.csv", CsvKind.CUSTOMERS);

    assertThat(m.rowsRead()).isEqualTo(13);
    assertThat(m.rows()).extracting(MappedRow::line)
        .containsExactly(2L, 4L, 5L, 6L, 7L, 8L, 10L, 11L, 12L, 13L, 14L);
    assertThat(m.errors())
        .extracting(RowProblem::line, RowProblem::category, RowProblem::column, RowProblem::value)
        .containsExactly(
            tuple(3L, RowProblem.Category.MISSING_NAME, "First Name' and 'Last Name", null),
            tuple(9L, RowProblem.Category.WRONG_FIELD_COUNT, null, "8,C8,Dennis,Ritchie,Bell Labs,Murray Hill,United States,415-555-0108"));
    assertThat(m.errors().get(1).message()).isEqualTo("wrong field count: expected 12, found 8");
    assertThat(m.warnings())
        .filteredOn(w -> w.line() > 0 && w.category() != RowProblem.Category.PHONE_KEPT_AS_TYPED)
        .extracting(RowProblem::line, RowProblem::category, RowProblem::column, RowProblem::value)
        .containsExactly(
            tuple(4L, RowProblem.Category.INVALID_EMAIL, "Email", "alan@@example.org"),
            tuple(5L, RowProblem.Category.INVALID_PHONE, "Phone 1", "call me"),
            tuple(6L, RowProblem.Category.INVALID_DATE, "Subscription Date", "March 4th 2021"),
            tuple(7L, RowProblem.Category.WRONG_COLUMN, "Phone 1", "donald@example.org"),
            tuple(8L, RowProblem.Category.WRONG_COLUMN, "Email", "415-555-0199"),
            tuple(14L, RowProblem.Category.INVALID_DATE, "Subscription Date", "2021-02-30"));
    assertThat(m.warnings()).anySatisfy(w -> assertThat(w.toString()).isEqualTo(
        "customers_bad_rows.csv:7: column 'Phone 1' value 'donald@example.org': "
            + "looks like an email in column 'Phone 1': read as an email"));
    assertThat(line(m, 4).draft().email()).isNull();
    assertThat(line(m, 4).draft().lastName()).isEqualTo("Turing");
    assertThat(line(m, 5).draft().phone()).isNull();
    assertThat(line(m, 6).draft().createdAt()).isNull();
    assertThat(line(m, 7).draft().email()).isEqualTo("knuth@example.org");
    assertThat(line(m, 7).draft().customFields()).containsEntry("email2", "donald@example.org");
    assertThat(line(m, 8).draft().phone()).isEqualTo("415-555-0107");
    assertThat(line(m, 8).draft().customFields()).containsEntry("phone2", "415-555-0199");
  }

  private static MappedRow line(CsvMapping m, long line) {
    return m.rows().stream().filter(r -> r.line() == line).findFirst().orElseThrow();
  }

  @Test
  void keepsAPhoneWithDigitsThatLibphonenumberCannotReadAsTypedWithAWarning() throws IOException {
    CsvMapping m = fixture("customers_bad_rows.csv", CsvKind.CUSTOMERS);

    MappedRow margaret = line(m, 10);
    assertThat(margaret.draft().phone()).isEqualTo("12345");
    assertThat(margaret.warnings()).singleElement().satisfies(w -> {
      assertThat(w.category()).isEqualTo(RowProblem.Category.PHONE_KEPT_AS_TYPED);
      assertThat(w.line()).isEqualTo(10);
      assertThat(w.column()).isEqualTo("Phone 1");
      assertThat(w.message()).contains("too short to identify anyone");
    });
    assertThat(m.warnings()).contains(margaret.warnings().get(0));
  }

  @Test
  void acceptsIsoUsEuropeanSlashedDatesAndIsoTimestamps() throws IOException {
    CsvMapping m = fixture("customers_bad_rows.csv", CsvKind.CUSTOMERS);

    assertThat(m.rows()).filteredOn(r -> r.line() >= 10 && r.line() <= 13).extracting(r -> r.draft().createdAt())
        .containsExactly(
            Instant.parse("2021-03-15T00:00:00Z"),
            Instant.parse("2021-03-15T00:00:00Z"),
            Instant.parse("2021-03-15T00:00:00Z"),
            Instant.parse("2021-03-15T10:15:30Z"));
  }

  @Test
  void losesOnlyTheRowsWithBrokenQuotingAndImportsTheLinesAnUnclosedQuoteWouldSwallow() throws IOException {
    CsvMapping m = fixture("customers_broken_quoting.csv", CsvKind.CUSTOMERS);

    assertThat(m.rows()).extracting(r -> r.draft().lastName()).containsExactly("Hopper", "Dijkstra", "Knuth");
    assertThat(m.rows().get(0).draft().company()).isEqualTo("Navy, US");
    assertThat(m.errors()).extracting(RowProblem::line, RowProblem::category).containsExactly(
        tuple(3L, RowProblem.Category.BROKEN_QUOTING),
        tuple(5L, RowProblem.Category.BROKEN_QUOTING));
    assertThat(m.rowsRead()).isEqualTo(5);
  }

  @Test
  void keepsAQuotedFieldSpanningLinesAsOneRow() {
    CsvMapping m = importer.map("x.csv", "First Name,Company\nAda,\"Analytical\nEngines\"\nAlan,Bletchley\n",
        CsvKind.AUTO);

    assertThat(m.errors()).isEmpty();
    assertThat(m.rows()).extracting(r -> r.draft().company()).containsExactly("Analytical\nEngines", "Bletchley");
    assertThat(m.rows()).extracting(MappedRow::line).containsExactly(2L, 4L);
  }

  @Test
  void mapsLeadsSourceStageNotesOwnerAndSecondaryContacts() throws IOException {
    CsvMapping m = fixture("leads_small.csv", CsvKind.AUTO);

    assertThat(m.kind()).isEqualTo(CsvKind.LEADS);
    assertThat(m.errors()).isEmpty();
    MappedRow won = m.rows().get(0);
    assertThat(won.draft().segment()).isEqualTo(Segment.STANDARD);
    assertThat(won.draft().tags()).containsExactlyInAnyOrder("lead", "source:Cold Call", "stage:Closed Won");
    assertThat(won.draft().customFields()).containsEntry("leadOwner", "Selena Doyle")
        .containsEntry("sourceId", "A1")
        .containsEntry("email2", "rusheddie@example.org")
        .containsEntry("phone2", "917-584-0243x4606")
        .containsEntry("website", "https://black.example/");
    assertThat(won.note().content()).isEqualTo("Met at the fair, wants a demo.");
    assertThat(won.activity().type()).isEqualTo(ActivityType.STAGE_CHANGE);
    assertThat(won.activity().description()).isEqualTo("Deal stage: Closed Won");
    assertThat(won.activity().idempotencyKey()).isEqualTo("import:leads_small.csv:2");
    MappedRow negotiating = m.rows().get(1);
    assertThat(negotiating.draft().segment()).isEqualTo(Segment.PROSPECT);
    assertThat(negotiating.note()).isNull();
    assertThat(negotiating.activity().description()).isEqualTo("Deal stage: Negotiation");
  }

  @Test
  void treatsAFileWithoutLeadColumnsAsCustomersUnlessToldOtherwise() {
    String csv = "First Name,Last Name\nAda,Lovelace\n";

    assertThat(importer.map("x.csv", csv, CsvKind.AUTO).kind()).isEqualTo(CsvKind.CUSTOMERS);
    CsvMapping asLeads = importer.map("x.csv", csv, CsvKind.LEADS);
    assertThat(asLeads.kind()).isEqualTo(CsvKind.LEADS);
    assertThat(asLeads.rows().get(0).activity().type()).isEqualTo(ActivityType.OTHER);
  }

  @Test
  void skipsAByteOrderMarkBeforeTheHeader() {
    CsvMapping m = importer.map("x.csv", "\uFEFFFirst Name\nAda\n", CsvKind.AUTO);

    assertThat(m.rows()).singleElement().satisfies(r -> assertThat(r.draft().firstName()).isEqualTo("Ada"));
  }

  @Test
  void rejectsAnEmptyFileNamingIt() {
    assertThatThrownBy(() -> importer.map("empty.csv", "", CsvKind.AUTO))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("file 'empty.csv'")
        .hasMessageContaining("header row");
  }

  @Test
  void rejectsAFileWithoutANameColumnListingItsHeaders() {
    assertThatThrownBy(() -> importer.map("x.csv", "Email,Phone\na@example.org,1\n", CsvKind.AUTO))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("file 'x.csv'")
        .hasMessageContaining("[Email, Phone]");
  }

  @Test
  void rejectsAChunkSizeOutOfRangeNamingIt() {
    assertThatThrownBy(() -> importer.withChunkSize(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("chunkSize must be between 1 and 10000: 0");
    assertThatThrownBy(() -> importer.withChunkSize(-1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("chunkSize").hasMessageContaining("-1");
    assertThatThrownBy(() -> importer.withChunkSize(10_001))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("10001");
    assertThat(importer.withChunkSize(250).chunkSize()).isEqualTo(250);
  }

  @Test
  void rejectsAnUnknownRegionNamingIt() {
    assertThatThrownBy(() -> CsvCustomerImporter.forRegion("XX"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("region").hasMessageContaining("'XX'");
    assertThatThrownBy(() -> CsvCustomerImporter.forRegion(null))
        .isInstanceOf(NullPointerException.class).hasMessage("region");
  }

  @Test
  void importsARowWhoseTagTheModelRefusesWithoutTheTagAndWarnsNamingItsColumn() {
    String source = "s".repeat(120);
    CsvMapping m = importer.map("x.csv", "First Name,Source\nAda," + source + "\n", CsvKind.AUTO);

    assertThat(m.errors()).isEmpty();
    assertThat(m.rows()).singleElement().satisfies(r -> assertThat(r.draft().tags()).containsExactly("lead"));
    assertThat(m.warnings()).singleElement().satisfies(w -> {
      assertThat(w.category()).isEqualTo(RowProblem.Category.INVALID_VALUE);
      assertThat(w.column()).isEqualTo("Source");
      assertThat(w.line()).isEqualTo(2);
      assertThat(w.message()).contains("imported without it");
    });
  }
}
