package dev.crmkit.examples.imports;

import dev.crmkit.error.ValidationException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A CSV file's bytes read as text: its encoding and its field separator, detected.
 *
 * <p>Encodings, in order: a byte order mark decides (UTF-8, UTF-16 little- or big-endian); without
 * one, bytes that are valid UTF-8 are UTF-8, and others are read as Windows-1252 (what Excel on
 * Windows saves as "CSV"), which defines all but five byte values. A file with NUL bytes and no byte
 * order mark is refused: it is UTF-16 without a mark, or not text at all, and either way guessing
 * would import garbage.
 *
 * <p>The separator is the most frequent of comma, semicolon and tab outside quotes in the header
 * line (comma on a tie or when none appears): Excel writes semicolons where the decimal mark is a
 * comma, and many tools export tabs.
 *
 * @param text the decoded text without a byte order mark
 * @param encoding the encoding read, such as {@code "UTF-8"} or {@code "Windows-1252"}
 * @param separator the field separator
 */
record CsvText(String text, String encoding, char separator) {
  private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");

  /**
   * Reads a file's bytes.
   *
   * @throws ValidationException naming {@code file} when the bytes are no text in a supported encoding
   */
  static CsvText decode(String file, byte[] bytes) {
    String text;
    String encoding;
    if (startsWith(bytes, 0xEF, 0xBB, 0xBF)) {
      text = strict(file, bytes, 3, StandardCharsets.UTF_8, "UTF-8 (with byte order mark)");
      encoding = "UTF-8";
    } else if (startsWith(bytes, 0xFF, 0xFE)) {
      text = strict(file, bytes, 2, StandardCharsets.UTF_16LE, "UTF-16LE (with byte order mark)");
      encoding = "UTF-16LE";
    } else if (startsWith(bytes, 0xFE, 0xFF)) {
      text = strict(file, bytes, 2, StandardCharsets.UTF_16BE, "UTF-16BE (with byte order mark)");
      encoding = "UTF-16BE";
    } else {
      for (int i = 0; i < bytes.length; i++) {
        if (bytes[i] == 0) {
          throw ValidationException.of("file", file, "cannot be read: it has NUL bytes (at byte " + i
              + ") and no byte order mark, so it is UTF-16 without a mark or not a text file; save it as"
              + " UTF-8 (Excel: \"CSV UTF-8\")");
        }
      }
      String utf8 = decodedOrNull(bytes, StandardCharsets.UTF_8);
      if (utf8 != null) {
        text = utf8;
        encoding = "UTF-8";
      } else {
        text = strict(file, bytes, 0, WINDOWS_1252, "UTF-8 nor Windows-1252");
        encoding = "Windows-1252";
      }
    }
    // A UTF-8 mark inside decoded text (a file saved twice) is no part of the header.
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    return new CsvText(text, encoding, separator(text));
  }

  /** The separator of CSV text, from its first line: see the class doc. */
  static char separator(String text) {
    int commas = 0;
    int semicolons = 0;
    int tabs = 0;
    boolean quoted = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      } else if (!quoted && (c == '\n' || c == '\r')) {
        break;
      } else if (!quoted && c == ',') {
        commas++;
      } else if (!quoted && c == ';') {
        semicolons++;
      } else if (!quoted && c == '\t') {
        tabs++;
      }
    }
    if (semicolons > commas && semicolons >= tabs) {
      return ';';
    }
    return tabs > commas && tabs > semicolons ? '\t' : ',';
  }

  /** How a separator is named in messages. */
  static String name(char separator) {
    return switch (separator) {
      case '\t' -> "tab";
      case ';' -> "semicolon";
      default -> "comma";
    };
  }

  private static boolean startsWith(byte[] bytes, int... prefix) {
    if (bytes.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if ((bytes[i] & 0xFF) != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private static String decodedOrNull(byte[] bytes, Charset charset) {
    try {
      return decoder(charset).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  private static String strict(String file, byte[] bytes, int offset, Charset charset, String what) {
    try {
      return decoder(charset).decode(ByteBuffer.wrap(bytes, offset, bytes.length - offset)).toString();
    } catch (CharacterCodingException e) {
      throw ValidationException.of("file", file, "cannot be read: its bytes are not " + what
          + "; save it as UTF-8 (Excel: \"CSV UTF-8\")");
    }
  }

  private static java.nio.charset.CharsetDecoder decoder(Charset charset) {
    return charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
  }
}
