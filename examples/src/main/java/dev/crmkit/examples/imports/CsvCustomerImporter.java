package dev.crmkit.examples.imports;

import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import dev.crmkit.ActivityDraft;
import dev.crmkit.ActivityType;
import dev.crmkit.Address;
import dev.crmkit.Capability;
import dev.crmkit.Customer;
import dev.crmkit.CustomerDraft;
import dev.crmkit.CustomerSystem;
import dev.crmkit.NoteDraft;
import dev.crmkit.Segment;
import dev.crmkit.UpsertOutcome;
import dev.crmkit.error.CrmException;
import dev.crmkit.error.FieldError;
import dev.crmkit.error.UnsupportedCapabilityException;
import dev.crmkit.error.ValidationException;
import dev.crmkit.identity.EmailAddresses;
import dev.crmkit.identity.NormalizedPhone;
import dev.crmkit.identity.PhoneNumbers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Maps customer and lead CSV exports to {@link CustomerDraft}s and imports them into a
 * {@link CustomerSystem} through its bulk path, {@link CustomerSystem#upsert}.
 *
 * <p><b>Headers</b> are matched case-insensitively, ignoring spaces, {@code -} and {@code _}, so
 * {@code First Name}, {@code FIRSTNAME}, {@code first_name} and {@code firstName} are one column;
 * common variants are known ({@code Email}, {@code E-mail}, {@code Email 1}; {@code Phone},
 * {@code Phone 1}, {@code Mobile}; {@code Company}, {@code Organization}; ...). Columns may come in
 * any order. A column the importer does not know is kept as a custom field (its header turned into a
 * valid field name such as {@code favorite_color}) and listed as a warning.
 *
 * <p><b>Mapping.</b> First and last name, email, phone, company and city/country (an {@link Address})
 * map to the model's fields; the second phone and email, website, the source system's customer or
 * account id and a lead's owner become the custom fields {@code phone2}, {@code email2},
 * {@code website}, {@code sourceId} and {@code leadOwner}; the subscription date becomes
 * {@code createdAt}. A lead's source becomes the tag {@code source:<value>}, its deal stage the tag
 * {@code stage:<value>} and the segment ({@code Closed Won} is {@link Segment#STANDARD}, every other
 * stage {@link Segment#PROSPECT}); every lead is tagged {@code lead}, its notes become a note and its
 * stage a {@link ActivityType#STAGE_CHANGE} activity, both added after the upsert.
 *
 * <p><b>Bad rows</b> are rejected one by one with a {@link RowProblem} naming the file, line, column
 * and value, while the other rows import: broken quoting, a wrong field count, no first and no last
 * name, an invalid email, a phone without digits, a date in none of the accepted formats
 * ({@code yyyy-MM-dd}, {@code MM/dd/yyyy}, {@code dd.MM.yyyy}, {@code yyyy/MM/dd}, ISO timestamps),
 * and a value in the wrong column (an email in a phone column, a phone number in an email column).
 * A phone with digits that libphonenumber cannot read is kept as typed, with a warning. Each
 * rejected row has one problem: the first found, in column order of the checks above.
 *
 * <p>Immutable and thread-safe.
 */
public final class CsvCustomerImporter {
  /** Drafts per {@link CustomerSystem#upsert} call by default. */
  public static final int DEFAULT_CHUNK_SIZE = 1_000;

  private static final List<DateTimeFormatter> DATE_FORMATS = List.of(
      DateTimeFormatter.ISO_LOCAL_DATE,
      strict("M/d/uuuu"),
      strict("d.M.uuuu"),
      strict("uuuu/M/d"));
  private static final String DATE_FORMATS_TEXT =
      "yyyy-MM-dd, MM/dd/yyyy, dd.MM.yyyy, yyyy/MM/dd or an ISO timestamp";

  private static final int FOLLOW_UP_THREADS = 4;

  private final PhoneNumbers phones;
  private final int chunkSize;

  private CsvCustomerImporter(PhoneNumbers phones, int chunkSize) {
    this.phones = phones;
    this.chunkSize = chunkSize;
  }

  /**
   * An importer reading phone numbers for a default region, upserting {@value #DEFAULT_CHUNK_SIZE}
   * drafts per call.
   *
   * @param defaultRegion ISO 3166-1 alpha-2 region such as {@code "US"}; use the tenant's region
   * @throws ValidationException naming {@code defaultRegion} when libphonenumber does not know it
   */
  public static CsvCustomerImporter forRegion(String defaultRegion) {
    return new CsvCustomerImporter(PhoneNumbers.forRegion(defaultRegion), DEFAULT_CHUNK_SIZE);
  }

  /**
   * A copy upserting {@code size} drafts per call.
   *
   * @param size 1 to 10,000
   * @throws ValidationException naming {@code chunkSize} when out of range
   */
  public CsvCustomerImporter withChunkSize(int size) {
    if (size < 1 || size > 10_000) {
      throw ValidationException.of("chunkSize", String.valueOf(size), "must be between 1 and 10000");
    }
    return new CsvCustomerImporter(phones, size);
  }

  /** Drafts per upsert call. */
  public int chunkSize() {
    return chunkSize;
  }

  /**
   * Reads and maps a UTF-8 CSV file (a byte order mark is skipped).
   *
   * @param file the file; its name (not its path) names it in problems
   * @param kind what it holds, or {@link CsvKind#AUTO} to decide from the header
   * @return the mapping; never null
   * @throws UncheckedIOException when the file cannot be read
   * @throws ValidationException naming {@code file} when it has no header row or no name column
   */
  public CsvMapping map(Path file, CsvKind kind) {
    try {
      return map(file.getFileName().toString(), Files.readString(file, StandardCharsets.UTF_8), kind);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /**
   * Maps CSV text.
   *
   * @param fileName names the content in problems, such as {@code "customers.csv"}
   * @param content the whole CSV text, header first
   * @param kind what it holds, or {@link CsvKind#AUTO} to decide from the header
   * @return the mapping; never null
   * @throws ValidationException naming {@code file} when there is no header row or no name column
   */
  public CsvMapping map(String fileName, String content, CsvKind kind) {
    Objects.requireNonNull(fileName, "fileName");
    Objects.requireNonNull(content, "content");
    Objects.requireNonNull(kind, "kind");
    String text = content.startsWith("\uFEFF") ? content.substring(1) : content;
    String[] lines = text.split("\r?\n", -1);
    List<CsvRecord> records = new ArrayList<>();
    try (CsvReader<CsvRecord> reader = lenientReader().ofCsvRecord(text)) {
      reader.forEach(records::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (CsvParseException e) {
      throw ValidationException.of("file", fileName, "is not CSV: " + e.getMessage());
    }
    if (records.isEmpty()) {
      throw ValidationException.of("file", fileName, "is empty: a CSV file needs a header row");
    }
    Layout layout = Layout.of(fileName, records.get(0).getFields(), kind);
    RowMapper mapper = new RowMapper(fileName, layout);
    int rowsRead = 0;
    for (int r = 1; r < records.size(); r++) {
      CsvRecord record = records.get(r);
      int first = (int) record.getStartingLineNumber();
      int last = r + 1 < records.size() ? (int) records.get(r + 1).getStartingLineNumber() - 1 : lines.length;
      while (last > first && lines[last - 1].isBlank()) {
        last--;
      }
      String raw = String.join("\n", Arrays.asList(lines).subList(first - 1, last));
      if (record.getFieldCount() == layout.headers.size()) {
        rowsRead++;
        if (raw.indexOf('"') >= 0 && !strictlyValid(raw)) {
          mapper.error(first, null, raw, RowProblem.Category.BROKEN_QUOTING,
              "broken quoting: a character follows a closing quote");
        } else {
          mapper.map(first, record.getFields());
        }
      } else if (first == last) {
        rowsRead++;
        mapper.error(first, null, raw, RowProblem.Category.WRONG_FIELD_COUNT,
            "wrong field count: expected " + layout.headers.size() + ", found " + record.getFieldCount());
      } else {
        // An unclosed quote swallowed the following lines: read them one by one so only the broken one is lost.
        for (int line = first; line <= last; line++) {
          String physical = lines[line - 1];
          if (physical.isBlank()) {
            continue;
          }
          rowsRead++;
          mapper.mapPhysicalLine(line, physical);
        }
      }
    }
    return new CsvMapping(fileName, layout.kind, layout.headers, rowsRead, mapper.rows, mapper.errors,
        mapper.warnings());
  }

  /**
   * Imports mapped rows: upserts their drafts in chunks of {@link #chunkSize()}, then adds each
   * stored lead's note and activity (on 4 threads, since the system is thread-safe and each is one
   * round trip). Rows the store rejects join the mapping's errors.
   *
   * @param system the target; needs {@link Capability#BATCH_UPSERT}; notes and activities are added
   *     when it has {@link Capability#NOTES} and {@link Capability#ACTIVITIES}, otherwise one warning
   *     says they were not stored
   * @param mapping the rows, from {@link #map}
   * @param progress told how many more rows are done after each chunk (for progress bars); may be a no-op
   * @return what was done; never null
   * @throws UnsupportedCapabilityException when the system lacks {@link Capability#BATCH_UPSERT}
   */
  public ImportResult importInto(CustomerSystem system, CsvMapping mapping, IntConsumer progress) {
    long started = System.nanoTime();
    if (!system.supports(Capability.BATCH_UPSERT)) {
      throw new UnsupportedCapabilityException(system.providerName(), Capability.BATCH_UPSERT);
    }
    List<RowProblem> errors = new ArrayList<>(mapping.errors());
    List<RowProblem> warnings = new ArrayList<>(mapping.warnings());
    Map<String, Customer> customers = new LinkedHashMap<>();
    int created = 0;
    int updated = 0;
    boolean notesSupported = system.supports(Capability.NOTES);
    boolean activitiesSupported = system.supports(Capability.ACTIVITIES);
    boolean notesUnsupported = false;
    boolean activitiesUnsupported = false;
    AtomicInteger notes = new AtomicInteger();
    AtomicInteger activities = new AtomicInteger();
    ExecutorService workers = Executors.newFixedThreadPool(FOLLOW_UP_THREADS, r -> {
      Thread t = new Thread(r, "crmkit-import");
      t.setDaemon(true);
      return t;
    });
    try {
      List<MappedRow> rows = mapping.rows();
      for (int from = 0; from < rows.size(); from += chunkSize) {
        List<MappedRow> chunk = rows.subList(from, Math.min(rows.size(), from + chunkSize));
        List<UpsertOutcome> outcomes = system.upsert(chunk.stream().map(MappedRow::draft).toList());
        List<Callable<Void>> followUps = new ArrayList<>();
        for (UpsertOutcome outcome : outcomes) {
          MappedRow row = chunk.get(outcome.index());
          if (outcome.status() == UpsertOutcome.Status.REJECTED) {
            errors.add(storeProblem(mapping, row, outcome.error()));
            continue;
          }
          if (outcome.status() == UpsertOutcome.Status.CREATED) {
            created++;
          } else {
            updated++;
          }
          Customer c = outcome.customer();
          customers.put(c.id(), c);
          notesUnsupported |= row.note() != null && !notesSupported;
          activitiesUnsupported |= row.activity() != null && !activitiesSupported;
          if ((row.note() != null && notesSupported) || (row.activity() != null && activitiesSupported)) {
            followUps.add(() -> {
              if (row.note() != null && notesSupported) {
                system.addNote(c.id(), new NoteDraft(row.note(), "import:" + mapping.file(), null));
                notes.incrementAndGet();
              }
              if (row.activity() != null && activitiesSupported) {
                system.addActivity(c.id(), row.activity());
                activities.incrementAndGet();
              }
              return null;
            });
          }
        }
        runAll(workers, followUps);
        progress.accept(chunk.size());
      }
    } finally {
      workers.shutdownNow();
    }
    if (notesUnsupported) {
      warnings.add(new RowProblem(mapping.file(), 0, "Notes", null, RowProblem.Category.REJECTED_BY_STORE,
          "notes not stored: provider '" + system.providerName() + "' does not support NOTES"));
    }
    if (activitiesUnsupported) {
      warnings.add(new RowProblem(mapping.file(), 0, null, null, RowProblem.Category.REJECTED_BY_STORE,
          "deal stage activities not stored: provider '" + system.providerName() + "' does not support ACTIVITIES"));
    }
    errors.sort(Comparator.comparingLong(RowProblem::line));
    progress.accept(mapping.errors().size());
    return new ImportResult(mapping.file(), mapping.kind(), mapping.rowsRead(), created, updated, notes.get(),
        activities.get(),
        errors, warnings, List.copyOf(customers.values()), Duration.ofNanos(System.nanoTime() - started));
  }

  /** Adds notes and activities of a chunk on a few threads: the system is thread-safe and each call is a round trip. */
  private static void runAll(ExecutorService workers, List<Callable<Void>> tasks) {
    List<Future<Void>> futures;
    try {
      futures = workers.invokeAll(tasks);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CrmException("interrupted while adding notes and activities", e);
    }
    for (Future<Void> f : futures) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CrmException("interrupted while adding notes and activities", e);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof RuntimeException r) {
          throw r;
        }
        throw new CrmException("adding a note or activity failed", e.getCause());
      }
    }
  }

  private static RowProblem storeProblem(CsvMapping mapping, MappedRow row, CrmException error) {
    if (error instanceof ValidationException v) {
      FieldError fe = v.fieldErrors().get(0);
      RowProblem.Category category = switch (fe.field()) {
        case "phone" -> RowProblem.Category.INVALID_PHONE;
        case "email" -> RowProblem.Category.INVALID_EMAIL;
        default -> RowProblem.Category.REJECTED_BY_STORE;
      };
      return new RowProblem(mapping.file(), row.line(), Layout.headerFor(mapping.headers(), fe.field()), fe.value(),
          category, fe.message());
    }
    String message = error == null ? "rejected without a reason" : error.getMessage();
    return new RowProblem(mapping.file(), row.line(), null, null, RowProblem.Category.REJECTED_BY_STORE, message);
  }

  private static CsvReader.CsvReaderBuilder lenientReader() {
    return CsvReader.builder()
        .allowExtraFields(true)
        .allowMissingFields(true)
        .allowExtraCharsAfterClosingQuote(true)
        .skipEmptyLines(true);
  }

  private static boolean strictlyValid(String raw) {
    try {
      CsvReader.builder().allowExtraFields(true).allowMissingFields(true).ofSingleCsvRecord(raw);
      return true;
    } catch (CsvParseException e) {
      return false;
    }
  }

  private static DateTimeFormatter strict(String pattern) {
    return DateTimeFormatter.ofPattern(pattern, Locale.ROOT).withResolverStyle(ResolverStyle.STRICT);
  }

  /** Parses a date in one of the accepted formats; a date alone is midnight UTC. Null when none fits. */
  static Instant parseDate(String value) {
    for (DateTimeFormatter f : DATE_FORMATS) {
      try {
        return LocalDate.parse(value, f).atStartOfDay(ZoneOffset.UTC).toInstant();
      } catch (DateTimeParseException e) {
        // try the next format
      }
    }
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException e) {
      // not a timestamp with an offset
    }
    try {
      return LocalDateTime.parse(value).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** Which column is where, and what the file holds. */
  private static final class Layout {
    final List<String> headers;
    final CsvKind kind;
    final Map<Column, Integer> index = new EnumMap<>(Column.class);
    final Map<Integer, String> customFieldByIndex = new LinkedHashMap<>();

    private Layout(List<String> headers, CsvKind kind) {
      this.headers = headers;
      this.kind = kind;
    }

    static Layout of(String file, List<String> rawHeaders, CsvKind requested) {
      List<String> headers = rawHeaders.stream().map(String::strip).toList();
      Map<Column, Integer> index = new EnumMap<>(Column.class);
      Map<Integer, String> unknown = new LinkedHashMap<>();
      boolean leadColumns = false;
      for (int i = 0; i < headers.size(); i++) {
        Column c = Column.of(headers.get(i));
        if (c != null && index.putIfAbsent(c, i) == null) {
          leadColumns |= c.leadOnly();
        } else if (!headers.get(i).isEmpty()) {
          unknown.put(i, customFieldName(headers.get(i), unknown.values()));
        }
      }
      if (!index.containsKey(Column.FIRST_NAME) && !index.containsKey(Column.LAST_NAME)) {
        throw ValidationException.of("file", file, "has no first or last name column; headers are " + headers);
      }
      CsvKind kind = requested != CsvKind.AUTO ? requested : leadColumns ? CsvKind.LEADS : CsvKind.CUSTOMERS;
      Layout layout = new Layout(headers, kind);
      layout.index.putAll(index);
      layout.customFieldByIndex.putAll(unknown);
      return layout;
    }

    String header(Column c) {
      Integer i = index.get(c);
      return i == null ? null : headers.get(i);
    }

    /** The header of the column a model field came from, for store errors. */
    static String headerFor(List<String> headers, String field) {
      Column c = switch (field) {
        case "firstName" -> Column.FIRST_NAME;
        case "lastName" -> Column.LAST_NAME;
        case "email" -> Column.EMAIL;
        case "phone" -> Column.PHONE;
        case "company" -> Column.COMPANY;
        default -> null;
      };
      if (c == null) {
        return null;
      }
      for (String h : headers) {
        if (Column.of(h) == c) {
          return h;
        }
      }
      return null;
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

  /** Maps rows of one file; collects rows, errors and warnings. Not thread-safe. */
  private final class RowMapper {
    final String file;
    final Layout layout;
    final List<MappedRow> rows = new ArrayList<>();
    final List<RowProblem> errors = new ArrayList<>();
    final List<RowProblem> fileWarnings = new ArrayList<>();
    final List<RowProblem> rowWarnings = new ArrayList<>();

    RowMapper(String file, Layout layout) {
      this.file = file;
      this.layout = layout;
      layout.customFieldByIndex.forEach((i, name) -> fileWarnings.add(new RowProblem(file, 0, layout.headers.get(i),
          null, RowProblem.Category.UNKNOWN_COLUMN, "unknown column kept as custom field '" + name + "'")));
    }

    List<RowProblem> warnings() {
      List<RowProblem> all = new ArrayList<>(fileWarnings);
      all.addAll(rowWarnings);
      return all;
    }

    void error(long line, String column, String value, RowProblem.Category category, String message) {
      errors.add(new RowProblem(file, line, column, value, category, message));
    }

    void mapPhysicalLine(int line, String physical) {
      if (physical.chars().filter(ch -> ch == '"').count() % 2 == 1) {
        error(line, null, physical, RowProblem.Category.BROKEN_QUOTING, "broken quoting: a quote is never closed");
        return;
      }
      CsvRecord record;
      try {
        record = CsvReader.builder().allowExtraFields(true).allowMissingFields(true).ofSingleCsvRecord(physical);
      } catch (CsvParseException e) {
        error(line, null, physical, RowProblem.Category.BROKEN_QUOTING,
            "broken quoting: a character follows a closing quote");
        return;
      }
      if (record.getFieldCount() != layout.headers.size()) {
        error(line, null, physical, RowProblem.Category.WRONG_FIELD_COUNT,
            "wrong field count: expected " + layout.headers.size() + ", found " + record.getFieldCount());
        return;
      }
      map(line, record.getFields());
    }

    void map(long line, List<String> fields) {
      List<RowProblem> warnings = new ArrayList<>();
      String firstName = value(fields, Column.FIRST_NAME);
      String lastName = value(fields, Column.LAST_NAME);
      if (firstName == null && lastName == null) {
        String column = layout.header(Column.FIRST_NAME) != null && layout.header(Column.LAST_NAME) != null
            ? layout.header(Column.FIRST_NAME) + "' and '" + layout.header(Column.LAST_NAME)
            : Objects.requireNonNullElse(layout.header(Column.FIRST_NAME), layout.header(Column.LAST_NAME));
        error(line, column, null, RowProblem.Category.MISSING_NAME, "a row needs a first or a last name");
        return;
      }
      CustomerDraft.Builder d = CustomerDraft.builder().firstName(firstName).lastName(lastName)
          .company(value(fields, Column.COMPANY));
      Checked email = email(line, Column.EMAIL, fields);
      if (email.failed()) {
        return;
      }
      Checked phone = phone(line, Column.PHONE, fields, warnings);
      if (phone.failed()) {
        return;
      }
      Checked email2 = email(line, Column.EMAIL2, fields);
      if (email2.failed()) {
        return;
      }
      Checked phone2 = phone(line, Column.PHONE2, fields, warnings);
      if (phone2.failed()) {
        return;
      }
      d.email(email.value()).phone(phone.value());
      if (email2.value() != null) {
        d.customField("email2", email2.value());
      }
      if (phone2.value() != null) {
        d.customField("phone2", phone2.value());
      }
      String date = value(fields, Column.SUBSCRIPTION_DATE);
      if (date != null) {
        Instant createdAt = parseDate(date);
        if (createdAt == null) {
          error(line, layout.header(Column.SUBSCRIPTION_DATE), date, RowProblem.Category.INVALID_DATE,
              "not a date: use " + DATE_FORMATS_TEXT);
          return;
        }
        d.createdAt(createdAt);
      }
      String city = value(fields, Column.CITY);
      String country = value(fields, Column.COUNTRY);
      if (city != null || country != null) {
        d.address(Address.ofCity(city, country));
      }
      putCustom(d, "website", value(fields, Column.WEBSITE));
      putCustom(d, "sourceId", value(fields, Column.SOURCE_ID));
      putCustom(d, "leadOwner", value(fields, Column.LEAD_OWNER));
      layout.customFieldByIndex.forEach((i, name) -> {
        String v = fields.get(i).strip();
        if (!v.isEmpty()) {
          d.customField(name, v);
        }
      });
      String note = null;
      ActivityDraft activity = null;
      String source = value(fields, Column.SOURCE);
      String stage = value(fields, Column.DEAL_STAGE);
      if (source != null) {
        d.tag("source:" + source);
      }
      if (layout.kind == CsvKind.LEADS) {
        d.tag("lead");
        note = value(fields, Column.NOTES);
        Map<String, String> metadata = Map.of("file", file, "line", String.valueOf(line));
        String key = "import:" + (file.length() > 120 ? file.substring(0, 120) : file) + ":" + line;
        if (stage != null) {
          d.tag("stage:" + stage).segment(stage.equalsIgnoreCase("Closed Won") ? Segment.STANDARD : Segment.PROSPECT);
          activity = new ActivityDraft(ActivityType.STAGE_CHANGE, null, "Deal stage: " + stage, null, metadata, key);
        } else {
          d.segment(Segment.PROSPECT);
          activity = new ActivityDraft(ActivityType.OTHER, null, "Imported lead from " + file, null, metadata, key);
        }
      } else if (stage != null) {
        d.tag("stage:" + stage);
      }
      CustomerDraft draft;
      try {
        draft = d.build();
      } catch (ValidationException e) {
        FieldError fe = e.fieldErrors().get(0);
        String column = fe.field().equals("tags") ? layout.header(source != null ? Column.SOURCE : Column.DEAL_STAGE)
            : Layout.headerFor(layout.headers, fe.field());
        error(line, column, fe.value(), RowProblem.Category.INVALID_VALUE, fe.field() + ": " + fe.message());
        return;
      }
      rowWarnings.addAll(warnings);
      rows.add(new MappedRow(file, line, draft, note, activity, warnings));
    }

    private void putCustom(CustomerDraft.Builder d, String name, String value) {
      if (value != null) {
        d.customField(name, value);
      }
    }

    private String value(List<String> fields, Column c) {
      Integer i = layout.index.get(c);
      if (i == null) {
        return null;
      }
      String v = fields.get(i).strip();
      return v.isEmpty() ? null : v;
    }

    private Checked email(long line, Column c, List<String> fields) {
      String raw = value(fields, c);
      if (raw == null) {
        return Checked.NONE;
      }
      String header = layout.header(c);
      if (raw.indexOf('@') < 0 && looksLikePhone(raw)) {
        error(line, header, raw, RowProblem.Category.WRONG_COLUMN, "looks like a phone number in column '" + header + "'");
        return Checked.FAILED;
      }
      try {
        return new Checked(EmailAddresses.normalize(raw, header), false);
      } catch (ValidationException e) {
        error(line, header, raw, RowProblem.Category.INVALID_EMAIL,
            "not an email address: " + e.fieldErrors().get(0).message());
        return Checked.FAILED;
      }
    }

    private Checked phone(long line, Column c, List<String> fields, List<RowProblem> warnings) {
      String raw = value(fields, c);
      if (raw == null) {
        return Checked.NONE;
      }
      String header = layout.header(c);
      if (raw.indexOf('@') >= 0) {
        error(line, header, raw, RowProblem.Category.WRONG_COLUMN, "looks like an email in column '" + header + "'");
        return Checked.FAILED;
      }
      NormalizedPhone normalized;
      try {
        normalized = phones.normalize(raw, header);
      } catch (ValidationException e) {
        error(line, header, raw, RowProblem.Category.INVALID_PHONE,
            "not a phone number: " + e.fieldErrors().get(0).message());
        return Checked.FAILED;
      }
      if (!normalized.parsed()) {
        warnings.add(new RowProblem(file, line, header, raw, RowProblem.Category.PHONE_KEPT_AS_TYPED,
            "libphonenumber cannot read it for region " + phones.region() + "; kept as typed"));
      }
      return new Checked(raw, false);
    }
  }

  private static boolean looksLikePhone(String v) {
    int digits = 0;
    for (int i = 0; i < v.length(); i++) {
      char ch = v.charAt(i);
      if (ch >= '0' && ch <= '9') {
        digits++;
      } else if ("+-.() xX".indexOf(ch) < 0) {
        return false;
      }
    }
    return digits >= 7;
  }

  /** A checked value: absent ({@code value == null}), accepted, or failed (the error is recorded). */
  private record Checked(String value, boolean failed) {
    static final Checked NONE = new Checked(null, false);
    static final Checked FAILED = new Checked(null, true);
  }
}
