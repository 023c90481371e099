package dev.crmkit.examples.demo;

import dev.crmkit.examples.imports.CsvKind;
import dev.crmkit.examples.imports.ImportResult;
import dev.crmkit.examples.imports.RowMatch;
import dev.crmkit.examples.imports.RowProblem;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What one demo run did, as values a test can assert on; {@link #render()} prints it.
 *
 * @param tenantId the tenant the demo wrote to; never null
 * @param imports one summary per imported file, in import order; never null
 * @param messages the inbound message replay; never null
 * @param duplicates duplicate detection and merging; never null
 * @param steps wall time per step, in order; never null
 * @param total wall time of the whole run; never null
 */
public record DemoReport(
    String tenantId, List<ImportSummary> imports, MessageSummary messages, DuplicateSummary duplicates,
    List<StepTiming> steps, Duration total) {

  /** How many example problems the report lists per file. */
  public static final int EXAMPLES = 5;

  public DemoReport {
    Objects.requireNonNull(tenantId, "tenantId");
    imports = List.copyOf(imports);
    Objects.requireNonNull(messages, "messages");
    Objects.requireNonNull(duplicates, "duplicates");
    steps = List.copyOf(steps);
    Objects.requireNonNull(total, "total");
  }

  /**
   * One imported file.
   *
   * @param file file name
   * @param kind customers or leads
   * @param rowsRead data rows read
   * @param created customers created
   * @param updated rows that updated a customer
   * @param updatesByReason those updates per key matched ({@code "matched by email"}, ...), sorted
   * @param updateExamples the first {@value DemoReport#EXAMPLES} updates with file, line, customer and reason
   * @param duplicateCandidates rows created beside a customer with the same phone and another email
   * @param rejected rows not imported
   * @param notes notes added
   * @param activities activities logged
   * @param rejectedByReason rejected rows per {@link RowProblem.Category#label()}, sorted by label
   * @param rejectedExamples the first {@value DemoReport#EXAMPLES} rejected rows with file, line, column, value and reason
   * @param warningsByReason warnings per label, sorted by label
   * @param warningExamples the first {@value DemoReport#EXAMPLES} warnings
   */
  public record ImportSummary(
      String file, CsvKind kind, int rowsRead, int created, int updated, Map<String, Long> updatesByReason,
      List<String> updateExamples, int duplicateCandidates, int rejected, int notes, int activities,
      Map<String, Long> rejectedByReason, List<String> rejectedExamples, Map<String, Long> warningsByReason,
      List<String> warningExamples) {
    public ImportSummary {
      updatesByReason = sorted(updatesByReason);
      updateExamples = List.copyOf(updateExamples);
      rejectedByReason = sorted(rejectedByReason);
      rejectedExamples = List.copyOf(rejectedExamples);
      warningsByReason = sorted(warningsByReason);
      warningExamples = List.copyOf(warningExamples);
    }

    /** The summary of an import result. */
    public static ImportSummary of(ImportResult r) {
      return new ImportSummary(r.file(), r.kind(), r.rowsRead(), r.created(), r.updated(), r.updatesByReason(),
          r.updates().stream().limit(EXAMPLES).map(RowMatch::toString).toList(), r.duplicateCandidates().size(),
          r.rejected(),
          r.notesAdded(), r.activitiesAdded(), byLabel(r.errors()),
          r.errors().stream().limit(EXAMPLES).map(RowProblem::toString).toList(), byLabel(r.warnings()),
          r.warnings().stream().limit(EXAMPLES).map(RowProblem::toString).toList());
    }

    private static Map<String, Long> byLabel(List<RowProblem> problems) {
      return problems.stream().collect(Collectors.groupingBy(p -> p.category().label(), TreeMap::new,
          Collectors.counting()));
    }
  }

  /**
   * The inbound message replay.
   *
   * @param total messages handled
   * @param matched messages from a known customer
   * @param created messages that created a customer
   * @param duplicates redeliveries recognized by message id
   * @param rejected messages the handler rejected with an error (a malformed sender, or a store error)
   * @param rejectedByReason rejected messages per error message, sorted
   * @param rejectedExamples the first few rejected messages with their error
   * @param unexpected messages whose outcome differed from the generator's expectation (0 on a fresh tenant)
   */
  public record MessageSummary(
      int total, int matched, int created, int duplicates, int rejected, Map<String, Long> rejectedByReason,
      List<String> rejectedExamples, int unexpected) {
    public MessageSummary {
      rejectedByReason = sorted(rejectedByReason);
      rejectedExamples = List.copyOf(rejectedExamples);
    }
  }

  /**
   * Duplicate detection and merging.
   *
   * @param groupsFound duplicate groups found
   * @param customersMerged customers merged into a survivor
   * @param mergeFailures merges the store refused
   * @param groupsByReason groups per shared key ({@code email}, {@code phone}, {@code name}), sorted
   */
  public record DuplicateSummary(int groupsFound, int customersMerged, int mergeFailures, Map<String, Long> groupsByReason) {
    public DuplicateSummary {
      groupsByReason = sorted(groupsByReason);
    }
  }

  /**
   * Wall time of one step.
   *
   * @param name the step
   * @param items rows, messages or groups the step handled
   * @param unit what {@code items} counts, such as {@code "rows"}
   * @param elapsed wall time
   */
  public record StepTiming(String name, long items, String unit, Duration elapsed) {
    /** Items per second; 0 for an instant step. */
    public double perSecond() {
      long nanos = elapsed.toNanos();
      return nanos == 0 ? 0 : items * 1e9 / nanos;
    }
  }

  /** Rows read over all files. */
  public int rowsRead() {
    return imports.stream().mapToInt(ImportSummary::rowsRead).sum();
  }

  /** Rows rejected over all files. */
  public int rowsRejected() {
    return imports.stream().mapToInt(ImportSummary::rejected).sum();
  }

  /** The report as text, as the {@code crmkit demo} command prints it. */
  public String render() {
    StringBuilder s = new StringBuilder();
    s.append("crmkit demo report — tenant ").append(tenantId).append('\n');
    s.append("\nImport\n");
    for (ImportSummary i : imports) {
      s.append(String.format(Locale.ROOT, "  %-22s %-9s %6d rows: %6d created, %6d updated, %5d rejected; %d notes, %d activities%n",
          i.file(), i.kind().name().toLowerCase(Locale.ROOT), i.rowsRead(), i.created(), i.updated(), i.rejected(),
          i.notes(), i.activities()));
      appendGroups(s, "updated", i.updatesByReason(), i.updateExamples());
      if (i.duplicateCandidates() > 0) {
        s.append("    created as duplicate candidates (same phone, other email): ").append(i.duplicateCandidates())
            .append('\n');
      }
      appendGroups(s, "rejected", i.rejectedByReason(), i.rejectedExamples());
      appendGroups(s, "warnings", i.warningsByReason(), i.warningExamples());
    }
    s.append(String.format(Locale.ROOT, "  total: %d rows read, %d rejected%n", rowsRead(), rowsRejected()));
    s.append("\nInbound messages (SMS, WhatsApp, email)\n");
    s.append(String.format(Locale.ROOT, "  %d total: %d matched a customer, %d created a customer, %d duplicates, %d rejected%n",
        messages.total(), messages.matched(), messages.created(), messages.duplicates(), messages.rejected()));
    appendGroups(s, "rejected", messages.rejectedByReason(), messages.rejectedExamples());
    if (messages.unexpected() > 0) {
      s.append("  ").append(messages.unexpected()).append(" outcomes differed from the script (tenant not fresh?)\n");
    }
    s.append("\nDuplicates\n");
    s.append(String.format(Locale.ROOT, "  %d groups found %s, %d customers merged, %d merges failed%n",
        duplicates.groupsFound(), new TreeMap<>(duplicates.groupsByReason()), duplicates.customersMerged(),
        duplicates.mergeFailures()));
    s.append("\nTiming\n");
    for (StepTiming t : steps) {
      s.append(String.format(Locale.ROOT, "  %-26s %8.2f s %8d %-8s %10.0f/s%n", t.name(), t.elapsed().toMillis() / 1000.0,
          t.items(), t.unit(), t.perSecond()));
    }
    long items = steps.stream().mapToLong(StepTiming::items).sum();
    StepTiming overall = new StepTiming("overall", items, "items", total);
    s.append(String.format(Locale.ROOT, "  %-26s %8.2f s %8d %-8s %10.0f/s%n", overall.name(),
        total.toMillis() / 1000.0, overall.items(), overall.unit(), overall.perSecond()));
    return s.toString();
  }

  private static void appendGroups(StringBuilder s, String title, Map<String, Long> groups, List<String> examples) {
    if (groups.isEmpty()) {
      return;
    }
    s.append("    ").append(title).append(": ").append(groups.entrySet().stream()
        .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "))).append('\n');
    examples.forEach(e -> s.append("      ").append(e).append('\n'));
  }

  private static Map<String, Long> sorted(Map<String, Long> counts) {
    return java.util.Collections.unmodifiableMap(new TreeMap<>(counts));
  }

  static <T> Map<String, Long> countBy(List<T> items, Function<T, String> key) {
    return items.stream().collect(Collectors.groupingBy(key, TreeMap::new, Collectors.counting()));
  }
}
