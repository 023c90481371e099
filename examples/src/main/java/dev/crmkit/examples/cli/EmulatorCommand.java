package dev.crmkit.examples.cli;

import dev.crmkit.testkit.hubspot.HubSpotEmulator;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
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
    subcommands = {EmulatorCommand.HubSpot.class})
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

    private final CountDownLatch stop = new CountDownLatch(1);

    @Override
    public Integer call() throws Exception {
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
      PrintWriter out = spec.commandLine().getOut();
      boolean interrupted;
      try (HubSpotEmulator emulator = builder.build()) {
        Thread hook = new Thread(stop::countDown, "crmkit-emulator-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        out.println("HubSpot emulator at " + emulator.baseUrl());
        out.println("access token " + emulator.accessToken());
        out.println("press Ctrl-C to stop");
        out.flush();
        try {
          interrupted = serve(emulator);
        } finally {
          removeHook(hook);
        }
      }
      out.println("HubSpot emulator stopped");
      out.flush();
      if (interrupted) {
        // Restored only now: closing the server waits for its threads, which an interrupt would cut short.
        Thread.currentThread().interrupt();
      }
      return 0;
    }

    /** @return whether serving ended by an interrupt rather than the shutdown hook */
    private boolean serve(HubSpotEmulator emulator) {
      try {
        // Webhooks go out once a second so a host sees them without calling flush() itself.
        while (!stop.await(1, java.util.concurrent.TimeUnit.SECONDS)) {
          if (webhookUrl != null) {
            emulator.webhooks().flush();
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
}
