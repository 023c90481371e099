package dev.crmkit.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WebhookSignaturesTest {
  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void comparesEqualSignaturesAsEqualAndAnythingElseAsDifferent() {
    assertThat(WebhookSignatures.constantTimeEquals("abc", "abc")).isTrue();
    assertThat(WebhookSignatures.constantTimeEquals("abc", "abd")).isFalse();
    assertThat(WebhookSignatures.constantTimeEquals("abc", "abcd")).isFalse();
    assertThat(WebhookSignatures.constantTimeEquals("abc", "")).isFalse();
    assertThat(WebhookSignatures.constantTimeEquals(null, "abc")).isFalse();
    assertThat(WebhookSignatures.constantTimeEquals("abc", null)).isFalse();
    assertThat(WebhookSignatures.constantTimeEquals(null, null)).isFalse();
  }

  @Test
  void hashesTheConcatenationOfItsParts() {
    // FIPS 180-2 test vector for "abc".
    assertThat(WebhookSignatures.hex(WebhookSignatures.sha256(utf8("a"), utf8("bc"))))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  @Test
  void computesHmacSha256OverTheConcatenationOfItsParts() {
    // RFC 4231 test case 2.
    assertThat(WebhookSignatures.hex(WebhookSignatures.hmacSha256(utf8("Jefe"), utf8("what do ya want "), utf8("for nothing?"))))
        .isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  }

  @Test
  void writesLowerCaseHexTwoCharactersPerByte() {
    assertThat(WebhookSignatures.hex(new byte[] {0, 15, (byte) 0xab, (byte) 0xff})).isEqualTo("000fabff");
    assertThat(WebhookSignatures.hex(new byte[0])).isEmpty();
  }
}
