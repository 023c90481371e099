package dev.crmkit.salesforce.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SoqlTest {
  @Test
  void quotesAndBackslashesCannotCloseTheLiteral() {
    String attack = "x' OR Email != '";

    assertThat(Soql.literal(attack)).isEqualTo("'x\\' OR Email != \\''");
    assertThat(Soql.literal("a\\' OR Id != '")).isEqualTo("'a\\\\\\' OR Id != \\''");
  }

  @Test
  void everyQuoteInTheLiteralIsPrecededByAnOddRunOfBackslashes() {
    String[] inputs = {"'", "\\'", "\\\\'", "''\\", "\\", "a\"b", "\\\\\\'--"};
    for (String input : inputs) {
      String inner = Soql.escape(input, false);
      for (int i = 0; i < inner.length(); i++) {
        if (inner.charAt(i) == '\'') {
          int slashes = 0;
          for (int j = i - 1; j >= 0 && inner.charAt(j) == '\\'; j--) {
            slashes++;
          }
          assertThat(slashes % 2).as(input).isEqualTo(1);
        }
      }
    }
  }

  @Test
  void controlCharactersAreEscapedNotPassedThrough() {
    assertThat(Soql.escape("a\nb\rc\td\u0001", false)).isEqualTo("a\\nb\\rc\\td\\u0001");
  }

  @Test
  void percentAndUnderscoreAreEscapedOnlyInLikePatterns() {
    assertThat(Soql.literal("50%_off")).isEqualTo("'50%_off'");
    assertThat(Soql.containsPattern("50%_off")).isEqualTo("'%50\\%\\_off%'");
  }

  @Test
  void listsQuoteEachValue() {
    assertThat(Soql.list(List.of("+1", "a'b"))).isEqualTo("('+1', 'a\\'b')");
  }

  @Test
  void dateTimesAreUnquotedUtcSeconds() {
    assertThat(Soql.dateTime(Instant.parse("2024-01-31T10:00:00.123Z"))).isEqualTo("2024-01-31T10:00:00Z");
  }

  @Test
  void onlyFifteenOrEighteenAlphanumericsAreIds() {
    assertThat(Soql.isId("003000000000001")).isTrue();
    assertThat(Soql.isId("003000000000001AAA")).isTrue();
    assertThat(Soql.isId("003' OR Id != '1")).isFalse();
    assertThat(Soql.isId("0030000000001")).isFalse();
    assertThat(Soql.isId(null)).isFalse();
  }
}
