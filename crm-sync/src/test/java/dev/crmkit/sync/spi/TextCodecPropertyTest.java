package dev.crmkit.sync.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** {@link TextCodec} round trips, checked by jqwik; a failing list is shrunk before it is reported. */
class TextCodecPropertyTest {
  /** Length prefixes, separators, quotes, escapes, line breaks, and characters of two and four UTF-8 bytes. */
  private static final String ALPHABET = "ab:-0123456789 \n\"\\é李😀";

  @Property(tries = 2000)
  void everyListOfStringsAndNullsDecodesToItself(@ForAll("values") List<String> values) {
    assertThat(TextCodec.decode(TextCodec.encode(values))).isEqualTo(values);
  }

  @Provide
  Arbitrary<List<String>> values() {
    List<String> codePoints = ALPHABET.codePoints().mapToObj(Character::toString).toList();
    Arbitrary<String> text = Arbitraries.of(codePoints).list().ofMaxSize(11).map(cs -> String.join("", cs));
    return text.injectNull(0.2).list().ofMaxSize(5);
  }
}
