package dev.crmkit.testkit.openapi;

import java.util.Collections;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What {@link OpenApiSpec#report(java.util.Collection)} found in a run of exchanges. Immutable.
 *
 * @param violations every violation of every exchange, in exchange order, as {@link
 *     OpenApiSpec#check(HttpExchange)} words them; empty when all conform
 * @param exercisedOperations the operations at least one exchange matched, as {@code "METHOD
 *     /path/template"}
 * @param unexercisedOperations the spec's operations no exchange matched
 * @param uncoveredRequests one entry per exchange whose path no document covers, e.g. {@code
 *     "POST /crm/v3/objects/calls: not covered by a provided spec"}; these are not violations
 */
public record ConformanceReport(
    List<String> violations,
    SortedSet<String> exercisedOperations,
    SortedSet<String> unexercisedOperations,
    List<String> uncoveredRequests) {

  /** Copies every collection, so the report cannot change afterwards. */
  public ConformanceReport {
    violations = List.copyOf(violations);
    exercisedOperations = Collections.unmodifiableSortedSet(new TreeSet<>(exercisedOperations));
    unexercisedOperations = Collections.unmodifiableSortedSet(new TreeSet<>(unexercisedOperations));
    uncoveredRequests = List.copyOf(uncoveredRequests);
  }

  /** Whether no exchange violated the spec; uncovered requests do not count. */
  public boolean conforms() {
    return violations.isEmpty();
  }

  /** A multi-line summary: violations, then coverage, for a failing test's message. */
  @Override
  public String toString() {
    StringBuilder text = new StringBuilder();
    text.append(violations.size()).append(" violation(s)\n");
    violations.forEach(v -> text.append("  ").append(v).append('\n'));
    text.append("exercised: ").append(exercisedOperations).append('\n');
    text.append("not exercised: ").append(unexercisedOperations).append('\n');
    text.append("not covered by a provided spec: ").append(uncoveredRequests);
    return text.toString();
  }
}
