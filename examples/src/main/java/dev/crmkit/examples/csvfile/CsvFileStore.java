package dev.crmkit.examples.csvfile;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import de.siegmar.fastcsv.writer.CsvWriter;
import de.siegmar.fastcsv.writer.LineDelimiter;
import dev.crmkit.Address;
import dev.crmkit.Channel;
import dev.crmkit.ContactPreferences;
import dev.crmkit.Customer;
import dev.crmkit.OptInStatus;
import dev.crmkit.Segment;
import dev.crmkit.error.ConfigurationException;
import dev.crmkit.identity.PhoneNumbers;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * The customers of every tenant in one CSV file, held in memory. Reads see an immutable snapshot;
 * writes are serialized, work on a copy, and publish it only after the file was replaced atomically
 * (written to a temp file in the same directory, then moved over the old one), so a failed write
 * changes neither the file nor the snapshot. Thread-safe within one process; two processes must not
 * share a file.
 */
final class CsvFileStore {
  static final List<String> HEADER = List.of("tenant_id", "id", "first_name", "last_name", "email", "phone",
      "phone_extension", "company", "preferred_channel", "language", "segment", "tags", "address_line1",
      "address_line2", "city", "region", "postal_code", "country", "contact_preferences", "custom_fields",
      "created_at", "updated_at", "last_contact_at", "deleted_at");

  /** A customer with its identity keys; the keys are {@code null} when it has no email or phone. */
  record Row(Customer customer, String emailKey, String phoneKey) {
    static Row of(Customer c, PhoneNumbers phones) {
      return new Row(c, c.email(), phones.matchKey(c.phone()));
    }
  }

  private final Path path;
  private final ReentrantLock writeLock = new ReentrantLock();
  private volatile Map<String, Row> rows;

  private CsvFileStore(Path path, Map<String, Row> rows) {
    this.path = path;
    this.rows = rows;
  }

  /**
   * Opens a file, creating nothing until the first write.
   *
   * @throws ConfigurationException when the file exists but cannot be read or is not a customer file
   */
  static CsvFileStore open(Path path) {
    Map<String, Row> rows = new LinkedHashMap<>();
    if (Files.exists(path)) {
      PhoneNumbers phones = PhoneNumbers.forRegion("US");
      try (CsvReader<CsvRecord> reader = CsvReader.builder().ofCsvRecord(path, StandardCharsets.UTF_8)) {
        boolean header = true;
        for (CsvRecord r : reader) {
          if (header) {
            if (!r.getFields().equals(HEADER)) {
              throw new ConfigurationException("csv-file store " + path + " has header " + r.getFields()
                  + "; expected " + HEADER);
            }
            header = false;
            continue;
          }
          Customer c = decode(r.getFields());
          rows.put(c.id(), Row.of(c, phones));
        }
      } catch (ConfigurationException e) {
        throw e;
      } catch (IOException | RuntimeException e) {
        throw new ConfigurationException("csv-file store " + path + " cannot be read: " + e.getMessage(), e);
      }
    }
    return new CsvFileStore(path, Collections.unmodifiableMap(rows));
  }

  /** The current snapshot; never modified. */
  Map<String, Row> snapshot() {
    return rows;
  }

  /**
   * Runs a write on a copy of the rows and publishes the copy after replacing the file.
   *
   * @throws UncheckedIOException when the file cannot be written; nothing changes then
   */
  <T> T write(Function<Map<String, Row>, T> change) {
    writeLock.lock();
    try {
      Map<String, Row> copy = new LinkedHashMap<>(rows);
      T result = change.apply(copy);
      persist(copy);
      rows = Collections.unmodifiableMap(copy);
      return result;
    } finally {
      writeLock.unlock();
    }
  }

  private void persist(Map<String, Row> all) {
    Path dir = path.toAbsolutePath().getParent();
    Path temp = null;
    try {
      Files.createDirectories(dir);
      temp = Files.createTempFile(dir, path.getFileName().toString(), ".tmp");
      try (CsvWriter w = CsvWriter.builder().lineDelimiter(LineDelimiter.LF).build(temp, StandardCharsets.UTF_8)) {
        w.writeRecord(HEADER);
        for (Row r : all.values()) {
          w.writeRecord(encode(r.customer()));
        }
      }
      try {
        Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, path, StandardCopyOption.REPLACE_EXISTING);
      }
      temp = null;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write csv-file store " + path, e);
    } finally {
      if (temp != null) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException e) {
          // The temp file is garbage either way; the original failure is what matters.
        }
      }
    }
  }

  static List<String> encode(Customer c) {
    Address a = c.address() == null ? new Address(null, null, null, null, null, null) : c.address();
    List<String> prefs = new ArrayList<>();
    c.contactPreferences().optIns().forEach((ch, s) -> prefs.add(ch.name() + "=" + s.name()));
    List<String> custom = new ArrayList<>();
    c.customFields().forEach((k, v) -> custom.add(k + "=" + v));
    return List.of(c.tenantId(), c.id(), s(c.firstName()), s(c.lastName()), s(c.email()), s(c.phone()),
        s(c.phoneExtension()), s(c.company()), c.preferredChannel() == null ? "" : c.preferredChannel().name(),
        s(c.language()), c.segment().name(), nested(c.tags()), s(a.line1()), s(a.line2()), s(a.city()), s(a.region()),
        s(a.postalCode()), s(a.country()), nested(prefs), nested(custom), c.createdAt().toString(),
        c.updatedAt().toString(), s(c.lastContactAt()), s(c.deletedAt()));
  }

  static Customer decode(List<String> f) {
    if (f.size() != HEADER.size()) {
      throw new IllegalArgumentException("expected " + HEADER.size() + " fields, found " + f.size());
    }
    Map<Channel, OptInStatus> prefs = new EnumMap<>(Channel.class);
    for (String p : unnest(f.get(18))) {
      int eq = p.indexOf('=');
      prefs.put(Channel.valueOf(p.substring(0, eq)), OptInStatus.valueOf(p.substring(eq + 1)));
    }
    Map<String, String> custom = new TreeMap<>();
    for (String p : unnest(f.get(19))) {
      int eq = p.indexOf('=');
      custom.put(p.substring(0, eq), p.substring(eq + 1));
    }
    Address address = new Address(n(f.get(12)), n(f.get(13)), n(f.get(14)), n(f.get(15)), n(f.get(16)), n(f.get(17)));
    return Customer.builder()
        .tenantId(f.get(0)).id(f.get(1)).firstName(n(f.get(2))).lastName(n(f.get(3))).email(n(f.get(4)))
        .phone(n(f.get(5))).phoneExtension(n(f.get(6))).company(n(f.get(7)))
        .preferredChannel(f.get(8).isEmpty() ? null : Channel.valueOf(f.get(8))).language(n(f.get(9)))
        .segment(Segment.valueOf(f.get(10))).tags(new TreeSet<>(unnest(f.get(11))))
        .address(address.isEmpty() ? null : address).contactPreferences(new ContactPreferences(prefs))
        .customFields(custom).createdAt(Instant.parse(f.get(20))).updatedAt(Instant.parse(f.get(21)))
        .lastContactAt(f.get(22).isEmpty() ? null : Instant.parse(f.get(22)))
        .deletedAt(f.get(23).isEmpty() ? null : Instant.parse(f.get(23)))
        .build();
  }

  /** A list as one CSV record in one field, so values may hold commas and quotes. */
  private static String nested(java.util.Collection<String> values) {
    if (values.isEmpty()) {
      return "";
    }
    StringWriter out = new StringWriter();
    try (CsvWriter w = CsvWriter.builder().lineDelimiter(LineDelimiter.LF).build(out)) {
      w.writeRecord(values);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String s = out.toString();
    return s.substring(0, s.length() - 1);
  }

  private static List<String> unnest(String field) {
    return field.isEmpty() ? List.of() : CsvReader.builder().ofSingleCsvRecord(field).getFields();
  }

  private static String s(Object v) {
    return v == null ? "" : v.toString();
  }

  private static String n(String v) {
    return v.isEmpty() ? null : v;
  }
}
