package dev.crmkit.examples.imports;

import dev.crmkit.Customer;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What importing one CSV file into a customer system did.
 *
 * @param file the file's name; never null
 * @param kind what the file held; never {@link CsvKind#AUTO}
 * @param rowsRead data rows read
 * @param created customers created
 * @param updated customers updated (a row matched an existing customer by email, then phone)
 * @param notesAdded notes added (leads' notes)
 * @param activitiesAdded activities logged (leads' deal stages)
 * @param errors every rejected row with its reason, in file order: mapping errors and rows the
 *     store rejected; never null
 * @param warnings problems that did not stop a row; never null
 * @param customers the stored customers, each once in the state after the import, in the order
 *     their first row appeared; never null
 * @param elapsed wall time of the import, mapping included; never null
 */
public record ImportResult(
    String file, CsvKind kind, int rowsRead, int created, int updated, int notesAdded, int activitiesAdded,
    List<RowProblem> errors, List<RowProblem> warnings, List<Customer> customers, Duration elapsed) {
  public ImportResult {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(kind, "kind");
    errors = List.copyOf(errors);
    warnings = List.copyOf(warnings);
    customers = List.copyOf(customers);
    Objects.requireNonNull(elapsed, "elapsed");
  }

  /** Rows not imported: {@code errors().size()}. */
  public int rejected() {
    return errors.size();
  }
}
