package dev.crmkit.examples.imports;

import dev.crmkit.ActivityDraft;
import dev.crmkit.CustomerDraft;
import dev.crmkit.NoteDraft;
import java.util.List;
import java.util.Objects;

/**
 * A CSV row that mapped to a customer.
 *
 * @param file the file's name; never null
 * @param line the 1-based line the row starts on
 * @param draft the customer to upsert; never null
 * @param note the note to add after the upsert (a lead's notes), already validated, or {@code null}
 * @param activity the activity to log after the upsert (a lead's deal stage), already validated, or
 *     {@code null}
 * @param warnings problems that did not stop the row; never null, unmodifiable
 */
public record MappedRow(
    String file, long line, CustomerDraft draft, NoteDraft note, ActivityDraft activity, List<RowProblem> warnings) {
  public MappedRow {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(draft, "draft");
    warnings = List.copyOf(warnings);
  }
}
