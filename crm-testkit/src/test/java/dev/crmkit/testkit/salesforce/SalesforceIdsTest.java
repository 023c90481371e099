package dev.crmkit.testkit.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SalesforceIdsTest {
  @Test
  void theCaseSafeSuffixMatchesSalesforcesOwnExamples() {
    // From the REST API guide's query example: 001D000000IRFmaIAH and 001D000000IomazIAB.
    assertThat(SalesforceIds.to18("001D000000IRFma")).isEqualTo("001D000000IRFmaIAH");
    assertThat(SalesforceIds.to18("001D000000Iomaz")).isEqualTo("001D000000IomazIAB");
  }

  @Test
  void generatedIdsCarryTheKeyPrefixAndAValidSuffix() {
    String id = SalesforceIds.of("003", 12_345);

    assertThat(id).hasSize(18).startsWith("0035g");
    assertThat(SalesforceIds.wellFormed(id)).isTrue();
    assertThat(SalesforceIds.of("003", 12_346)).isNotEqualTo(id);
  }

  @Test
  void idsDifferingOnlyInCaseGetDifferentSuffixes() {
    String lower = SalesforceIds.to18("0035g00000abcde");
    String upper = SalesforceIds.to18("0035g00000ABCDE");

    assertThat(lower.toLowerCase()).isNotEqualTo(upper.toLowerCase());
  }

  @Test
  void badShapesAndWrongSuffixesAreNotIds() {
    assertThat(SalesforceIds.wellFormed("003")).isFalse();
    assertThat(SalesforceIds.wellFormed("001D000000IRFmaXXX")).isFalse();
    assertThat(SalesforceIds.wellFormed("001D000000IRFm'--")).isFalse();
    assertThat(SalesforceIds.normalize("001D000000IRFma")).isEqualTo("001D000000IRFmaIAH");
    assertThat(SalesforceIds.normalize(null)).isNull();
  }
}
