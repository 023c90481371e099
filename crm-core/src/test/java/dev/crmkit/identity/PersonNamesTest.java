package dev.crmkit.identity;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PersonNamesTest {

  @Test
  void accentsCaseAndSurroundingSpacesDoNotChangeTheKey() {
    assertThat(PersonNames.looseKey("José", "Núñez", "ACME"))
        .isEqualTo(PersonNames.looseKey(" jose", "NUNEZ ", "Acme "))
        .isEqualTo("jose|nunez|acme");
  }

  @Test
  void aMissingCompanyCountsAsEmptyAndAMissingNameGivesNoKey() {
    assertThat(PersonNames.looseKey("Ada", "Lovelace", null)).isEqualTo("ada|lovelace|");
    assertThat(PersonNames.looseKey("Ada", null, "Engines")).isNull();
    assertThat(PersonNames.looseKey(null, "Lovelace", "Engines")).isNull();
  }

  @Test
  void differentCompaniesGiveDifferentKeys() {
    assertThat(PersonNames.looseKey("Ada", "Lovelace", "Engines"))
        .isNotEqualTo(PersonNames.looseKey("Ada", "Lovelace", "Looms"));
  }
}
