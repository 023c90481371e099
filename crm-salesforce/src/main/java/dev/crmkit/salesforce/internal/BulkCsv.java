package dev.crmkit.salesforce.internal;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * CSV as Bulk API 2.0 reads and writes it (RFC 4180, {@code columnDelimiter COMMA}, {@code lineEnding LF}): a cell
 * holding a comma, a double quote, a line break or leading or trailing spaces is quoted, with quotes doubled.
 * Stateless.
 *
 * @see <a href="https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/datafiles_prepare_csv.htm">Bulk API 2.0: prepare CSV files</a>
 */
final class BulkCsv {
  /** The cell that sets a field to null in an update ({@code #N/A}); an empty cell leaves it unchanged. */
  static final String NULL = "#N/A";

  private BulkCsv() {}

  /** One line, LF-terminated. */
  static String line(List<String> cells) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      String c = cells.get(i);
      boolean quote = c.indexOf(',') >= 0 || c.indexOf('"') >= 0 || c.indexOf('\n') >= 0 || c.indexOf('\r') >= 0
          || !c.isEmpty() && (c.charAt(0) == ' ' || c.charAt(c.length() - 1) == ' ');
      sb.append(quote ? '"' + c.replace("\"", "\"\"") + '"' : c);
    }
    return sb.append('\n').toString();
  }

  /** A field value as a cell: text as is, numbers in plain notation, booleans as {@code true}/{@code false}. */
  static String cell(Object value) {
    if (value instanceof BigDecimal d) {
      return d.toPlainString();
    }
    return String.valueOf(value);
  }

  /**
   * The rows of a CSV text, each a list of cells; blank lines are skipped.
   *
   * @throws IllegalArgumentException for an unterminated quoted cell
   */
  static List<List<String>> parse(String text) {
    List<List<String>> rows = new ArrayList<>();
    List<String> row = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    boolean quoted = false;
    boolean any = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
          cell.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          cell.append(c);
        }
      } else if (c == '"') {
        quoted = true;
        any = true;
      } else if (c == ',') {
        row.add(cell.toString());
        cell.setLength(0);
        any = true;
      } else if (c == '\n' || c == '\r') {
        if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
          i++;
        }
        if (any || cell.length() > 0) {
          row.add(cell.toString());
          rows.add(row);
        }
        row = new ArrayList<>();
        cell.setLength(0);
        any = false;
      } else {
        cell.append(c);
        any = true;
      }
    }
    if (quoted) {
      throw new IllegalArgumentException("unterminated quoted cell");
    }
    if (any || cell.length() > 0) {
      row.add(cell.toString());
      rows.add(row);
    }
    return rows;
  }
}
