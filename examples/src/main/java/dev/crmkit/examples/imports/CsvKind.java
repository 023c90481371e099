package dev.crmkit.examples.imports;

/** What a CSV file holds, which decides how its rows map to customers. */
public enum CsvKind {
  /** Customers: names, company, city, country, phones, email, subscription date, website. */
  CUSTOMERS,
  /**
   * Leads: like customers, plus a lead owner, a source (kept as a {@code source:<value>} tag), a deal
   * stage (the segment, and a {@code stage:<value>} tag) and notes.
   */
  LEADS,
  /** Decide from the header: a file with a lead owner, source or deal stage column holds leads. */
  AUTO
}
