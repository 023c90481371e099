package dev.crmkit.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmkit.error.FieldError;
import dev.crmkit.error.ValidationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Email normalization and keys, on addresses shaped like the shared sample data. */
class EmailAddressesTest {

  @ParameterizedTest
  @ValueSource(strings = {"urangel@espinoza-francis.net", "URangel@Espinoza-Francis.NET",
      "  urangel@espinoza-francis.net\t", "mailto:urangel@espinoza-francis.net", "MAILTO:URANGEL@ESPINOZA-FRANCIS.NET"})
  void addressesMatchCaseInsensitivelyAfterTrimming(String typed) {
    assertThat(EmailAddresses.normalize(typed)).isEqualTo("urangel@espinoza-francis.net");
  }

  @ParameterizedTest
  @ValueSource(strings = {"user@bücher.de", "user@xn--bcher-kva.de", "User@BÜCHER.DE", "user@XN--BCHER-KVA.DE",
      "user@bu\u0308cher.de"})
  void anInternationalDomainIsOneIdentityInUnicodeAndPunycodeForm(String typed) {
    assertThat(EmailAddresses.normalize(typed)).isEqualTo("user@bücher.de");
  }

  @Test
  void aDomainIdnaCannotConvertIsKeptLowerCased() {
    String label = "a".repeat(64);

    assertThat(EmailAddresses.normalize("x@" + label + ".COM")).isEqualTo("x@" + label + ".com");
  }

  @Test
  void addressesFromTheSampleDataAreKeptAsTheyAre() {
    assertThat(EmailAddresses.normalize("haleybraun@blevins-sexton.com")).isEqualTo("haleybraun@blevins-sexton.com");
    assertThat(EmailAddresses.normalize("norman05@cummings-forbes.com")).isEqualTo("norman05@cummings-forbes.com");
    assertThat(EmailAddresses.normalize("first.last+crm@sub.example.co.uk")).isEqualTo("first.last+crm@sub.example.co.uk");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      xreese.hall-donovan.com      | must contain exactly one '@'
      a@b@hall-donovan.com         | must contain exactly one '@'
      @hall-donovan.com            | missing the part before '@'
      xreese@                      | missing the domain after '@'
      x reese@hall-donovan.com     | contains 'space'
      xreese@hall-donovan.com,     | contains ','
      Xavier <xreese@hall.com>     | contains 'space'
      xreese@localhost             | domain 'localhost' is not a valid host name
      xreese@hall..com             | domain 'hall..com' is not a valid host name
      xreese@.hall.com             | domain '.hall.com' is not a valid host name
      .xreese@hall.com             | misplaced '.' before '@'
      x..reese@hall.com            | misplaced '.' before '@'
      """)
  void aMalformedAddressIsRejectedNamingTheFieldAndValue(String typed, String problem) {
    assertThatThrownBy(() -> EmailAddresses.normalize(typed, "secondaryEmail"))
        .isInstanceOf(ValidationException.class)
        .satisfies(e -> assertThat(((ValidationException) e).fieldErrors())
            .containsExactly(new FieldError("secondaryEmail", typed, problem)))
        .hasMessageContaining("secondaryEmail '" + typed + "'");
    assertThat(EmailAddresses.isValid(typed)).isFalse();
  }

  @Test
  void anOverlongAddressIsRejected() {
    String typed = "a".repeat(250) + "@x.com";

    assertThatThrownBy(() -> EmailAddresses.normalize(typed))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("longer than 254 characters")
        .satisfies(e -> assertThat(((ValidationException) e).fieldErrors().get(0).field()).isEqualTo("email"));
  }

  @Test
  void isValidAgreesWithNormalizeOnAMailtoPrefix() {
    assertThat(EmailAddresses.isValid("mailto:@hall.com")).isFalse();
    assertThatThrownBy(() -> EmailAddresses.normalize("mailto:@hall.com")).isInstanceOf(ValidationException.class);
    String fits = "a".repeat(240) + "@hall.com";
    assertThat(EmailAddresses.isValid("mailto:" + fits)).isTrue();
    assertThat(EmailAddresses.normalize("mailto:" + fits)).isEqualTo(fits);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "  "})
  void blankAndNullMeanNoAddress(String typed) {
    assertThat(EmailAddresses.normalize(typed)).isNull();
    assertThat(EmailAddresses.normalize(null)).isNull();
    assertThat(EmailAddresses.isValid(typed)).isTrue();
    assertThat(EmailAddresses.isValid(null)).isTrue();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      xreese+crm@hall-donovan.com     | xreese@hall-donovan.com
      xreese@hall-donovan.com         | xreese@hall-donovan.com
      x.reese@hall-donovan.com        | x.reese@hall-donovan.com
      x.reese+news@gmail.com          | xreese@gmail.com
      x.r.eese@googlemail.com         | xreese@gmail.com
      +tagged@hall-donovan.com        | +tagged@hall-donovan.com
      """)
  void theLooseKeyDropsPlusTagsAndGmailDots(String normalized, String looseKey) {
    assertThat(EmailAddresses.looseKey(normalized)).isEqualTo(looseKey);
  }

  @Test
  void theLooseKeyOfNoAddressIsNull() {
    assertThat(EmailAddresses.looseKey(null)).isNull();
  }

  @Test
  void differentlyTypedAddressesOfOneGmailMailboxShareTheLooseKeyButNotTheMatchKey() {
    String a = EmailAddresses.normalize("Heather.Callahan@Gmail.com");
    String b = EmailAddresses.normalize("heathercallahan+shop@gmail.com");

    assertThat(a).isNotEqualTo(b);
    assertThat(EmailAddresses.looseKey(a)).isEqualTo(EmailAddresses.looseKey(b)).isEqualTo("heathercallahan@gmail.com");
  }
}
