package dev.crmkit.examples.cli;

import dev.crmkit.examples.Crmkit;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;

/** A {@code crmkit} command that serves until interrupted, run on a thread of its own for a test. */
final class BackgroundCommand {
  private final CompletableFuture<Integer> exit;
  private final Thread[] runner = new Thread[1];
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private BackgroundCommand(String... args) {
    CommandLine cli = Crmkit.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    exit = CompletableFuture.supplyAsync(() -> {
      runner[0] = Thread.currentThread();
      return cli.execute(args);
    });
  }

  static BackgroundCommand start(String... args) {
    return new BackgroundCommand(args);
  }

  /** What the command printed once {@code text} is in it, the command ended, or 30 seconds passed. */
  String waitFor(String text) throws InterruptedException {
    for (int i = 0; i < 3_000 && !out.toString().contains(text) && !exit.isDone(); i++) {
      Thread.sleep(10);
    }
    return out.toString();
  }

  String out() {
    return out.toString();
  }

  String err() {
    return err.toString();
  }

  /** The exit code of a command that ends on its own (a usage error). */
  int exitCode() {
    return exit.join();
  }

  /** Interrupts the command as Ctrl-C would and returns its exit code. */
  int stop() throws Exception {
    runner[0].interrupt();
    return exit.get(30, TimeUnit.SECONDS);
  }
}
