package dev.crmkit.examples;

import dev.crmkit.error.CrmException;
import dev.crmkit.examples.cli.ActionsDemoCommand;
import dev.crmkit.examples.cli.DemoCommand;
import dev.crmkit.examples.cli.EmulatorCommand;
import dev.crmkit.examples.cli.FindCommand;
import dev.crmkit.examples.cli.ImportCommand;
import dev.crmkit.examples.cli.ProvidersCommand;
import dev.crmkit.examples.cli.ServeCommand;
import dev.crmkit.examples.cli.StatsCommand;
import dev.crmkit.examples.cli.SyncDemoCommand;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code crmkit} command line: {@code demo}, {@code sync-demo}, {@code import}, {@code find} and
 * {@code stats}, {@code actions-demo} over the native store in an embedded H2 file database (or any JDBC URL),
 * {@code providers}, which prints every installed provider's descriptor, {@code emulator hubspot},
 * which serves the HubSpot emulator from crm-testkit, and {@code serve}, the integrations server with its
 * pages and REST API in front of the HubSpot and Salesforce emulators.
 *
 * <pre>{@code
 * mvn -B -q -DskipTests package && java -jar examples/target/crmkit.jar demo
 * }</pre>
 */
@Command(
    name = "crmkit",
    mixinStandardHelpOptions = true,
    version = "crmkit 0.1.0-SNAPSHOT",
    description = "One CRM interface over the native store and vendor CRMs: the demo and a few tools.",
    subcommands = {DemoCommand.class, SyncDemoCommand.class, ActionsDemoCommand.class, ImportCommand.class, FindCommand.class, StatsCommand.class,
        ProvidersCommand.class, EmulatorCommand.class, ServeCommand.class, CommandLine.HelpCommand.class})
public final class Crmkit {

  /** Runs the command line and exits with its status. */
  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /**
   * The configured command line; {@code execute} returns 0 on success, 1 when a command failed (the
   * error is printed on stderr without a stack trace), 2 for bad usage.
   */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Crmkit());
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      // Options go straight into builders, which reject a bad value with IllegalArgumentException.
      if (e instanceof CrmException || e instanceof UncheckedIOException || e instanceof IllegalArgumentException) {
        commandLine.getErr().println("crmkit: " + e.getMessage());
        return 1;
      }
      throw e;
    });
    return cli;
  }
}
