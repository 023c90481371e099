package dev.crmkit.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmkit.error.FieldError;
import dev.crmkit.error.ValidationException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Phone normalization on numbers shaped like real exports. {@code identity/phones_sample.csv} holds
 * the Phone 1 and Phone 2 values of the first 25 rows of each file of the shared sample data
 * ({@code customers-10000.csv}, {@code leads-10000.csv}, datablist's generated sample CSVs) plus
 * every value there that starts with {@code 011}.
 */
class PhoneNumbersTest {
  private final PhoneNumbers us = PhoneNumbers.forRegion("US");

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      274.188.8773x41185     | +12741888773 | 41185
      (274)188-8773x41185    | +12741888773 | 41185
      +1-274-188-8773x41185  | +12741888773 | 41185
      001-274-188-8773x41185 | +12741888773 | 41185
      274-188-8773 ext. 41185| +12741888773 | 41185
      2741888773 #41185      | +12741888773 | 41185
      001-215-760-4642x969   | +12157604642 | 969
      +1-223-666-5313x4530   | +12236665313 | 4530
      (189)129-8356x63741    | +11891298356 | 63741
      8252703789             | +18252703789 |
      1-825-270-3789         | +18252703789 |
      043-797-5229           | +10437975229 |
      """)
  void exportFormatsNormalizeToE164WithTheExtensionKeptApart(String typed, String e164, String extension) {
    NormalizedPhone n = us.normalize(typed);

    assertThat(n.parsed()).isTrue();
    assertThat(n.value()).isEqualTo(e164);
    assertThat(n.matchKey()).isEqualTo(e164);
    assertThat(n.extension()).isEqualTo(extension);
    assertThat(n.withExtension()).isEqualTo(extension == null ? e164 : e164 + " x" + extension);
  }

  @Test
  void theSameNumberInEveryExportFormatHasOneMatchKey() {
    List<String> formats = List.of("274.188.8773", "(274)188-8773", "+1-274-188-8773", "001-274-188-8773",
        "2741888773", "1 (274) 188 8773", "+12741888773", "274.188.8773x41185", "(274)188-8773x63741");

    assertThat(formats).extracting(us::matchKey).containsOnly("+12741888773");
    assertThat(formats).extracting(f -> us.normalize(f).looseKey()).containsOnly("2741888773");
  }

  @Test
  void everySampleNumberKeepsItsMatchKeyWhenRewrittenInTheOtherExportFormats() throws IOException {
    List<String> sample = samplePhones();
    int parsed = 0;
    for (String typed : sample) {
      NormalizedPhone n = us.normalize(typed);
      if (!n.parsed() || !n.value().matches("\\+1\\d{10}")) {
        continue;
      }
      parsed++;
      String nsn = n.value().substring(2);
      String a = nsn.substring(0, 3);
      String b = nsn.substring(3, 6);
      String c = nsn.substring(6);
      String ext = n.extension() == null ? "" : "x" + n.extension();
      for (String rewritten : List.of(a + "." + b + "." + c + ext, "(" + a + ")" + b + "-" + c + ext,
          "+1-" + a + "-" + b + "-" + c + ext, "001-" + a + "-" + b + "-" + c + ext, nsn + ext)) {
        NormalizedPhone again = us.normalize(rewritten);
        assertThat(again.matchKey()).as("%s rewritten as %s", typed, rewritten).isEqualTo(n.matchKey());
        assertThat(again.extension()).as("%s rewritten as %s", typed, rewritten).isEqualTo(n.extension());
      }
    }
    assertThat(parsed).as("sample numbers parsed as North American").isGreaterThan(sample.size() * 3 / 4);
  }

  @Test
  void theSameNumberWithDifferentExtensionsSharesTheMatchKeyButKeepsEachExtension() {
    NormalizedPhone desk = us.normalize("(209)172-7124x3651");
    NormalizedPhone other = us.normalize("209.172.7124x12");
    NormalizedPhone switchboard = us.normalize("209-172-7124");

    assertThat(List.of(desk.matchKey(), other.matchKey(), switchboard.matchKey())).containsOnly("+12091727124");
    assertThat(desk.extension()).isEqualTo("3651");
    assertThat(other.extension()).isEqualTo("12");
    assertThat(switchboard.extension()).isNull();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      011.718.2522        | 011.718.2522  |       | #0117182522
      (011)718-2522       | (011)718-2522 |       | #0117182522
      011-158-8126x19444  | 011-158-8126  | 19444 | #0111588126
      011.550.2152x515    | 011.550.2152  | 515   | #0115502152
      12345               | 12345         |       | #12345
      """)
  void anUnparseableNumberIsKeptAsTypedWithADigitsKey(String typed, String value, String extension, String key) {
    NormalizedPhone n = us.normalize(typed);

    assertThat(n.parsed()).isFalse();
    assertThat(n.value()).isEqualTo(value);
    assertThat(n.extension()).isEqualTo(extension);
    assertThat(n.matchKey()).isEqualTo(key);
    assertThat(n.looseKey()).isEqualTo(key.substring(1));
  }

  @ParameterizedTest
  @ValueSource(strings = {"-4940", "4940", "x4940", "12345", "123-456", "(0) 12", "1234567890123456"})
  void aFragmentOrAnOverlongDigitRunIsStoredButIdentifiesNobody(String typed) {
    NormalizedPhone n = us.normalize(typed);

    assertThat(n.parsed()).isFalse();
    assertThat(n.identifying()).isFalse();
    assertThat(n.identityKey()).isNull();
    assertThat(us.matchKey(typed)).isNull();
    assertThat(n.looseKey()).isNotEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"555-0100", "683 7012", "011.718.2522", "0 11 22 33 44 55 66", "123456789012345"})
  void aNumberKeptAsTypedWithSevenToFifteenDigitsIdentifiesAPerson(String typed) {
    NormalizedPhone n = us.normalize(typed);

    assertThat(n.parsed()).isFalse();
    assertThat(n.identifying()).isTrue();
    assertThat(n.identityKey()).isEqualTo(n.matchKey());
  }

  @Test
  void everyParsedNumberIdentifiesAPersonEvenTheShortestPlans() {
    assertThat(us.normalize("+683 7012").identifying()).isTrue();
    assertThat(us.normalize("+1 415 555 0100").identityKey()).isEqualTo("+14155550100");
  }

  @Test
  void unparsedKeysNeverEqualParsedKeysOfTheSameDigits() {
    assertThat(us.matchKey("011.718.2522")).isEqualTo("#0117182522").isNotEqualTo(us.matchKey("+10117182522"));
  }

  @Test
  void anUnparsedNumberLongerThanTenDigitsHasTheLastTenAsLooseKey() {
    NormalizedPhone n = us.normalize("0 11 22 33 44 55 66");

    assertThat(n.parsed()).isFalse();
    assertThat(n.matchKey()).isEqualTo("#0112233445566");
    assertThat(n.looseKey()).isEqualTo("2233445566");
  }

  @Test
  void aLocalNumberWithoutAreaCodeIsNotTurnedIntoAFakeE164() {
    NormalizedPhone n = us.normalize("555-0100");

    assertThat(n.parsed()).isFalse();
    assertThat(n.value()).isEqualTo("555-0100");
    assertThat(n.matchKey()).isEqualTo("#5550100");
    assertThat(us.matchKey("555 0100")).isEqualTo(n.matchKey()).isNotEqualTo(us.matchKey("+1 555 0100"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc", "n/a", "x", "ext.", "(   )   -    ", "+"})
  void inputWithoutAnyDigitIsRejectedNamingTheFieldAndValue(String typed) {
    assertThatThrownBy(() -> us.normalize(typed, "mobile"))
        .isInstanceOf(ValidationException.class)
        .satisfies(e -> assertThat(((ValidationException) e).fieldErrors())
            .containsExactly(new FieldError("mobile", typed, "contains no digits")));
  }

  @Test
  void theDefaultFieldNameIsPhone() {
    assertThatThrownBy(() -> us.normalize("unknown"))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("phone 'unknown'");
  }

  @Test
  void anOverlongValueIsRejectedNamingTheField() {
    String typed = "1".repeat(65);

    assertThatThrownBy(() -> us.normalize(typed))
        .isInstanceOf(ValidationException.class)
        .satisfies(e -> assertThat(((ValidationException) e).fieldErrors().get(0).field()).isEqualTo("phone"))
        .hasMessageContaining("longer than 64 characters");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   "})
  void blankAndNullMeanNoPhone(String typed) {
    assertThat(us.normalize(typed)).isNull();
    assertThat(us.normalize(null)).isNull();
    assertThat(us.matchKey(typed)).isNull();
  }

  @Test
  void matchKeyNeverThrowsForLookups() {
    assertThat(us.matchKey("no number")).isNull();
    assertThat(us.matchKey("1".repeat(80))).isNull();
    assertThat(us.matchKey("+1-223-666-5313x4530")).isEqualTo("+12236665313");
  }

  @Test
  void theDefaultRegionDecidesNationalNumbers() {
    PhoneNumbers de = PhoneNumbers.forRegion("de");

    assertThat(de.region()).isEqualTo("DE");
    assertThat(de.normalize("030 1234567").value()).isEqualTo("+49301234567");
    assertThat(de.normalize("0049 30 1234567").matchKey()).isEqualTo("+49301234567");
    assertThat(de.normalize("+1-223-666-5313").matchKey()).isEqualTo("+12236665313");
  }

  @Test
  void aNumberWrittenWithTheInternationalPrefixOfTheDefaultRegionIsParsed() {
    assertThat(us.matchKey("011 44 20 7946 0958")).isEqualTo("+442079460958");
    assertThat(us.matchKey("0044 20 7946 0958")).isEqualTo("+442079460958");
  }

  @Test
  void anUnknownRegionIsAProgrammingErrorNamingTheArgumentAndValue() {
    assertThatThrownBy(() -> PhoneNumbers.forRegion("XX"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("region").hasMessageContaining("'XX'");
    assertThatThrownBy(() -> PhoneNumbers.forRegion(null))
        .isInstanceOf(NullPointerException.class).hasMessage("region");
  }

  private static List<String> samplePhones() throws IOException {
    try (InputStream in = PhoneNumbersTest.class.getResourceAsStream("/identity/phones_sample.csv")) {
      assertThat(in).as("identity/phones_sample.csv on the test class path").isNotNull();
      List<String> phones = new ArrayList<>();
      String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
      for (int i = 1; i < lines.length; i++) {
        phones.add(lines[i].substring(lines[i].lastIndexOf(',') + 1));
      }
      return phones;
    }
  }
}
