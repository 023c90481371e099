package dev.crmkit.examples.imports;

import dev.crmkit.error.ValidationException;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which column is where in one file, and how each is read: decided from the header, then from the
 * values of every row before any row is mapped. Collects one warning per decision a user should
 * know of (a misspelled header, a repeated one, a column holding another kind of value, the date
 * order). Not thread-safe; built once per file.
 */
final class CsvLayout {
  final String file;
  final List<String> headers;
  final CsvKind kind;
  /** Single-valued columns (names, company, address, lead columns, date, ...). */
  final Map<Column, Integer> index = new EnumMap<>(Column.class);
  /** Email and phone columns, in the order their values fill the draft: the primary ones first. */
  final List<ContactColumn> contacts = new ArrayList<>();
  /** A repeated company column's index to its custom field name ({@code company2}, ...). */
  final Map<Integer, String> extraCompanies = new LinkedHashMap<>();
  /** Unknown columns' index to their custom field name. */
  final Map<Integer, String> customFieldByIndex = new LinkedHashMap<>();
  final List<RowProblem> warnings = new ArrayList<>();
  DateColumn dates;

  /**
   * One email or phone column.
   *
   * @param index its position
   * @param header its header as written
   * @param declared what its header says: {@link Column#EMAIL} or {@link Column#PHONE}
   * @param primary whether it is the first column of its kind that is no "second" column
   * @param holds what its values are, decided from them: {@link Column#EMAIL} or {@link Column#PHONE}
   */
  record ContactColumn(int index, String header, Column declared, boolean primary, Column holds) {}

  private CsvLayout(String file, List<String> headers, CsvKind kind) {
    this.file = file;
    this.headers = headers;
    this.kind = kind;
  }

  /**
   * Reads a header row.
   *
   * @throws ValidationException naming {@code file} when no column holds a first or last name
   */
  static CsvLayout of(String file, List<String> rawHeaders, CsvKind requested) {
    List<String> headers = rawHeaders.stream().map(String::strip).toList();
    Map<Column, Integer> index = new EnumMap<>(Column.class);
    List<ContactColumn> contacts = new ArrayList<>();
    List<RowProblem> warnings = new ArrayList<>();
    Map<Integer, String> companies = new LinkedHashMap<>();
    Map<Integer, String> unknown = new LinkedHashMap<>();
    boolean leadColumns = false;
    // Exact names first: a misspelling never takes a column that another header names exactly.
    List<Column> exact = headers.stream().map(Column::of).toList();
    for (int i = 0; i < headers.size(); i++) {
      String h = headers.get(i);
      if (h.isEmpty()) {
        continue;
      }
      Column c = exact.get(i);
      if (c == null) {
        c = Column.closest(h);
        if (exact.contains(c)) {
          c = null;
        }
        if (c != null) {
          warnings.add(new RowProblem(file, 0, h, null, RowProblem.Category.HEADER_MATCHED,
              "header read as " + c.name().toLowerCase(Locale.ROOT).replace('_', ' ')
                  + " (nearest known name)"));
        }
      }
      if (c == null) {
        unknown.put(i, null);
        continue;
      }
      if (c.contactKind() != null) {
        boolean second = c == Column.EMAIL2 || c == Column.PHONE2 || index.containsKey(c);
        index.putIfAbsent(c, i);
        contacts.add(new ContactColumn(i, h, c.contactKind(), !second, c.contactKind()));
        if (second && c.contactKind() == c && index.get(c) != i) {
          warnings.add(new RowProblem(file, 0, h, null, RowProblem.Category.REPEATED_COLUMN,
              "repeated " + c.name().toLowerCase(Locale.ROOT) + " column: its values are kept as further "
                  + c.name().toLowerCase(Locale.ROOT) + "s"));
        }
      } else if (index.putIfAbsent(c, i) == null) {
        leadColumns |= c.leadOnly();
      } else if (c == Column.COMPANY) {
        companies.put(i, null);
        warnings.add(new RowProblem(file, 0, h, null, RowProblem.Category.REPEATED_COLUMN,
            "repeated company column: its values are kept as further companies"));
      } else {
        unknown.put(i, null);
      }
    }
    if (!index.containsKey(Column.FIRST_NAME) && !index.containsKey(Column.LAST_NAME)) {
      throw ValidationException.of("file", file, "has no first or last name column; headers are " + headers);
    }
    CsvKind kind = requested != CsvKind.AUTO ? requested : leadColumns ? CsvKind.LEADS : CsvKind.CUSTOMERS;
    CsvLayout layout = new CsvLayout(file, headers, kind);
    index.keySet().removeIf(c -> c.contactKind() != null);
    layout.index.putAll(index);
    layout.warnings.addAll(warnings);
    List<String> taken = new ArrayList<>();
    int n = 2;
    for (Integer i : companies.keySet()) {
      layout.extraCompanies.put(i, "company" + n++);
    }
    taken.addAll(layout.extraCompanies.values());
    taken.addAll(List.of("email2", "phone2", "website", "sourceId", "leadOwner"));
    for (Integer i : unknown.keySet()) {
      String name = customFieldName(headers.get(i), taken);
      taken.add(name);
      layout.customFieldByIndex.put(i, name);
      layout.warnings.add(new RowProblem(file, 0, headers.get(i), null, RowProblem.Category.UNKNOWN_COLUMN,
          "unknown column kept as custom field '" + name + "'"));
    }
    layout.contacts.addAll(contacts);
    return layout;
  }

  /**
   * Decides from every row's values what the email and phone columns hold and how dates read.
   *
   * @param rows the data rows' fields (rows with the header's field count)
   * @param dateFormat the user's date format, or {@code null}
   */
  void inspect(List<List<String>> rows, DateTimeFormatter dateFormat) {
    List<ContactColumn> decided = new ArrayList<>();
    for (ContactColumn c : contacts) {
      int emails = 0;
      int phones = 0;
      for (List<String> row : rows) {
        String v = row.get(c.index()).strip();
        if (v.indexOf('@') >= 0) {
          emails++;
        } else if (looksLikePhone(v)) {
          phones++;
        }
      }
      Column holds = c.declared();
      if (c.declared() == Column.PHONE && emails > phones) {
        holds = Column.EMAIL;
      } else if (c.declared() == Column.EMAIL && phones > emails) {
        holds = Column.PHONE;
      }
      if (holds != c.declared()) {
        warnings.add(new RowProblem(file, 0, c.header(), null, RowProblem.Category.COLUMN_CONTENT,
            "column holds " + (holds == Column.EMAIL ? "email addresses (" + emails : "phone numbers (" + phones)
                + " of " + rows.size() + " rows), not what its header says: read as "
                + (holds == Column.EMAIL ? "emails" : "phones")));
      }
      decided.add(new ContactColumn(c.index(), c.header(), c.declared(), c.primary(), holds));
    }
    decided.sort(Comparator.comparing((ContactColumn c) -> c.primary() && c.holds() == c.declared() ? 0 : 1)
        .thenComparingInt(ContactColumn::index));
    contacts.clear();
    contacts.addAll(decided);
    Integer dateIndex = index.get(Column.SUBSCRIPTION_DATE);
    if (dateIndex != null) {
      List<String> values = new ArrayList<>();
      for (List<String> row : rows) {
        String v = row.get(dateIndex).strip();
        if (!v.isEmpty()) {
          values.add(v);
        }
      }
      dates = DateColumn.of(values, dateFormat);
      for (String decision : dates.decisions()) {
        warnings.add(new RowProblem(file, 0, headers.get(dateIndex), null, RowProblem.Category.DATE_ORDER, decision));
      }
    }
  }

  String header(Column c) {
    Integer i = index.get(c);
    return i == null ? null : headers.get(i);
  }

  /** The header of the column a model field came from, for store errors; {@code null} when unknown. */
  String headerFor(String field) {
    Column c = switch (field) {
      case "firstName" -> Column.FIRST_NAME;
      case "lastName" -> Column.LAST_NAME;
      case "company" -> Column.COMPANY;
      default -> null;
    };
    if (c != null) {
      return header(c);
    }
    Column kind = field.equals("email") ? Column.EMAIL : field.equals("phone") ? Column.PHONE : null;
    for (ContactColumn cc : contacts) {
      if (cc.holds() == kind) {
        return cc.header();
      }
    }
    return null;
  }

  /** Seven or more digits and nothing but phone punctuation: a phone number, whatever column it is in. */
  static boolean looksLikePhone(String v) {
    int digits = 0;
    for (int i = 0; i < v.length(); i++) {
      char ch = v.charAt(i);
      if (ch >= '0' && ch <= '9') {
        digits++;
      } else if ("+-.() xX/".indexOf(ch) < 0) {
        return false;
      }
    }
    return digits >= 7;
  }

  private static String customFieldName(String header, Collection<String> taken) {
    String base = header.strip().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_+|_+$", "");
    if (base.isEmpty() || !Character.isLetter(base.charAt(0))) {
      base = "col_" + base;
    }
    if (base.length() > 60) {
      base = base.substring(0, 60);
    }
    String name = base;
    for (int n = 2; taken.contains(name); n++) {
      name = base + "_" + n;
    }
    return name;
  }
}
