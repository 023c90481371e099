package dev.crmkit.examples.cli;

import dev.crmkit.examples.demo.Progress;
import picocli.CommandLine.Option;

/** {@code --no-progress}, which every command takes; bars are off anyway when output is no terminal. */
public final class ProgressOptions {
  @Option(names = "--no-progress",
      description = "Draw no progress bars (default: drawn on stderr when the output is a terminal, never when redirected).")
  boolean noProgress;

  /** Whether bars may be drawn: not switched off, and a terminal to draw on ({@link Progress#terminal()}). */
  boolean enabled() {
    return !noProgress && Progress.terminal();
  }
}
