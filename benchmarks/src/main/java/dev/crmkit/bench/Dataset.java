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
