package dev.crmkit.bench.internal;

import dev.crmkit.error.ValidationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** What the benchmarks' command lines share: whole-number options and removing their temporary folders. */
public final class Options {
  private Options() {}

  /**
   * A whole-number option's value.
   *
   * @param option the option, such as {@code --rounds}, for the error
   * @param value its value as typed
   * @param min the least value allowed
   * @return the value
   * @throws ValidationException naming the option and value when it is not a whole number of at least {@code min}
   */
  public static int atLeast(String option, String value, int min) {
    try {
      int v = Integer.parseInt(value);
      if (v >= min) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw ValidationException.of(option, value, "must be a whole number of at least " + min);
  }

  /**
   * Deletes a folder and everything in it.
   *
   * @param dir the folder; nothing happens when it does not exist
   * @throws IOException when a file cannot be deleted
   */
  public static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
