package dev.crmkit.examples.cli;

import dev.crmkit.examples.server.ServeEnvironment;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code crmkit serve}: the example integrations server with the HubSpot and Salesforce emulators,
 * on an H2 file database under {@code --data-dir}, until interrupted (Ctrl-C). Prints each demo
 * tenant's sign-in URL and what to paste into the forms.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = {"Serves the integrations pages and REST API on 127.0.0.1 with the HubSpot and Salesforce "
        + "emulators attached, until interrupted.",
        "Credentials are sealed under the key ring in CRMKIT_KEYS, or a development key kept in the data directory."})
public final class ServeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @picocli.CommandLine.Mixin ProgressOptions progressOptions;

  @Option(names = "--port", defaultValue = "8080",
      description = "Loopback port of the server; the HubSpot emulator takes port+1, Salesforce port+2; "
          + "0 picks free ones (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--data-dir", defaultValue = "crmkit-data",
      description = "Directory of the H2 database and the development secrets (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Override
  public Integer call() {
    ServeEnvironment.Builder builder = ServeEnvironment.builder().dataDir(dataDir).seedCustomers(true);
    try {
      builder.port(port);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    ServeEnvironment environment = builder.start();
    PrintWriter out = spec.commandLine().getOut();
    environment.warnings().forEach(w -> spec.commandLine().getErr().println("warning: " + w));
    spec.commandLine().getErr().flush();
    // The emulators' webhooks and outbound messages go out once a second, as a vendor's would.
    return EmulatorCommand.serveUntilStopped(out, "crmkit server", environment, banner(environment),
        environment::flushWebhooks);
  }

  static List<String> banner(ServeEnvironment e) {
    List<String> lines = new ArrayList<>();
    lines.add("crmkit integrations server at " + e.server().url());
    e.tokens().forEach((tenant, token) -> {
      lines.add("  tenant " + tenant + ": open " + e.signInUrl(tenant));
      lines.add("    (API: Authorization: Bearer " + token + ")");
    });
    lines.add("HubSpot emulator at " + e.hubspot().baseUrl());
    lines.add("  paste as baseUrl: " + e.hubspot().baseUrl() + "   access token (API key): " + e.hubspot().accessToken());
    lines.add("  OAuth app: clientId " + e.hubspotClientId() + "   clientSecret " + e.hubspotClientSecret()
        + " (also signs its webhooks)");
    lines.add("Salesforce emulator at " + e.salesforce().baseUrl() + " (org " + e.salesforce().orgId() + ")");
    lines.add("  paste as instanceUrl and loginUrl: " + e.salesforce().baseUrl());
    lines.add("  connected app: clientId " + e.salesforceClientId() + "   clientSecret " + e.salesforceClientSecret());
    lines.add("  access token (instead of OAuth): " + e.salesforce().accessToken());
    return lines;
  }
}
