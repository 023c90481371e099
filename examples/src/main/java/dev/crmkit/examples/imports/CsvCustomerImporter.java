package dev.crmkit.examples.imports;

import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import dev.crmkit.ActivityType;
import dev.crmkit.Address;
import dev.crmkit.Capability;
import dev.crmkit.Customer;
import dev.crmkit.CustomerDraft;
import dev.crmkit.CustomerSystem;
import dev.crmkit.Segment;
import dev.crmkit.UpsertOutcome;
import dev.crmkit.error.CrmException;
import dev.crmkit.error.FieldError;
import dev.crmkit.error.UnsupportedCapabilityException;
import dev.crmkit.error.ValidationException;
import dev.crmkit.identity.PhoneNumbers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
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
 * {@link CustomerSystem} through its bulk path, {@link CustomerSystem#upsert}. Made for other
 * people's exports: it reads what a file holds and says, in one warning per file or row, what it
 * decided.
 *
 * <p><b>Reading.</b> The encoding is detected (UTF-8 with or without byte order mark, UTF-16 with
 * one, otherwise Windows-1252) and so is the separator (comma, semicolon or tab, from the header
 * line); a file that still cannot be read is refused with the reason. See {@link CsvText}.
 *
 * <p><b>Headers</b> are matched case-insensitively, ignoring spaces, {@code -} and {@code _}, so
 * {@code First Name}, {@code FIRSTNAME}, {@code first_name} and {@code firstName} are one column;
 * common variants are known ({@code Email}, {@code E-mail}, {@code Email 1}; {@code Phone},
 * {@code Phone 1}, {@code Mobile}; {@code Company}, {@code Organization}; ...). A misspelled header
 * is read as the nearest known name within Damerau-Levenshtein distance 2 ({@code Emial},
 * {@code Frist Name}; see {@link Column#closest}), with a warning. Columns may come in any order. A
 * repeated email, phone or company column keeps its values as that kind ({@code email2},
 * {@code phone3}, {@code company2}, ...), findable with {@code crmkit find}. A column the importer
 * does not know is kept as a custom field (its header turned into a valid field name such as
 * {@code favorite_color}) and listed as a warning.
 *
 * <p><b>Mapping.</b> First and last name, email, phone, company and city/region/country (an
 * {@link Address}) map to the model's fields; further phones and emails, website, the source
 * system's customer or account id and a lead's owner become the custom fields {@code phone2},
 * {@code email2}, {@code website}, {@code sourceId} and {@code leadOwner}; the subscription date
 * becomes {@code createdAt}. A lead's source becomes the tag {@code source:<value>}, its deal stage
 * the tag {@code stage:<value>} and the segment ({@code Closed Won} is {@link Segment#STANDARD},
 * every other stage {@link Segment#PROSPECT}); every lead is tagged {@code lead}, its notes become a
 * note and its stage a {@link ActivityType#STAGE_CHANGE} activity, both added after the upsert.
 *
 * <p><b>Values of another kind.</b> An email and phone column whose values are mostly of the other
 * kind (emails under a phone header) is read as what it holds, with one warning for the file; a
 * single such value is read as what it is, with a warning for its row.
 *
 * <p><b>Dates</b> are read per column in the order its values show (day first when a first number
 * above 12 appears, month first when a second one does); a column whose order no value decides
 * needs {@link #withDateFormat}. See {@link DateColumn}.
 *
 * <p><b>Bad values.</b> An invalid value in an optional column (a malformed email, a phone without
 * digits, a date in no accepted form, a value the model refuses) never rejects its row: the row
 * imports without it, with a warning naming line, column and value. A row is rejected, with a
 * {@link RowProblem} naming file, line, column and value, only for broken quoting, a wrong field
 * count, no usable first or last name, or a lead's note or activity that the model refuses: notes
 * and activities are built before anything is written, so a row is stored whole or not at all.
 *
 * <p>Immutable and thread-safe.
 */
public final class CsvCustomerImporter {
  /** Drafts per {@link CustomerSystem#upsert} call by default. */
  public static final int DEFAULT_CHUNK_SIZE = 1_000;

  private static final int FOLLOW_UP_THREADS = 4;

  private final PhoneNumbers phones;
  private final int chunkSize;
  private final String dateFormat;
  private final DateTimeFormatter dateFormatter;

  private CsvCustomerImporter(PhoneNumbers phones, int chunkSize, String dateFormat) {
    this.phones = phones;
    this.chunkSize = chunkSize;
    this.dateFormat = dateFormat;
    this.dateFormatter = dateFormat == null ? null : DateColumn.formatter(dateFormat);
  }

  /**
   * An importer reading phone numbers for a default region, upserting {@value #DEFAULT_CHUNK_SIZE}
   * drafts per call.
   *
   * @param defaultRegion ISO 3166-1 alpha-2 region such as {@code "US"}; use the tenant's region
   * @throws NullPointerException naming {@code region} when null
   * @throws IllegalArgumentException naming {@code region} and the value when libphonenumber does not know it
   */
  public static CsvCustomerImporter forRegion(String defaultRegion) {
    return new CsvCustomerImporter(PhoneNumbers.forRegion(defaultRegion), DEFAULT_CHUNK_SIZE, null);
  }

  /**
   * A copy upserting {@code size} drafts per call.
   *
   * @param size 1 to 10,000
   * @throws IllegalArgumentException naming {@code chunkSize} and the value when out of range
   */
  public CsvCustomerImporter withChunkSize(int size) {
    if (size < 1 || size > 10_000) {
      throw new IllegalArgumentException("chunkSize must be between 1 and 10000: " + size);
    }
    return new CsvCustomerImporter(phones, size, dateFormat);
  }

  /**
   * A copy reading the dates of every date column with this format first (values that do not fit
   * it are still read when year-first or ISO): for files whose day and month order no value decides.
   *
   * @param pattern a {@link DateTimeFormatter} pattern such as {@code "dd/MM/yyyy"} or
   *     {@code "MM/dd/yyyy"}; {@code null} to decide from the values (the default)
   * @throws IllegalArgumentException naming {@code dateFormat} and the value when it is not a pattern or
   *     reads no date
   */
  public CsvCustomerImporter withDateFormat(String pattern) {
    if (pattern == null) {
      return new CsvCustomerImporter(phones, chunkSize, null);
    }
    try {
      DateTimeFormatter f = DateColumn.formatter(pattern);
      f.parse(f.format(LocalDate.of(2001, 2, 3)), LocalDate::from);
    } catch (IllegalArgumentException | DateTimeException e) {
      throw new IllegalArgumentException("dateFormat must be a date pattern with day, month and year, such as "
          + "dd/MM/yyyy or MM/dd/yyyy: '" + pattern + "'", e);
    }
    return new CsvCustomerImporter(phones, chunkSize, pattern);
  }

  /** The explicit date format, or {@code null} when dates are read in the order their values show. */
  public String dateFormat() {
    return dateFormat;
  }

  /** Drafts per upsert call. */
  public int chunkSize() {
    return chunkSize;
  }

  /**
   * Reads and maps a CSV file, detecting its encoding and separator.
   *
   * @param file the file; its name (not its path) names it in problems
   * @param kind what it holds, or {@link CsvKind#AUTO} to decide from the header
   * @return the mapping; never null
   * @throws UncheckedIOException when the file cannot be read
   * @throws ValidationException naming {@code file} when its bytes are no text in a supported
   *     encoding, or it has no header row or no name column
   */
  public CsvMapping map(Path file, CsvKind kind) {
    try {
      return map(file.getFileName().toString(), Files.readAllBytes(file), kind);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /**
   * Maps a CSV file's bytes, detecting the encoding and separator ({@link CsvText}); a choice other
   * than UTF-8 and comma is named in a warning.
   *
   * @param fileName names the content in problems, such as {@code "customers.csv"}
   * @param content the whole file
   * @param kind what it holds, or {@link CsvKind#AUTO} to decide from the header
   * @return the mapping; never null
   * @throws ValidationException naming {@code file} when the bytes are no text in a supported
   *     encoding, or there is no header row or no name column
   */
  public CsvMapping map(String fileName, byte[] content, CsvKind kind) {
    Objects.requireNonNull(fileName, "fileName");
    Objects.requireNonNull(content, "content");
    CsvText text = CsvText.decode(fileName, content);
    return map(fileName, text.text(), text.encoding(), text.separator(), kind);
  }

  /**
   * Maps CSV text, detecting the separator.
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
    String text = content.startsWith("\uFEFF") ? content.substring(1) : content;
    return map(fileName, text, "UTF-8", CsvText.separator(text), kind);
  }

  private CsvMapping map(String fileName, String text, String encoding, char separator, CsvKind kind) {
    Objects.requireNonNull(kind, "kind");
    String[] lines = text.split("\r?\n", -1);
    List<CsvRecord> records = new ArrayList<>();
    try (CsvReader<CsvRecord> reader = lenientReader(separator).ofCsvRecord(text)) {
      reader.forEach(records::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (CsvParseException e) {
      throw ValidationException.of("file", fileName, "is not CSV: " + e.getMessage());
    }
    if (records.isEmpty()) {
      throw ValidationException.of("file", fileName, "is empty: a CSV file needs a header row");
    }
    CsvLayout layout = CsvLayout.of(fileName, records.get(0).getFields(), kind);
    if (!encoding.equals("UTF-8")) {
      layout.warnings.add(0, new RowProblem(fileName, 0, null, null, RowProblem.Category.FILE_FORMAT,
          "read as " + encoding + (encoding.equals("Windows-1252") ? " (its bytes are not UTF-8)" : " (byte order mark)")));
    }
    if (separator != ',') {
      layout.warnings.add(0, new RowProblem(fileName, 0, null, null, RowProblem.Category.FILE_FORMAT,
          "fields separated by " + CsvText.name(separator) + "s"));
    }
    List<List<String>> complete = new ArrayList<>();
    for (int r = 1; r < records.size(); r++) {
      if (records.get(r).getFieldCount() == layout.headers.size()) {
        complete.add(records.get(r).getFields());
      }
    }
    layout.inspect(complete, dateFormatter);
    RowMapper mapper = new RowMapper(layout, phones);
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
        if (raw.indexOf('"') >= 0 && !strictlyValid(raw, separator)) {
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
          mapPhysicalLine(mapper, layout, separator, line, physical);
        }
      }
    }
    return new CsvMapping(fileName, layout.kind, layout.headers, rowsRead, mapper.rows, mapper.errors,
        mapper.warnings());
  }

  private static void mapPhysicalLine(RowMapper mapper, CsvLayout layout, char separator, int line, String physical) {
    if (physical.chars().filter(ch -> ch == '"').count() % 2 == 1) {
      mapper.error(line, null, physical, RowProblem.Category.BROKEN_QUOTING, "broken quoting: a quote is never closed");
      return;
    }
    CsvRecord record;
    try {
      record = CsvReader.builder().fieldSeparator(separator).allowExtraFields(true).allowMissingFields(true)
          .ofSingleCsvRecord(physical);
    } catch (CsvParseException e) {
      mapper.error(line, null, physical, RowProblem.Category.BROKEN_QUOTING,
          "broken quoting: a character follows a closing quote");
      return;
    }
    if (record.getFieldCount() != layout.headers.size()) {
      mapper.error(line, null, physical, RowProblem.Category.WRONG_FIELD_COUNT,
          "wrong field count: expected " + layout.headers.size() + ", found " + record.getFieldCount());
      return;
    }
    mapper.map(line, record.getFields());
  }

  /**
   * Imports mapped rows: upserts their drafts in chunks of {@link #chunkSize()}, then adds each
   * stored lead's note and activity (on 4 threads, since the system is thread-safe and each is one
   * round trip). Rows the store rejects join the mapping's errors; every update is listed with the
   * key it matched by ({@link ImportResult#updates()}), and every row created beside a customer with
   * the same phone and another email as a duplicate candidate.
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
    List<RowMatch> updates = new ArrayList<>();
    List<RowMatch> duplicateCandidates = new ArrayList<>();
    Map<String, Customer> customers = new LinkedHashMap<>();
    int created = 0;
    boolean notesSupported = system.supports(Capability.NOTES);
    boolean activitiesSupported = system.supports(Capability.ACTIVITIES);
    boolean notesUnsupported = false;
    boolean activitiesUnsupported = false;
    AtomicInteger notes = new AtomicInteger();
    AtomicInteger activities = new AtomicInteger();
    List<RowProblem> followUpErrors = Collections.synchronizedList(new ArrayList<>());
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
          Customer c = outcome.customer();
          if (outcome.status() == UpsertOutcome.Status.CREATED) {
            created++;
            if (outcome.duplicateOfId() != null) {
              duplicateCandidates.add(new RowMatch(mapping.file(), row.line(), c.id(),
                  "same phone as customer " + outcome.duplicateOfId() + ", other email: created beside it"));
            }
          } else {
            updates.add(new RowMatch(mapping.file(), row.line(), c.id(), reason(outcome.matchedBy())));
          }
          customers.put(c.id(), c);
          notesUnsupported |= row.note() != null && !notesSupported;
          activitiesUnsupported |= row.activity() != null && !activitiesSupported;
          if ((row.note() != null && notesSupported) || (row.activity() != null && activitiesSupported)) {
            followUps.add(() -> {
              try {
                if (row.note() != null && notesSupported) {
                  system.addNote(c.id(), row.note());
                  notes.incrementAndGet();
                }
                if (row.activity() != null && activitiesSupported) {
                  system.addActivity(c.id(), row.activity());
                  activities.incrementAndGet();
                }
              } catch (CrmException e) {
                // Validated before the upsert, so only a store failure gets here: report the row, go on.
                followUpErrors.add(new RowProblem(mapping.file(), row.line(), null, null,
                    RowProblem.Category.REJECTED_BY_STORE,
                    "customer " + c.id() + " stored, but its note or activity was not: " + e.getMessage()));
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
    errors.addAll(followUpErrors);
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
    return new ImportResult(mapping.file(), mapping.kind(), mapping.rowsRead(), created, updates.size(), notes.get(),
        activities.get(), errors, warnings, updates, duplicateCandidates, List.copyOf(customers.values()),
        Duration.ofNanos(System.nanoTime() - started));
  }

  private static String reason(UpsertOutcome.MatchedBy by) {
    return by == null ? "matched (the provider does not say by what)"
        : "matched by " + by.name().toLowerCase(Locale.ROOT);
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
      return new RowProblem(mapping.file(), row.line(), headerFor(mapping.headers(), fe.field()), fe.value(),
          category, fe.message());
    }
    String message = error == null ? "rejected without a reason" : error.getMessage();
    return new RowProblem(mapping.file(), row.line(), null, null, RowProblem.Category.REJECTED_BY_STORE, message);
  }

  /** The header of the first column that maps to a model field, for store errors; {@code null} when none. */
  private static String headerFor(List<String> headers, String field) {
    Column wanted = switch (field) {
      case "firstName" -> Column.FIRST_NAME;
      case "lastName" -> Column.LAST_NAME;
      case "email" -> Column.EMAIL;
      case "phone" -> Column.PHONE;
      case "company" -> Column.COMPANY;
      default -> null;
    };
    for (String h : headers) {
      Column c = Column.of(h);
      if (wanted != null && c != null && (c == wanted || c.contactKind() == wanted)) {
        return h;
      }
    }
    return null;
  }

  private static CsvReader.CsvReaderBuilder lenientReader(char separator) {
    return CsvReader.builder()
        .fieldSeparator(separator)
        .allowExtraFields(true)
        .allowMissingFields(true)
        .allowExtraCharsAfterClosingQuote(true)
        .skipEmptyLines(true);
  }

  private static boolean strictlyValid(String raw, char separator) {
    try {
      CsvReader.builder().fieldSeparator(separator).allowExtraFields(true).allowMissingFields(true)
          .ofSingleCsvRecord(raw);
      return true;
    } catch (CsvParseException e) {
      return false;
    }
  }
}
