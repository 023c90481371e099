package dev.crmkit.sync.spi;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Encodes a list of strings, nulls included, as one text: each element is {@code <length>:<chars>},
 * or {@code -} for null. Length-prefixed, so no character needs escaping and decoding is exact. Used
 * for the map- and list-valued columns of the JDBC sync store and for snapshot hashes.
 */
public final class TextCodec {
  private TextCodec() {}

  /** The text of a list; {@link #decode} gives it back. */
  public static String encode(List<String> values) {
    StringBuilder b = new StringBuilder();
    for (String v : values) {
      if (v == null) {
        b.append('-');
      } else {
        b.append(v.length()).append(':').append(v);
      }
    }
    return b.toString();
  }

  /**
   * The list {@link #encode} was given.
   *
   * @throws IllegalArgumentException when the text was not made by {@link #encode}
   */
  public static List<String> decode(String text) {
    List<String> out = new ArrayList<>();
    int i = 0;
    while (i < text.length()) {
      if (text.charAt(i) == '-') {
        out.add(null);
        i++;
        continue;
      }
      int colon = text.indexOf(':', i);
      if (colon < 0) {
        throw new IllegalArgumentException("not an encoded list at offset " + i);
      }
      int length;
      try {
        length = Integer.parseInt(text, i, colon, 10);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("not an encoded list at offset " + i, e);
      }
      int end = colon + 1 + length;
      if (length < 0 || end > text.length()) {
        throw new IllegalArgumentException("not an encoded list at offset " + i);
      }
      out.add(text.substring(colon + 1, end));
      i = end;
    }
    return out;
  }

  /** A map as an encoded list of keys and values in key order. */
  public static String encodeMap(Map<String, String> map) {
    List<String> flat = new ArrayList<>(map.size() * 2);
    new TreeMap<>(map).forEach((k, v) -> {
      flat.add(k);
      flat.add(v);
    });
    return encode(flat);
  }

  /**
   * The map {@link #encodeMap} was given, sorted by key; unmodifiable, values may be null.
   *
   * @throws IllegalArgumentException when the text was not made by {@link #encodeMap}
   */
  public static Map<String, String> decodeMap(String text) {
    List<String> flat = decode(text);
    if (flat.size() % 2 != 0) {
      throw new IllegalArgumentException("an encoded map needs pairs, got " + flat.size() + " elements");
    }
    TreeMap<String, String> out = new TreeMap<>();
    for (int i = 0; i < flat.size(); i += 2) {
      out.put(flat.get(i), flat.get(i + 1));
    }
    return Collections.unmodifiableMap(out);
  }
}
