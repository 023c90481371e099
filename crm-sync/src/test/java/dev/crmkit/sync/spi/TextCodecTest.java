package dev.crmkit.sync.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TextCodecTest {
  @Test
  void mapsDecodeSortedByKeyWithNullValues() {
    Map<String, String> map = new HashMap<>();
    map.put("b", "2:x");
    map.put("a", null);
    map.put("", "");

    Map<String, String> decoded = TextCodec.decodeMap(TextCodec.encodeMap(map));

    assertThat(decoded).isEqualTo(map);
    assertThat(decoded.keySet()).containsExactly("", "a", "b");
  }

  @Test
  void textItDidNotMakeIsRefused() {
    for (String bad : Arrays.asList("x", "3:ab", "a:b", "-1:", "1:a1:")) {
      assertThatThrownBy(() -> TextCodec.decode(bad)).isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> TextCodec.decodeMap("1:a")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void snapshotHashesDependOnFieldsOnly() {
    SyncSnapshot a = new SyncSnapshot(Map.of("email", "a@example.com", "name", "Ada"), java.time.Instant.EPOCH, "1");
    SyncSnapshot b = new SyncSnapshot(Map.of("name", "Ada", "email", "a@example.com"),
        java.time.Instant.EPOCH.plusSeconds(9), null);
    SyncSnapshot c = new SyncSnapshot(Map.of("email", "a@example.com", "name", "Ada "), java.time.Instant.EPOCH, "1");

    assertThat(a.hash()).isEqualTo(b.hash()).hasSize(64);
    assertThat(c.hash()).isNotEqualTo(a.hash());
    assertThat(a.toString()).doesNotContain("a@example.com");
  }
}
