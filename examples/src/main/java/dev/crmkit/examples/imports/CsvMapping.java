package dev.crmkit.examples.imports;

import java.util.List;
import java.util.Objects;

/**
 * A CSV file read and mapped to customer drafts, before anything is stored.
 *
 * @param file the file's name; never null
 * @param kind what the file holds, resolved (never {@link CsvKind#AUTO})
 * @param headers the header row as written; never null
 * @param rowsRead data rows read (each row once, whether mapped or rejected)
 * @param rows the rows that mapped, in file order; never null
 * @param errors the rows that did not map, one problem each, in file order; never null
 * @param warnings problems that did not stop a row, and unknown columns; never null
 */
public record CsvMapping(
    String file, CsvKind kind, List<String> headers, int rowsRead, List<MappedRow> rows, List<RowProblem> errors,
    List<RowProblem> warnings) {
  public CsvMapping {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(kind, "kind");
    if (kind == CsvKind.AUTO) {
      throw new IllegalArgumentException("a mapping's kind is resolved, never AUTO");
    }
    headers = List.copyOf(headers);
    rows = List.copyOf(rows);
    errors = List.copyOf(errors);
    warnings = List.copyOf(warnings);
  }
}
