package dev.crmkit.examples.imports;

import dev.crmkit.Customer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What importing one CSV file into a customer system did.
 *
 * @param file the file's name; never null
 * @param kind what the file held; never {@link CsvKind#AUTO}
 * @param rowsRead data rows read
 * @param created customers created
 * @param updated rows that updated a customer (a row matched an existing customer by email, then phone)
 * @param notesAdded notes added (leads' notes)
 * @param activitiesAdded activities logged (leads' deal stages)
 * @param errors every rejected row with its reason, in file order: mapping errors and rows the
 *     store rejected; never null
 * @param warnings problems that did not stop a row; never null
 * @param updates every row that updated a customer, with the key it matched by, in file order; never null
 * @param duplicateCandidates rows created beside a customer that holds the same phone with another
 *     email (never written over it), in file order; never null
 * @param customers the stored customers, each once in the state after the import, in the order
 *     their first row appeared; never null
 * @param elapsed wall time of the import, mapping included; never null
 */
public record ImportResult(
    String file, CsvKind kind, int rowsRead, int created, int updated, int notesAdded, int activitiesAdded,
    List<RowProblem> errors, List<RowProblem> warnings, List<RowMatch> updates, List<RowMatch> duplicateCandidates,
    List<Customer> customers, Duration elapsed) {
  public ImportResult {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(kind, "kind");
    errors = List.copyOf(errors);
    warnings = List.copyOf(warnings);
    updates = List.copyOf(updates);
    duplicateCandidates = List.copyOf(duplicateCandidates);
    customers = List.copyOf(customers);
    Objects.requireNonNull(elapsed, "elapsed");
  }

  /** Updates per reason, such as {@code "matched by email" -> 3}, sorted by reason. */
  public Map<String, Long> updatesByReason() {
    return updates.stream().collect(Collectors.groupingBy(RowMatch::reason, TreeMap::new, Collectors.counting()));
  }

  /** Rows not imported: {@code errors().size()}. */
  public int rejected() {
    return errors.size();
  }
}
