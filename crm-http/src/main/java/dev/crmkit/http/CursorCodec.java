package dev.crmkit.http;

import dev.crmkit.error.CrmException;
import dev.crmkit.error.FieldError;
import dev.crmkit.error.ValidationException;
import dev.crmkit.http.internal.Json;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Turns a provider's cursor record into the opaque cursor string a caller passes back, and that string
 * back into the record, checking every field on the way in.
 *
 * <p>The text is the base64url encoding (no padding) of the JSON object
 * {@code {"k":"<version>:<kind>","s":{<state>}}} with every object's keys sorted, so one record always
 * gives the same text. {@code version} lets a provider change a cursor's shape later and still tell old
 * cursors from new ones; {@code kind} keeps a cursor of one list (say, a search) from being accepted by
 * another (say, a change feed). Cursors are not signed: they are validated, so a cursor a caller edited
 * either still names a valid position or is rejected. Keep nothing in one that the caller may not see.
 *
 * <p>{@link #decode(String)} rejects a cursor this codec did not make, of another version or kind, with
 * a missing or mistyped field, or that the reader refuses, always with a {@link ValidationException}
 * naming {@code cursor} and never with a {@code ClassCastException} or the like.
 *
 * <pre>{@code
 * record NotesCursor(int offset) {}
 * CursorCodec<NotesCursor> NOTES = CursorCodec.of("acme", "ac1", "notes",
 *     c -> Map.of("o", c.offset()),
 *     s -> new NotesCursor(Math.toIntExact(s.requiredLong("o"))));
 * }</pre>
 *
 * <p>Immutable and thread-safe when its writer and reader are.
 *
 * @param <T> the cursor record
 */
public final class CursorCodec<T> {
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_.-]{1,32}");

  private final String vendor;
  private final String tag;
  private final String kind;
  private final Function<? super T, ? extends Map<String, ?>> writer;
  private final Function<State, ? extends T> reader;

  private CursorCodec(String vendor, String version, String kind, Function<? super T, ? extends Map<String, ?>> writer,
      Function<State, ? extends T> reader) {
    this.vendor = vendor;
    this.tag = version + ':' + kind;
    this.kind = kind;
    this.writer = writer;
    this.reader = reader;
  }

  /**
   * A codec for one kind of cursor.
   *
   * @param vendor the provider name the errors carry, such as {@code "hubspot"}; not blank
   * @param version the format version, 1 to 32 of {@code [A-Za-z0-9_.-]}, such as {@code "hs1"}
   * @param kind which list the cursor belongs to, same characters, such as {@code "search"}
   * @param writer the record's state as a map of JSON values: strings, numbers, booleans and lists
   *     of them; {@code null} values are left out; not null
   * @param reader the record from a decoded state; it reads fields through {@link State}, whose
   *     getters reject a missing or mistyped field, and may throw {@link IllegalArgumentException}
   *     (for example from the record's compact constructor) for a state it refuses; not null
   * @param <T> the cursor record
   * @return the codec
   * @throws IllegalArgumentException when {@code vendor} is blank or {@code version} or {@code kind}
   *     is not such a token
   * @throws NullPointerException when an argument is null
   */
  public static <T> CursorCodec<T> of(String vendor, String version, String kind,
      Function<? super T, ? extends Map<String, ?>> writer, Function<State, ? extends T> reader) {
    Objects.requireNonNull(vendor, "vendor");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(writer, "writer");
    Objects.requireNonNull(reader, "reader");
    if (vendor.isBlank()) {
      throw new IllegalArgumentException("vendor must not be blank");
    }
    if (!TOKEN.matcher(version).matches()) {
      throw new IllegalArgumentException("version must be 1 to 32 of [A-Za-z0-9_.-], was '" + version + "'");
    }
    if (!TOKEN.matcher(kind).matches()) {
      throw new IllegalArgumentException("kind must be 1 to 32 of [A-Za-z0-9_.-], was '" + kind + "'");
    }
    return new CursorCodec<>(vendor, version, kind, writer, reader);
  }

  /** Which list this codec's cursors belong to, such as {@code "search"}. */
  public String kind() {
    return kind;
  }

  /**
   * The opaque text of a cursor; the same record always gives the same text.
   *
   * @param cursor the record, not null
   * @return base64url text without padding
   * @throws NullPointerException when {@code cursor} is null
   * @throws IllegalArgumentException when the writer returns a value that is not a JSON value
   */
  public String encode(T cursor) {
    Objects.requireNonNull(cursor, "cursor");
    Map<String, ?> state = Objects.requireNonNull(writer.apply(cursor), "writer returned null");
    Map<String, Object> sorted = new TreeMap<>();
    state.forEach((k, v) -> {
      if (v != null) {
        sorted.put(k, v);
      }
    });
    Map<String, Object> root = new TreeMap<>();
    root.put("k", tag);
    root.put("s", sorted);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(Json.writeSorted(root).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The record of a cursor this codec made.
   *
   * @param cursor the text from {@link #encode}
   * @return the record the reader built
   * @throws ValidationException naming {@code cursor} and its value when it is null, not base64url
   *     JSON, of another version or kind, has a missing or mistyped field, or the reader refuses it
   */
  public T decode(String cursor) {
    if (cursor == null) {
      throw malformed(null);
    }
    Map<String, Object> root;
    try {
      root = Json.readMap(new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException | CrmException e) {
      throw malformed(cursor);
    }
    if (!tag.equals(root.get("k")) || !(root.get("s") instanceof Map<?, ?> state)) {
      throw malformed(cursor);
    }
    T decoded;
    try {
      decoded = reader.apply(new State(state));
    } catch (RuntimeException e) {
      // The reader is a function of the decoded state alone: whatever it refuses is the cursor's fault.
      throw malformed(cursor);
    }
    if (decoded == null) {
      throw malformed(cursor);
    }
    return decoded;
  }

  /**
   * The error {@link #decode} throws: a {@link ValidationException} of this codec's vendor with one
   * field error on {@code cursor}, carrying the cursor's text.
   *
   * @param cursor the rejected text, or {@code null}
   * @return the exception, to throw
   */
  public ValidationException malformed(String cursor) {
    return new ValidationException(vendor,
        List.of(new FieldError("cursor", cursor, "not a " + kind + " cursor issued by the " + vendor + " provider")));
  }

  @Override
  public String toString() {
    return "CursorCodec[" + vendor + ' ' + tag + ']';
  }

  /**
   * The decoded state of a cursor, read field by field. Each getter throws
   * {@link IllegalArgumentException} for a missing (when required) or mistyped field, which
   * {@link CursorCodec#decode} turns into its {@link ValidationException}. A JSON {@code null} counts
   * as missing. Not thread-safe; used only inside a reader.
   */
  public static final class State {
    private final Map<?, ?> values;

    private State(Map<?, ?> values) {
      this.values = values;
    }

    /** True when the field is present and not {@code null}. */
    public boolean has(String key) {
      return values.get(key) != null;
    }

    /** An integer field, or {@code null} when missing. */
    public Long optionalLong(String key) {
      Object v = values.get(key);
      if (v == null) {
        return null;
      }
      if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
        return ((Number) v).longValue();
      }
      if (v instanceof BigInteger b && b.bitLength() < Long.SIZE) {
        return b.longValue();
      }
      throw new IllegalArgumentException(key + " is not an integer");
    }

    /** An integer field that must be present. */
    public long requiredLong(String key) {
      return required(key, optionalLong(key));
    }

    /** A string field, or {@code null} when missing. */
    public String optionalString(String key) {
      Object v = values.get(key);
      if (v == null || v instanceof String) {
        return (String) v;
      }
      throw new IllegalArgumentException(key + " is not a string");
    }

    /** A string field that must be present. */
    public String requiredString(String key) {
      return required(key, optionalString(key));
    }

    /** A list of strings; empty when missing; unmodifiable. */
    public List<String> optionalStrings(String key) {
      Object v = values.get(key);
      if (v == null) {
        return List.of();
      }
      if (!(v instanceof List<?> list)) {
        throw new IllegalArgumentException(key + " is not a list");
      }
      List<String> out = new ArrayList<>(list.size());
      for (Object o : list) {
        if (!(o instanceof String s)) {
          throw new IllegalArgumentException(key + " holds a value that is not a string");
        }
        out.add(s);
      }
      return List.copyOf(out);
    }

    /** A list of strings that must be present (it may be empty); unmodifiable. */
    public List<String> requiredStrings(String key) {
      if (!has(key)) {
        throw new IllegalArgumentException(key + " is missing");
      }
      return optionalStrings(key);
    }

    private static <V> V required(String key, V value) {
      if (value == null) {
        throw new IllegalArgumentException(key + " is missing");
      }
      return value;
    }
  }
}
