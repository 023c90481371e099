package dev.crmkit.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServeCommandTest {
  private static final Pattern SIGN_IN = Pattern.compile("tenant acme: open (http://127\\.0\\.0\\.1:\\d+)/#token=([A-Za-z0-9_-]+)");

  @TempDir Path dataDir;

  /** A port whose next two are free too: the emulators take port+1 and port+2. */
  private static int freeRun() throws IOException {
    for (int attempt = 0; attempt < 50; attempt++) {
      int port;
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        port = socket.getLocalPort();
      }
      if (port < 65_000 && free(port) && free(port + 1) && free(port + 2)) {
        return port;
      }
    }
    throw new IllegalStateException("no three free ports in a row");
  }

  private static boolean free(int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Test
  void servesTheApiWithPrintedTokensAndEmulatorsKeepsTheTokensAcrossARestartAndStopsOnInterrupt() throws Exception {
    int port = freeRun();
    BackgroundCommand first = BackgroundCommand.start("serve", "--port", Integer.toString(port), "--data-dir", dataDir.toString());

    String printed = first.waitFor("press Ctrl-C");
    assertThat(printed).as(first::err).contains("crmkit integrations server at http://127.0.0.1:" + port,
        "tenant globex: open http://127.0.0.1:" + port + "/#token=",
        "HubSpot emulator at http://127.0.0.1:" + (port + 1),
        "Salesforce emulator at http://127.0.0.1:" + (port + 2));
    assertThat(first.err()).contains("warning: credentials are sealed under a development key", "CRMKIT_KEYS");
    Matcher signIn = SIGN_IN.matcher(printed);
    assertThat(signIn.find()).isTrue();
    String token = signIn.group(2);
    HttpResponse<String> configured = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(signIn.group(1) + "/api/v1/integrations/configured"))
            .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(configured.statusCode()).isEqualTo(200);
    assertThat(configured.body()).contains("\"integrations\":[]", "\"active\":0");
    assertThat(first.stop()).as(first::err).isZero();
    assertThat(first.out()).contains("crmkit server stopped");
    assertThat(free(port)).isTrue();

    BackgroundCommand second = BackgroundCommand.start("serve", "--port", Integer.toString(port), "--data-dir", dataDir.toString());
    assertThat(second.waitFor("press Ctrl-C")).contains("/#token=" + token);
    assertThat(second.stop()).isZero();
  }

  @Test
  void aPortWithoutRoomForTheEmulatorsIsAUsageError() {
    BackgroundCommand run = BackgroundCommand.start("serve", "--port", "65534", "--data-dir", dataDir.toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("port must be 0 to 65533");
  }
}
