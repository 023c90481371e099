package dev.crmkit.examples.demo;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar on stderr, or nothing when disabled or when there is no terminal to draw on: a bar
 * redraws itself with carriage returns, which in a redirected file are only noise. Not thread-safe.
 */
public final class Progress implements AutoCloseable {
  private final ProgressBar bar;

  private Progress(ProgressBar bar) {
    this.bar = bar;
  }

  /**
   * Starts a bar.
   *
   * @param enabled false for a bar that draws nothing; a bar also draws nothing when
   *     {@link #terminal()} is false
   * @param task the bar's label
   * @param max the steps to 100%
   * @return the bar; close it when done
   */
  public static Progress start(boolean enabled, String task, long max) {
    if (!enabled || !terminal()) {
      return new Progress(null);
    }
    return new Progress(new ProgressBarBuilder()
        .setTaskName(task)
        .setInitialMax(max)
        .setStyle(ProgressBarStyle.ASCII)
        .setUpdateIntervalMillis(250)
        .setConsumer(new ConsoleProgressBarConsumer(System.err))
        .showSpeed()
        .build());
  }

  /**
   * Whether the JVM runs on a terminal: {@link System#console()} is non-null only when neither
   * standard input nor output is redirected.
   */
  public static boolean terminal() {
    return System.console() != null;
  }

  /** Moves the bar {@code n} steps on. */
  public void step(long n) {
    if (bar != null) {
      bar.stepBy(n);
    }
  }

  @Override
  public void close() {
    if (bar != null) {
      bar.close();
    }
  }
}
