package dev.crmkit.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmkit.examples.Crmkit;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class EmulatorCommandTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  @Test
  void servesTheHubSpotEmulatorOnTheGivenPortWithTheGivenTokenUntilInterrupted() throws Exception {
    int port = freePort();
    BackgroundCommand emulator = BackgroundCommand.start("emulator", "hubspot", "--port", Integer.toString(port),
        "--access-token", "pat-na1-cli", "--no-rate-limits");

    String printed = emulator.waitFor("press Ctrl-C");
    assertThat(printed).contains("HubSpot emulator at http://127.0.0.1:" + port, "access token pat-na1-cli");
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/crm/v3/objects/contacts"))
            .header("Authorization", "Bearer pat-na1-cli").build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("\"results\":[]");
    assertThat(response.headers().firstValue("X-HubSpot-RateLimit-Remaining")).contains("100");

    assertThat(emulator.stop()).as(emulator::err).isZero();
    assertThat(emulator.out()).contains("HubSpot emulator stopped");
    try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      assertThat(again.getLocalPort()).isEqualTo(port);
    }
  }

  @Test
  void aWebhookUrlWithoutASecretIsAUsageError() {
    CommandLine cli = Crmkit.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));

    int code = cli.execute("emulator", "hubspot", "--webhook-url", "http://127.0.0.1:9/hook");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("--webhook-secret");
  }

  @Test
  void servesTheSalesforceEmulatorWithItsLimitHeaderUntilInterrupted() throws Exception {
    int port = freePort();
    BackgroundCommand emulator = BackgroundCommand.start("emulator", "salesforce", "--port", Integer.toString(port),
        "--access-token", "00Dcli!token", "--daily-api-limit", "7");

    String printed = emulator.waitFor("press Ctrl-C");
    assertThat(printed).contains("Salesforce emulator at http://127.0.0.1:" + port + " (API v59.0)",
        "access token 00Dcli!token", "org id 00D");
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/services/data/v59.0/query?q=SELECT+Id+FROM+Contact"))
            .header("Authorization", "Bearer 00Dcli!token").build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("\"totalSize\":0");
    assertThat(response.headers().firstValue("Sforce-Limit-Info")).contains("api-usage=1/7");

    assertThat(emulator.stop()).as(emulator::err).isZero();
    assertThat(emulator.out()).contains("Salesforce emulator stopped");
  }

  @Test
  void aClientIdWithoutASecretOrABadVersionIsAUsageError() {
    CommandLine cli = Crmkit.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));

    assertThat(cli.execute("emulator", "salesforce", "--client-id", "3MVG9")).isEqualTo(2);
    assertThat(err.toString()).contains("--client-secret");
    assertThat(cli.execute("emulator", "salesforce", "--api-version", "59")).isEqualTo(2);
    assertThat(err.toString()).contains("apiVersion");
  }
}
