package dev.crmkit.examples.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmkit.error.ConfigurationException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServeEnvironmentTest {
  @TempDir Path dataDir;

  private ServeEnvironment.Builder builder(Map<String, String> environment) {
    return ServeEnvironment.builder().port(0).dataDir(dataDir).environment(environment)
        .jdbcUrl("jdbc:h2:mem:serve-env-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
  }

  @Test
  void keysFromCrmkitKeysSealCredentialsWithoutAWarningAndNoDevelopmentKeyIsWritten() throws Exception {
    String key = Base64.getEncoder().encodeToString(new byte[32]);

    try (ServeEnvironment env = builder(Map.of("CRMKIT_KEYS", "k2026:" + key)).tenants(List.of("solo")).start()) {
      assertThat(env.warnings()).isEmpty();
      assertThat(env.tokens()).containsOnlyKeys("solo");
      assertThat(env.signInUrl("solo")).isEqualTo(env.server().url() + "/#token=" + env.tokens().get("solo"));
    }
    assertThat(Files.readString(dataDir.resolve(ServeSecrets.FILE))).doesNotContain("credentialKey");
  }

  @Test
  void aMalformedCrmkitKeysStopsTheStartNamingTheVariableButNotTheKey() {
    String shortKey = Base64.getEncoder().encodeToString(new byte[16]);

    assertThatThrownBy(() -> builder(Map.of("CRMKIT_KEYS", "k1:" + shortKey)).start())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("CRMKIT_KEYS")
        .hasMessageNotContaining(shortKey);
  }

  @Test
  void withoutCrmkitKeysADevelopmentKeyIsKeptOwnerOnlyAndWarnedAbout() throws Exception {
    try (ServeEnvironment env = builder(Map.of()).start()) {
      assertThat(env.warnings()).singleElement().asString().contains("development key", "CRMKIT_KEYS");
      assertThat(env.tokens()).containsOnlyKeys(ServeEnvironment.DEMO_TENANTS);
    }
    Path secrets = dataDir.resolve(ServeSecrets.FILE);
    assertThat(Files.readString(secrets)).contains("credentialKey.dev=", "token.acme=", "token.globex=");
    if (Files.getFileAttributeView(secrets, PosixFileAttributeView.class) != null) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secrets))).isEqualTo("rw-------");
    }
  }
}
