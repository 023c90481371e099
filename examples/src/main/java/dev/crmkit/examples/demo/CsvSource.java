package dev.crmkit.examples.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A CSV file for the demo: a name for reports and a way to read its bytes (the importer detects
 * the encoding).
 *
 * @param name the name problems and reports show, such as {@code "customers-1000.csv"}; never null
 * @param content reads the whole file; may throw {@link UncheckedIOException}; never null
 */
public record CsvSource(String name, Supplier<byte[]> content) {
  public CsvSource {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(content, "content");
  }

  /** A file on disk, named by its file name. */
  public static CsvSource of(Path file) {
    return new CsvSource(file.getFileName().toString(), () -> {
      try {
        return Files.readAllBytes(file);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file, e);
      }
    });
  }

  /** The bundled 1,000-row sample of customers. */
  public static CsvSource sampleCustomers() {
    return classpath("samples/customers-1000.csv");
  }

  /** The bundled 1,000-row sample of leads. */
  public static CsvSource sampleLeads() {
    return classpath("samples/leads-1000.csv");
  }

  /**
   * The bundled messy export: a dozen rows with renamed and reordered headers, most with one defect
   * each (missing name, bad email, phone without digits, unknown date format, a value in the wrong
   * column, broken quoting, missing fields, an impossible date), to show in the report which rows are
   * rejected (no name, broken quoting, missing fields) and which import without their bad value,
   * with a warning.
   */
  public static CsvSource sampleMessyExport() {
    return classpath("samples/messy-export.csv");
  }

  private static CsvSource classpath(String resource) {
    String name = resource.substring(resource.lastIndexOf('/') + 1);
    return new CsvSource(name, () -> {
      try (InputStream in = CsvSource.class.getClassLoader().getResourceAsStream(resource)) {
        if (in == null) {
          throw new UncheckedIOException(new IOException("resource " + resource + " is missing from the classpath"));
        }
        return in.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read resource " + resource, e);
      }
    });
  }
}
