package dev.crmkit.examples.cli;

import dev.crmkit.testkit.hubspot.HubSpotEmulator;
import dev.crmkit.testkit.salesforce.SalesforceEmulator;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code crmkit emulator}: runs a vendor emulator from crm-testkit as a local server, for trying
 * a host application against a fake CRM by hand.
 */
@Command(name = "emulator", mixinStandardHelpOptions = true,
    description = "Runs a vendor CRM emulator on loopback.",
    subcommands = {EmulatorCommand.HubSpot.class, EmulatorCommand.Salesforce.class})
public final class EmulatorCommand {

  /**
   * {@code crmkit emulator hubspot}: serves {@link HubSpotEmulator} on {@code 127.0.0.1} until
   * interrupted (Ctrl-C), printing its base URL and access token; closes the server on the way out.
   */
  @Command(name = "hubspot", mixinStandardHelpOptions = true,
      description = "Serves the HubSpot CRM emulator on 127.0.0.1 until interrupted.")
  public static final class HubSpot implements Callable<Integer> {
    @Spec CommandSpec spec;
    @picocli.CommandLine.Mixin ProgressOptions progressOptions;

    @Option(names = "--port", defaultValue = "0",
        description = "Loopback port to listen on; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--access-token", description = "Private-app token to accept (default: a random pat-na1-...).")
    String accessToken;

    @Option(names = "--no-rate-limits", description = "Never answer 429.")
    boolean noRateLimits;

    @Option(names = "--webhook-url", description = "Where to POST signed contact webhooks (flushed every second).")
    String webhookUrl;

    @Option(names = "--webhook-secret", description = "Client secret that signs the webhooks (needed with --webhook-url).")
    String webhookSecret;

    @Override
    public Integer call() {
      HubSpotEmulator.Builder builder = HubSpotEmulator.builder().port(port).rateLimits(!noRateLimits);
      if (accessToken != null) {
        builder.accessToken(accessToken);
      }
      if (webhookUrl != null || webhookSecret != null) {
        if (webhookUrl == null || webhookSecret == null) {
          throw new picocli.CommandLine.ParameterException(spec.commandLine(),
              "--webhook-url and --webhook-secret go together");
        }
        builder.webhooks(webhookUrl, webhookSecret);
      }
      HubSpotEmulator emulator = builder.build();
      // Webhooks go out once a second so a host sees them without calling flush() itself.
      return serveUntilStopped(spec.commandLine().getOut(), "HubSpot emulator", emulator,
          List.of("HubSpot emulator at " + emulator.baseUrl(), "access token " + emulator.accessToken()),
          webhookUrl == null ? null : () -> emulator.webhooks().flush());
    }
  }

  /**
   * {@code crmkit emulator salesforce}: serves {@link SalesforceEmulator} on {@code 127.0.0.1}
   * until interrupted (Ctrl-C), printing its instance URL, access token and org id; with {@code
   * --outbound-url}, outbound messages for the watched object go out once a second.
   */
  @Command(name = "salesforce", mixinStandardHelpOptions = true,
      description = "Serves the Salesforce REST API emulator on 127.0.0.1 until interrupted.")
  public static final class Salesforce implements Callable<Integer> {
    @Spec CommandSpec spec;
    @picocli.CommandLine.Mixin ProgressOptions progressOptions;

    @Option(names = "--port", defaultValue = "0",
        description = "Loopback port to listen on; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--access-token", description = "Session id to accept (default: a random 00D...!AQ... value).")
    String accessToken;

    @Option(names = "--api-version", defaultValue = "v59.0",
        description = "API version written into URLs (default: ${DEFAULT-VALUE}).")
    String apiVersion;

    @Option(names = "--daily-api-limit", defaultValue = "100000",
        description = "API calls allowed per rolling 24 hours before 403 REQUEST_LIMIT_EXCEEDED (default: ${DEFAULT-VALUE}).")
    int dailyApiLimit;

    @Option(names = "--client-id", description = "Connected app consumer key; turns on /services/oauth2/token.")
    String clientId;

    @Option(names = "--client-secret", description = "Connected app consumer secret (needed with --client-id).")
    String clientSecret;

    @Option(names = "--duplicate-rule", description = "Block Contacts whose Email another Contact has (DUPLICATES_DETECTED).")
    boolean duplicateRule;

    @Option(names = "--outbound-url", description = "Where to POST outbound messages (flushed every second).")
    String outboundUrl;

    @Option(names = "--outbound-object", defaultValue = "Contact",
        description = "The object whose creates and updates become outbound messages (default: ${DEFAULT-VALUE}).")
    String outboundObject;

    @Override
    public Integer call() {
      SalesforceEmulator.Builder builder = SalesforceEmulator.builder()
          .port(port)
          .contactEmailDuplicateRule(duplicateRule);
      try {
        builder.apiVersion(apiVersion).dailyApiLimit(dailyApiLimit);
        if (accessToken != null) {
          builder.accessToken(accessToken);
        }
      } catch (IllegalArgumentException e) {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
      if (clientId != null || clientSecret != null) {
        if (clientId == null || clientSecret == null) {
          throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--client-id and --client-secret go together");
        }
        builder.oauthClient(clientId, clientSecret);
      }
      SalesforceEmulator emulator = builder.build();
      if (outboundUrl != null) {
        try {
          emulator.outboundMessages().target(outboundUrl, outboundObject);
        } catch (IllegalArgumentException e) {
          emulator.close();
          throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
      }
      return serveUntilStopped(spec.commandLine().getOut(), "Salesforce emulator", emulator,
          List.of("Salesforce emulator at " + emulator.baseUrl() + " (API " + emulator.apiVersion() + ")",
              "access token " + emulator.accessToken(), "org id " + emulator.orgId()),
          outboundUrl == null ? null : () -> emulator.outboundMessages().flush());
    }
  }

  /**
   * Prints the banner, then serves until the shutdown hook runs or the thread is interrupted,
   * running {@code everySecond} (may be null) once a second; closes the emulator on the way out.
   *
   * @return the exit code, 0
   */
  static int serveUntilStopped(PrintWriter out, String name, AutoCloseable emulator, List<String> banner,
      Runnable everySecond) {
    CountDownLatch stop = new CountDownLatch(1);
    boolean interrupted;
    try (AutoCloseable running = emulator) {
      Thread hook = new Thread(stop::countDown, "crmkit-emulator-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      banner.forEach(out::println);
      out.println("press Ctrl-C to stop");
      out.flush();
      try {
        interrupted = serve(stop, everySecond);
      } finally {
        removeHook(hook);
      }
    } catch (Exception e) {
      throw new IllegalStateException("could not close the " + name, e);
    }
    out.println(name + " stopped");
    out.flush();
    if (interrupted) {
      // Restored only now: closing the server waits for its threads, which an interrupt would cut short.
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  /** @return whether serving ended by an interrupt rather than the shutdown hook */
  private static boolean serve(CountDownLatch stop, Runnable everySecond) {
    try {
      while (!stop.await(1, TimeUnit.SECONDS)) {
        if (everySecond != null) {
          everySecond.run();
        }
      }
      return false;
    } catch (InterruptedException e) {
      return true;
    }
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // The JVM is already exiting; the hook has run.
    }
  }
}
