package dev.crmkit.bench;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.NamedCsvRecord;
import dev.crmkit.Address;
import dev.crmkit.CustomerDraft;
import dev.crmkit.error.ValidationException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The shared sample datasets as {@link CustomerDraft}s, the way a host would import them:
 * {@code customers-10000.csv} (first, last, company, phone 1, email, city and country as the address,
 * tags {@code import} and {@code source:customers}, custom field {@code customerId}) followed by
 * {@code leads-10000.csv} (first, last, company, phone 1, email 1, tags {@code import} and
 * {@code source:<lead source>}, custom field {@code accountId}). Values are passed as typed; duplicate emails
 * and phones are left for the upsert to merge, and a row whose email {@link CustomerDraft} rejects as
 * malformed is kept without its email. Stateless.
 */
public final class Dataset {
  /** The customers file name. */
  public static final String CUSTOMERS_FILE = "customers-10000.csv";
  /** The leads file name. */
  public static final String LEADS_FILE = "leads-10000.csv";

  private static final int[] AREA_CODES = {212, 312, 415, 617, 713, 305, 404, 206, 303, 512};

  private Dataset() {}

  /**
   * Reads both files.
   *
   * @param dir the folder holding {@value #CUSTOMERS_FILE} and {@value #LEADS_FILE}
   * @param perFile most rows read from each file; at least 1
   * @return the customers' drafts, then the leads', in file order
   * @throws ValidationException naming {@code perFile} when it is below 1
   * @throws UncheckedIOException when a file is missing or unreadable
   */
  public static List<CustomerDraft> load(Path dir, int perFile) {
    if (perFile < 1) {
      throw ValidationException.of("perFile", String.valueOf(perFile), "must be at least 1");
    }
    List<CustomerDraft> out = new ArrayList<>();
    for (NamedCsvRecord r : read(dir.resolve(CUSTOMERS_FILE), perFile)) {
      out.add(build(CustomerDraft.builder()
          .firstName(blankToNull(r.getField("First Name")))
          .lastName(blankToNull(r.getField("Last Name")))
          .company(blankToNull(r.getField("Company")))
          .phone(blankToNull(r.getField("Phone 1")))
          .email(blankToNull(r.getField("Email")))
          .address(Address.ofCity(blankToNull(r.getField("City")), blankToNull(r.getField("Country"))))
          .tag("import")
          .tag("source:customers")
          .customField("customerId", r.getField("Customer Id"))));
    }
    for (NamedCsvRecord r : read(dir.resolve(LEADS_FILE), perFile)) {
      String source = r.getField("Source").strip().toLowerCase(Locale.ROOT).replace(' ', '-');
      out.add(build(CustomerDraft.builder()
          .firstName(blankToNull(r.getField("First Name")))
          .lastName(blankToNull(r.getField("Last Name")))
          .company(blankToNull(r.getField("Company")))
          .phone(blankToNull(r.getField("Phone 1")))
          .email(blankToNull(r.getField("Email 1")))
          .tag("import")
          .tag(source.isEmpty() ? "source:leads" : "source:" + source)
          .customField("accountId", r.getField("Account Id"))));
    }
    return List.copyOf(out);
  }

  /**
   * Derives {@code count} distinct customers from {@code base}, cycling through it: customer {@code n}
   * takes the names, company, address and tags of {@code base.get(n % base.size())}, a tag {@code
   * variant:<n / base.size()>}, an email {@code <local part>.<n>@<domain>} of that row's email
   * ({@code customer.<n>@example.com} when it has none) and a US phone number made from {@code n}, so
   * no two customers share an email or a phone. Custom fields are left out (a vendor has no property
   * for them unless configured). Deterministic.
   *
   * @param base the rows to vary; not empty
   * @param count how many customers; at least 1 and at most 10,000,000
   * @return the customers, in order of {@code n}
   * @throws ValidationException naming {@code count} when it is out of range, or {@code base} when empty
   */
  public static List<CustomerDraft> derive(List<CustomerDraft> base, int count) {
    if (base == null || base.isEmpty()) {
      throw ValidationException.of("base", null, "needs at least one row");
    }
    if (count < 1 || count > 10_000_000) {
      throw ValidationException.of("count", String.valueOf(count), "must be 1 to 10,000,000");
    }
    List<CustomerDraft> out = new ArrayList<>(count);
    for (int n = 0; n < count; n++) {
      CustomerDraft row = base.get(n % base.size());
      String email = row.email();
      int at = email == null ? -1 : email.lastIndexOf('@');
      String derived = at < 0 ? "customer." + n + "@example.com"
          : email.substring(0, at) + "." + n + email.substring(at);
      out.add(row.toBuilder()
          .email(derived)
          .phone(phone(n))
          .tag("variant:" + n / base.size())
          .customFields(Map.of())
          .build());
    }
    return out;
  }

  /** A valid US number for {@code n}: ten area codes, each with exchanges from 201 and every line number. */
  private static String phone(int n) {
    int area = AREA_CODES[n % AREA_CODES.length];
    int rest = n / AREA_CODES.length;
    return String.format(Locale.ROOT, "+1 %d-%03d-%04d", area, 201 + rest / 10_000, rest % 10_000);
  }

  private static List<NamedCsvRecord> read(Path file, int limit) {
    if (!Files.isReadable(file)) {
      throw new UncheckedIOException(new IOException("cannot read " + file.toAbsolutePath()
          + " (set the data folder with --data)"));
    }
    List<NamedCsvRecord> rows = new ArrayList<>();
    try (CsvReader<NamedCsvRecord> reader = CsvReader.builder().ofNamedCsvRecord(file)) {
      for (NamedCsvRecord r : reader) {
        if (rows.size() == limit) {
          break;
        }
        rows.add(r);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return rows;
  }

  /** Builds the draft; a row whose email is malformed is kept without it, as a host's import would. */
  private static CustomerDraft build(CustomerDraft.Builder b) {
    try {
      return b.build();
    } catch (ValidationException e) {
      if (e.fieldErrors().stream().allMatch(f -> f.field().equals("email"))) {
        return b.email(null).build();
      }
      throw e;
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
