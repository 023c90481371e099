package dev.crmkit.examples.imports;

import java.util.Objects;

/**
 * One problem found in one CSV row: an error (the row is not imported) or a warning (the row is
 * imported as well as it can be).
 *
 * @param file the file's name as given to the importer; never null
 * @param line the 1-based line the row starts on; 0 for a problem of the whole file (such as an
 *     unknown column)
 * @param column the column header the problem is in, or {@code null} when it concerns the whole row
 * @param value the offending value as written, or {@code null} when missing
 * @param category what kind of problem it is; never null
 * @param message why, in words; never null
 */
public record RowProblem(String file, long line, String column, String value, Category category, String message) {

  /** Kinds of problems, for grouped counts in reports. */
  public enum Category {
    /** Quotes that do not close, or characters after a closing quote. */
    BROKEN_QUOTING("broken quoting"),
    /** More or fewer fields than the header has columns. */
    WRONG_FIELD_COUNT("wrong field count"),
    /** Neither a first nor a last name. */
    MISSING_NAME("missing name"),
    /** An email address that is not one (a warning: the row imports without it). */
    INVALID_EMAIL("invalid email"),
    /** A phone number without a single digit, or too long (a warning: the row imports without it). */
    INVALID_PHONE("invalid phone"),
    /** A date in none of the accepted formats (a warning: the row imports without it). */
    INVALID_DATE("invalid date"),
    /** A value that belongs in another column, such as an email in a phone column (a warning: read as what it is). */
    WRONG_COLUMN("value in wrong column"),
    /**
     * Another value the customer model rejects, such as a name longer than 255 characters: a warning
     * for an optional value (left out), an error for a lead's note or activity (the row is rejected).
     */
    INVALID_VALUE("invalid value"),
    /** The customer system rejected the row when storing it. */
    REJECTED_BY_STORE("rejected by the store"),
    /** Warning: a phone with digits that libphonenumber cannot read is kept as typed. */
    PHONE_KEPT_AS_TYPED("phone kept as typed"),
    /** Warning: a column the importer does not know is kept as a custom field. */
    UNKNOWN_COLUMN("unknown column kept as custom field"),
    /** Warning: a misspelled header was read as the nearest known one. */
    HEADER_MATCHED("header matched to nearest known name"),
    /** Warning: a second email, phone or company column is kept as further values of that kind. */
    REPEATED_COLUMN("repeated column kept"),
    /** Warning: a column holds another kind of value than its header says and is read as what it holds. */
    COLUMN_CONTENT("column read as what it holds"),
    /** Warning: how the file's dates are read (day or month first), or that they are ambiguous. */
    DATE_ORDER("date order"),
    /** Warning: the file's encoding or separator is not UTF-8 and comma. */
    FILE_FORMAT("file format detected");

    private final String label;

    Category(String label) {
      this.label = label;
    }

    /** A short, lower-case label such as {@code "invalid email"}. */
    public String label() {
      return label;
    }
  }

  public RowProblem {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(category, "category");
    Objects.requireNonNull(message, "message");
  }

  /** As {@code customers.csv:14: column 'Email' value 'a@@b': must contain exactly one '@'}. */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder(file);
    if (line > 0) {
      s.append(':').append(line);
    }
    s.append(": ");
    if (column != null) {
      s.append("column '").append(column).append("' ");
    }
    if (value != null) {
      s.append("value '").append(abbreviate(value)).append("' ");
    }
    if (column != null || value != null) {
      s.setLength(s.length() - 1);
      s.append(": ");
    }
    return s.append(message).toString();
  }

  private static String abbreviate(String v) {
    String oneLine = v.replace("\r", "\\r").replace("\n", "\\n");
    return oneLine.length() <= 60 ? oneLine : oneLine.substring(0, 57) + "...";
  }
}
