package dev.crmkit.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmkit.error.ValidationException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class CursorCodecTest {
  record Position(long at, List<String> seen, String after) {
    Position {
      if (at < 0) {
        throw new IllegalArgumentException("at must not be negative");
      }
      seen = List.copyOf(seen);
    }
  }

  private static final CursorCodec<Position> CODEC = CursorCodec.of("acme", "ac1", "search",
      p -> {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("t", p.at());
        s.put("s", p.seen());
        s.put("a", p.after());
        return s;
      },
      s -> new Position(s.requiredLong("t"), s.optionalStrings("s"), s.optionalString("a")));

  private static String text(String json) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aRecordGoesThroughItsTextAndBack() {
    Position p = new Position(1_700_000_000_123L, List.of("1", "2"), "c2");

    assertThat(CODEC.decode(CODEC.encode(p))).isEqualTo(p);
  }

  @Test
  void theTextIsBase64urlOfSortedJsonWithVersionAndKindAndNoNullFields() {
    String cursor = CODEC.encode(new Position(5, List.of("u:1@5"), null));

    assertThat(cursor).doesNotContain("=", "+", "/");
    assertThat(new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8))
        .isEqualTo("{\"k\":\"ac1:search\",\"s\":{\"s\":[\"u:1@5\"],\"t\":5}}");
  }

  @Test
  void theSameStateGivesTheSameTextWhateverTheMapsOrder() {
    CursorCodec<Map<String, Object>> maps = CursorCodec.of("acme", "ac1", "feed", m -> m, s -> Map.of());
    Map<String, Object> state = new LinkedHashMap<>();
    state.put("s", List.of("a"));
    state.put("h", 5);
    Map<String, Object> reversed = new LinkedHashMap<>();
    reversed.put("h", 5);
    reversed.put("s", List.of("a"));

    assertThat(maps.encode(state)).isEqualTo(maps.encode(reversed));
  }

  @Test
  void aCursorOfAnotherKindOrVersionIsRejectedNamingTheCursor() {
    CursorCodec<Position> feed = CursorCodec.of("acme", "ac1", "feed", p -> Map.of("t", p.at()),
        s -> new Position(s.requiredLong("t"), List.of(), null));
    CursorCodec<Position> version2 = CursorCodec.of("acme", "ac2", "search", p -> Map.of("t", p.at()),
        s -> new Position(s.requiredLong("t"), List.of(), null));
    String feedCursor = feed.encode(new Position(5, List.of(), null));
    String newer = version2.encode(new Position(5, List.of(), null));

    assertRejected(() -> CODEC.decode(feedCursor), feedCursor);
    assertRejected(() -> CODEC.decode(newer), newer);
  }

  @Test
  void textThatIsNotACursorIsRejectedNamingTheCursor() {
    assertRejected(() -> CODEC.decode("%%not-a-cursor%%"), "%%not-a-cursor%%");
    assertRejected(() -> CODEC.decode(text("[1,2]")), text("[1,2]"));
    assertRejected(() -> CODEC.decode(text("{\"k\":\"ac1:search\",\"s\":[]}")), text("{\"k\":\"ac1:search\",\"s\":[]}"));
    assertRejected(() -> CODEC.decode(null), null);
  }

  @Test
  void aMissingOrMistypedFieldIsAValidationExceptionNotAClassCastException() {
    for (String state : List.of("{}", "{\"t\":\"5\"}", "{\"t\":5.5}", "{\"t\":5,\"s\":\"x\"}",
        "{\"t\":5,\"s\":[1]}", "{\"t\":5,\"a\":7}", "{\"t\":99999999999999999999}")) {
      String cursor = text("{\"k\":\"ac1:search\",\"s\":" + state + "}");
      assertRejected(() -> CODEC.decode(cursor), cursor);
    }
  }

  @Test
  void aStateTheRecordRefusesIsRejectedNamingTheCursor() {
    String cursor = text("{\"k\":\"ac1:search\",\"s\":{\"t\":-1}}");

    assertRejected(() -> CODEC.decode(cursor), cursor);
  }

  @Test
  void optionalFieldsMayBeMissingOrNull() {
    String cursor = text("{\"k\":\"ac1:search\",\"s\":{\"t\":5,\"a\":null}}");

    assertThat(CODEC.decode(cursor)).isEqualTo(new Position(5, List.of(), null));
  }

  @Test
  void badArgumentsToTheFactoryAreNamed() {
    assertThatThrownBy(() -> CursorCodec.of("acme", "a b", "search", p -> Map.of(), s -> "x"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("version");
    assertThatThrownBy(() -> CursorCodec.of("acme", "ac1", "", p -> Map.of(), s -> "x"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("kind");
    assertThatThrownBy(() -> CursorCodec.of("acme", "ac1", "search", null, s -> "x"))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("writer");
  }

  private static void assertRejected(ThrowingCallable decode, String cursor) {
    assertThatThrownBy(decode).isInstanceOfSatisfying(ValidationException.class, e -> {
      assertThat(e.provider()).isEqualTo("acme");
      assertThat(e.fieldErrors()).singleElement().satisfies(f -> {
        assertThat(f.field()).isEqualTo("cursor");
        assertThat(f.value()).isEqualTo(cursor);
        assertThat(f.message()).isEqualTo("not a search cursor issued by the acme provider");
      });
    });
  }
}
