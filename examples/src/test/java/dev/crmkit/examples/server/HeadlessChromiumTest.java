package dev.crmkit.examples.server;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

class HeadlessChromiumTest {
  @TempDir Path dir;

  @Test
  void aMissingBrowserSkipsTheBrowserTestNamingThePackagesToInstall() {
    assertThatThrownBy(() -> HeadlessChromium.checkInstalled(dir.resolve("chromium"), dir.resolve("chromedriver"), false))
        .isInstanceOf(TestAbortedException.class)
        .hasMessageContaining("chromium and chromium-driver")
        .hasMessageEndingWith("skipping it");
  }

  @Test
  void aMissingBrowserFailsTheBrowserTestWhenCiRequiresIt() {
    assertThatThrownBy(() -> HeadlessChromium.checkInstalled(dir.resolve("chromium"), dir.resolve("chromedriver"), true))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(dir.resolve("chromium").toString())
        .hasMessageContaining("CRMKIT_REQUIRE_BROWSER=true");
  }

  @Test
  void aDriverWithoutItsBrowserIsStillMissing() throws Exception {
    Path driver = executable("chromedriver");
    assertThatThrownBy(() -> HeadlessChromium.checkInstalled(dir.resolve("chromium"), driver, true))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void executableBrowserAndDriverPass() throws Exception {
    Path chromium = executable("chromium");
    Path driver = executable("chromedriver");
    assertThatCode(() -> HeadlessChromium.checkInstalled(chromium, driver, true)).doesNotThrowAnyException();
  }

  private Path executable(String name) throws Exception {
    return Files.createFile(dir.resolve(name), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
  }
}
