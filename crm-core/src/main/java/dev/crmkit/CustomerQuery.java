package dev.crmkit;

import dev.crmkit.error.ValidationException;

/**
 * A customer search. All given criteria must hold (AND); none given lists every customer. Results
 * are ordered by id and paged by an opaque cursor.
 *
 * @param name case-insensitive substring of first name, last name or "first last", or {@code null}
 * @param email exact email (normalized before matching), or {@code null}
 * @param phone phone in any format (normalized before matching), or {@code null}
 * @param tag exact tag, or {@code null}
 * @param segment segment, or {@code null}
 * @param includeDeleted whether soft-deleted customers are listed; default false
 * @param page page size and cursor
 */
public record CustomerQuery(
    String name, String email, String phone, String tag, Segment segment, boolean includeDeleted, PageRequest page) {

  public CustomerQuery {
    name = blankToNull(name);
    email = blankToNull(email);
    phone = blankToNull(phone);
    tag = blankToNull(tag);
    page = page == null ? PageRequest.first() : page;
  }

  /** A new builder: no criteria, first page of {@value PageRequest#DEFAULT_LIMIT}. */
  public static Builder builder() {
    return new Builder();
  }

  /** The same query at another cursor. */
  public CustomerQuery withCursor(String cursor) {
    return new CustomerQuery(name, email, phone, tag, segment, includeDeleted, page.at(cursor));
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }

  /** Builds queries; not thread-safe. */
  public static final class Builder {
    private String name;
    private String email;
    private String phone;
    private String tag;
    private Segment segment;
    private boolean includeDeleted;
    private int limit = PageRequest.DEFAULT_LIMIT;
    private String cursor;

    private Builder() {}

    public Builder name(String v) { name = v; return this; }
    public Builder email(String v) { email = v; return this; }
    public Builder phone(String v) { phone = v; return this; }
    public Builder tag(String v) { tag = v; return this; }
    public Builder segment(Segment v) { segment = v; return this; }
    public Builder includeDeleted(boolean v) { includeDeleted = v; return this; }
    /** Page size, 1 to {@value PageRequest#MAX_LIMIT}; default {@value PageRequest#DEFAULT_LIMIT}. */
    public Builder limit(int v) { limit = v; return this; }
    public Builder cursor(String v) { cursor = v; return this; }

    /** @throws ValidationException naming {@code limit} when out of range */
    public CustomerQuery build() {
      return new CustomerQuery(name, email, phone, tag, segment, includeDeleted, new PageRequest(limit, cursor));
    }
  }
}
