package dev.crmkit.hubspot.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmkit.error.ValidationException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CursorsTest {
  @Test
  void theSameStateGivesTheSameTextWhateverTheMapsOrder() {
    Map<String, Object> state = new LinkedHashMap<>();
    state.put("s", List.of("u:1@5"));
    state.put("h", 5);
    Map<String, Object> reversed = new LinkedHashMap<>();
    reversed.put("h", 5);
    reversed.put("s", List.of("u:1@5"));

    String cursor = Cursors.encode("feed", state);

    assertThat(cursor).isEqualTo(Cursors.encode("feed", reversed));
    assertThat(new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8))
        .isEqualTo("{\"k\":\"hs1:feed\",\"s\":{\"h\":5,\"s\":[\"u:1@5\"]}}");
    assertThat(Cursors.decode("feed", cursor)).isEqualTo(Map.of("h", 5, "s", List.of("u:1@5")));
  }

  @Test
  void aCursorOfAnotherKindIsRejectedNamingTheCursor() {
    String cursor = Cursors.encode("feed", Map.of("h", 5));

    assertThatThrownBy(() -> Cursors.decode("search", cursor)).isInstanceOfSatisfying(ValidationException.class,
        e -> assertThat(e.fieldErrors()).singleElement().satisfies(f -> {
          assertThat(f.field()).isEqualTo("cursor");
          assertThat(f.value()).isEqualTo(cursor);
        }));
  }
}
