package dev.crmkit.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import org.junit.jupiter.api.Test;

class EditDistanceTest {
  @Test
  void countsInsertionsDeletionsSubstitutionsAndAdjacentSwapsAsOneEach() {
    assertThat(EditDistance.between("baseUrl", "baseUrl")).isZero();
    assertThat(EditDistance.between("baseUrl", "baseUrls")).isEqualTo(1);
    assertThat(EditDistance.between("baseUrl", "baseUr")).isEqualTo(1);
    assertThat(EditDistance.between("baseUrl", "baseUri")).isEqualTo(1);
    assertThat(EditDistance.between("baseUrl", "baesUrl")).isEqualTo(1);
    assertThat(EditDistance.between("", "abc")).isEqualTo(3);
    // The restricted variant: a swapped pair is not edited again ("ca" -> "abc" is 3, not 2).
    assertThat(EditDistance.between("ca", "abc")).isEqualTo(3);
  }

  @Test
  void isSymmetric() {
    assertThat(EditDistance.between("tenSecondlyLimit", "tenSecondlyLimt"))
        .isEqualTo(EditDistance.between("tenSecondlyLimt", "tenSecondlyLimit"));
  }

  @Test
  void refusesNull() {
    assertThatNullPointerException().isThrownBy(() -> EditDistance.between(null, "a"));
    assertThatNullPointerException().isThrownBy(() -> EditDistance.between("a", null));
  }
}
