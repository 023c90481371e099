package dev.crmkit.examples.imports;

import dev.crmkit.ActivityDraft;
import dev.crmkit.ActivityType;
import dev.crmkit.Address;
import dev.crmkit.CustomerDraft;
import dev.crmkit.NoteDraft;
import dev.crmkit.Segment;
import dev.crmkit.examples.imports.CsvLayout.ContactColumn;
import dev.crmkit.error.FieldError;
import dev.crmkit.error.ValidationException;
import dev.crmkit.identity.EmailAddresses;
import dev.crmkit.identity.NormalizedPhone;
import dev.crmkit.identity.PhoneNumbers;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Maps the rows of one file to drafts. A row is rejected only when it has no usable first or last
 * name, or when its note or deal-stage activity cannot be stored (so that no customer is stored
 * without them); every other bad value is left out of the row with a warning naming line, column and
 * value. Collects rows, errors and warnings. Not thread-safe.
 */
final class RowMapper {
  private static final int KEY_FILE_PREFIX = 120;

  private final CsvLayout layout;
  private final PhoneNumbers phones;
  final List<MappedRow> rows = new ArrayList<>();
  final List<RowProblem> errors = new ArrayList<>();
  final List<RowProblem> rowWarnings = new ArrayList<>();

  RowMapper(CsvLayout layout, PhoneNumbers phones) {
    this.layout = layout;
    this.phones = phones;
  }

  /** The file's warnings, then the rows', in file order. */
  List<RowProblem> warnings() {
    List<RowProblem> all = new ArrayList<>(layout.warnings);
    all.addAll(rowWarnings);
    return all;
  }

  void error(long line, String column, String value, RowProblem.Category category, String message) {
    errors.add(new RowProblem(layout.file, line, column, value, category, message));
  }

  /** Maps one row whose field count matches the header. */
  void map(long line, List<String> fields) {
    Row r = new Row(line, fields);
    String firstName = r.optional(Column.FIRST_NAME, v -> b -> b.firstName(v));
    String lastName = r.optional(Column.LAST_NAME, v -> b -> b.lastName(v));
    if (firstName == null && lastName == null) {
      String first = layout.header(Column.FIRST_NAME);
      String last = layout.header(Column.LAST_NAME);
      String column = first != null && last != null ? first + "' and '" + last : first != null ? first : last;
      boolean blank = r.value(Column.FIRST_NAME) == null && r.value(Column.LAST_NAME) == null;
      error(line, column, null, blank ? RowProblem.Category.MISSING_NAME : RowProblem.Category.INVALID_VALUE,
          blank ? "a row needs a first or a last name" : "a row needs a first or a last name the model accepts");
      return;
    }
    CustomerDraft.Builder d = CustomerDraft.builder().firstName(firstName).lastName(lastName);
    d.company(r.optional(Column.COMPANY, v -> b -> b.company(v)));
    r.contacts(d);
    if (layout.dates != null) {
      String date = r.value(Column.SUBSCRIPTION_DATE);
      if (date != null) {
        Instant createdAt = layout.dates.parse(date);
        if (createdAt != null) {
          d.createdAt(createdAt);
        } else if (!layout.dates.undecided(date)) {
          r.warn(layout.header(Column.SUBSCRIPTION_DATE), date, RowProblem.Category.INVALID_DATE,
              "not a date: use yyyy-MM-dd, dd.MM.yyyy, dd/MM/yyyy or MM/dd/yyyy (the column's order), an ISO"
                  + " timestamp or --date-format; imported without it");
        }
      }
    }
    d.address(r.address());
    r.custom(d, "website", Column.WEBSITE);
    r.custom(d, "sourceId", Column.SOURCE_ID);
    r.custom(d, "leadOwner", Column.LEAD_OWNER);
    layout.extraCompanies.forEach((i, name) -> r.customAt(d, name, i));
    layout.customFieldByIndex.forEach((i, name) -> r.customAt(d, name, i));
    String source = r.value(Column.SOURCE);
    String stage = r.value(Column.DEAL_STAGE);
    r.tag(d, Column.SOURCE, source == null ? null : "source:" + source);
    NoteDraft note = null;
    ActivityDraft activity = null;
    if (layout.kind == CsvKind.LEADS) {
      d.tag("lead");
      r.tag(d, Column.DEAL_STAGE, stage == null ? null : "stage:" + stage);
      d.segment(stage != null && stage.equalsIgnoreCase("Closed Won") ? Segment.STANDARD : Segment.PROSPECT);
      String file = layout.file.length() > KEY_FILE_PREFIX ? layout.file.substring(0, KEY_FILE_PREFIX) : layout.file;
      // Built before anything is stored: a note or activity the model refuses rejects its row here,
      // rather than after the customer was written.
      String noteText = r.value(Column.NOTES);
      try {
        note = noteText == null ? null : new NoteDraft(noteText, "import:" + file, null);
      } catch (ValidationException e) {
        reject(line, layout.header(Column.NOTES), e);
        return;
      }
      Map<String, String> metadata = Map.of("file", file, "line", String.valueOf(line));
      String key = "import:" + file + ":" + line;
      try {
        activity = stage != null
            ? new ActivityDraft(ActivityType.STAGE_CHANGE, null, "Deal stage: " + stage, null, metadata, key)
            : new ActivityDraft(ActivityType.OTHER, null, "Imported lead from " + file, null, metadata, key);
      } catch (ValidationException e) {
        reject(line, layout.header(Column.DEAL_STAGE), e);
        return;
      }
    } else if (stage != null) {
      r.tag(d, Column.DEAL_STAGE, "stage:" + stage);
    }
    CustomerDraft draft;
    try {
      draft = d.build();
    } catch (ValidationException e) {
      // Each value was checked alone; what is left is a rule across fields.
      FieldError fe = e.fieldErrors().get(0);
      error(line, layout.headerFor(fe.field()), fe.value(), RowProblem.Category.INVALID_VALUE,
          fe.field() + ": " + fe.message());
      return;
    }
    rowWarnings.addAll(r.warnings);
    rows.add(new MappedRow(layout.file, line, draft, note, activity, r.warnings));
  }

  private void reject(long line, String column, ValidationException e) {
    FieldError fe = e.fieldErrors().get(0);
    error(line, column, fe.value(), RowProblem.Category.INVALID_VALUE,
        fe.field() + ": " + fe.message() + "; the row is not imported, so its customer is not stored without it");
  }

  /** The problem the model finds with one value alone, or {@code null} when it accepts it. */
  private static FieldError problem(Consumer<CustomerDraft.Builder> set) {
    CustomerDraft.Builder b = CustomerDraft.builder().firstName("x");
    set.accept(b);
    try {
      b.build();
      return null;
    } catch (ValidationException e) {
      return e.fieldErrors().get(0);
    }
  }

  /** One row being mapped: its values and its warnings. */
  private final class Row {
    final long line;
    final List<String> fields;
    final List<RowProblem> warnings = new ArrayList<>();

    Row(long line, List<String> fields) {
      this.line = line;
      this.fields = fields;
    }

    void warn(String column, String value, RowProblem.Category category, String message) {
      warnings.add(new RowProblem(layout.file, line, column, value, category, message));
    }

    String value(Column c) {
      Integer i = layout.index.get(c);
      return i == null ? null : at(i);
    }

    String at(int i) {
      String v = fields.get(i).strip();
      return v.isEmpty() ? null : v;
    }

    /** A column's value when the model accepts it; otherwise {@code null} with a warning. */
    String optional(Column c, Function<String, Consumer<CustomerDraft.Builder>> setter) {
      String v = value(c);
      if (v == null) {
        return null;
      }
      FieldError fe = problem(setter.apply(v));
      if (fe == null) {
        return v;
      }
      warn(layout.header(c), v, RowProblem.Category.INVALID_VALUE, fe.message() + "; imported without it");
      return null;
    }

    void custom(CustomerDraft.Builder d, String name, Column c) {
      Integer i = layout.index.get(c);
      if (i != null) {
        customAt(d, name, i);
      }
    }

    void customAt(CustomerDraft.Builder d, String name, int i) {
      String v = at(i);
      if (v == null) {
        return;
      }
      FieldError fe = problem(b -> b.customField(name, v));
      if (fe == null) {
        d.customField(name, v);
      } else {
        warn(layout.headers.get(i), v, RowProblem.Category.INVALID_VALUE, fe.message() + "; imported without it");
      }
    }

    void tag(CustomerDraft.Builder d, Column c, String tag) {
      if (tag == null) {
        return;
      }
      FieldError fe = problem(b -> b.tag(tag));
      if (fe == null) {
        d.tag(tag);
      } else {
        warn(layout.header(c), value(c), RowProblem.Category.INVALID_VALUE,
            "tag '" + tag.substring(0, Math.min(tag.length(), 40)) + "': " + fe.message() + "; imported without it");
      }
    }

    Address address() {
      String city = value(Column.CITY);
      String region = value(Column.REGION);
      String country = value(Column.COUNTRY);
      if (city == null && region == null && country == null) {
        return null;
      }
      try {
        return new Address(null, null, city, region, null, country);
      } catch (ValidationException e) {
        // Keep the parts the model accepts alone; name the others.
        city = addressPart(Column.CITY, city, v -> new Address(null, null, v, null, null, null));
        region = addressPart(Column.REGION, region, v -> new Address(null, null, null, v, null, null));
        country = addressPart(Column.COUNTRY, country, v -> new Address(null, null, null, null, null, v));
        return city == null && region == null && country == null ? null
            : new Address(null, null, city, region, null, country);
      }
    }

    private String addressPart(Column c, String v, Function<String, Address> build) {
      if (v == null) {
        return null;
      }
      try {
        build.apply(v);
        return v;
      } catch (ValidationException e) {
        warn(layout.header(c), v, RowProblem.Category.INVALID_VALUE,
            e.fieldErrors().get(0).message() + "; imported without it");
        return null;
      }
    }

    /**
     * Email and phone values from every contact column, each read as what it is: the first email
     * and phone fill the draft, further ones the custom fields {@code email2}, {@code phone2}, ...
     */
    void contacts(CustomerDraft.Builder d) {
      // Values in a column of their own kind come first: a stray email in a phone column never
      // displaces the email column's address.
      List<String> ownEmails = new ArrayList<>();
      List<String> strayEmails = new ArrayList<>();
      List<String> ownPhones = new ArrayList<>();
      List<String> strayPhones = new ArrayList<>();
      Set<String> phoneKeys = new LinkedHashSet<>();
      for (ContactColumn c : layout.contacts) {
        String v = at(c.index());
        if (v == null) {
          continue;
        }
        boolean email = v.indexOf('@') >= 0 || (c.holds() == Column.EMAIL && !CsvLayout.looksLikePhone(v));
        boolean stray = email != (c.holds() == Column.EMAIL);
        if (stray) {
          warn(c.header(), v, RowProblem.Category.WRONG_COLUMN, email
              ? "looks like an email in column '" + c.header() + "': read as an email"
              : "looks like a phone number in column '" + c.header() + "': read as a phone");
        }
        if (email) {
          String normalized = email(c, v);
          if (normalized != null && problem(b -> b.email(normalized)) == null) {
            (stray ? strayEmails : ownEmails).add(normalized);
          }
        } else {
          NormalizedPhone n = phone(c, v);
          if (n != null && phoneKeys.add(n.matchKey())) {
            (stray ? strayPhones : ownPhones).add(v);
          }
        }
      }
      Set<String> emails = new LinkedHashSet<>(ownEmails);
      emails.addAll(strayEmails);
      List<String> phoneValues = new ArrayList<>(ownPhones);
      phoneValues.addAll(strayPhones);
      fill(d, "email", List.copyOf(emails));
      fill(d, "phone", phoneValues);
    }

    /** The first value to the draft's own field, further ones to custom fields {@code <kind>2}, {@code <kind>3}, ... */
    private void fill(CustomerDraft.Builder d, String kind, List<String> values) {
      for (int n = 1; n <= values.size(); n++) {
        String v = values.get(n - 1);
        if (n > 1) {
          d.customField(kind + n, v);
        } else if (kind.equals("email")) {
          d.email(v);
        } else {
          d.phone(v);
        }
      }
    }

    private String email(ContactColumn c, String v) {
      try {
        return EmailAddresses.normalize(v, c.header());
      } catch (ValidationException e) {
        warn(c.header(), v, RowProblem.Category.INVALID_EMAIL,
            "not an email address: " + e.fieldErrors().get(0).message() + "; imported without it");
        return null;
      }
    }

    private NormalizedPhone phone(ContactColumn c, String v) {
      NormalizedPhone n;
      try {
        n = phones.normalize(v, c.header());
      } catch (ValidationException e) {
        warn(c.header(), v, RowProblem.Category.INVALID_PHONE,
            "not a phone number: " + e.fieldErrors().get(0).message() + "; imported without it");
        return null;
      }
      if (problem(b -> b.phone(v)) != null) {
        warn(c.header(), v, RowProblem.Category.INVALID_PHONE, "not accepted as a phone; imported without it");
        return null;
      }
      if (!n.parsed()) {
        warn(c.header(), v, RowProblem.Category.PHONE_KEPT_AS_TYPED,
            "libphonenumber cannot read it for region " + phones.region() + "; kept as typed"
                + (n.identifying() ? "" : ", and too short to identify anyone, so it matches no other customer"));
      }
      return n;
    }
  }
}
