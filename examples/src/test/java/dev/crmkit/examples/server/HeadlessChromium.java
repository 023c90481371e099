package dev.crmkit.examples.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's {@code chromium} driven through its {@code chromedriver}, both named by path so Selenium
 * Manager never runs (it would look for, and download, a browser and driver over the network).
 * Headless, with a fresh profile and Chromium's own background traffic (updates, sync, field
 * trials) switched off. Without the binaries the calling test is skipped with a message, unless
 * {@code CRMKIT_REQUIRE_BROWSER=true} (CI), where that is a failure.
 */
final class HeadlessChromium implements AutoCloseable {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final Path SCREENSHOTS = Path.of("target", "screenshots");
  /** chromedriver's log: where to look when the browser does not start. */
  static final Path DRIVER_LOG = Path.of("target", "chromedriver.log");
  private static final Duration WAIT = Duration.ofSeconds(20);

  private final ChromeDriverService service;
  private final ChromeDriver driver;
  private final Path profile;

  private HeadlessChromium(ChromeDriverService service, ChromeDriver driver, Path profile) {
    this.service = service;
    this.driver = driver;
    this.profile = profile;
  }

  /** Starts the browser, or skips the test (fails it under CRMKIT_REQUIRE_BROWSER=true) when it is not installed. */
  static HeadlessChromium start() throws IOException {
    checkInstalled(CHROMIUM, CHROMEDRIVER, "true".equals(System.getenv("CRMKIT_REQUIRE_BROWSER")));
    Path profile = Files.createTempDirectory("crmkit-chromium-");
    Files.createDirectories(DRIVER_LOG.getParent());
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort()
        .withLogFile(DRIVER_LOG.toFile())
        .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--no-first-run", "--no-default-browser-check",
        "--disable-component-update", "--disable-sync", "--disable-quic", "--disable-features=Translate,MediaRouter",
        "--metrics-recording-only", "--window-size=1280,1000", "--user-data-dir=" + profile);
    try {
      return new HeadlessChromium(service, new ChromeDriver(service, options), profile);
    } catch (RuntimeException e) {
      service.stop();
      delete(profile);
      throw e;
    }
  }

  /**
   * Returns when both binaries are executable; otherwise aborts the calling test (a skip, with the
   * packages to install), or throws {@link IllegalStateException} when {@code required}.
   */
  static void checkInstalled(Path chromium, Path chromedriver, boolean required) {
    if (Files.isExecutable(chromium) && Files.isExecutable(chromedriver)) {
      return;
    }
    String missing = chromium + " and " + chromedriver + " (Debian packages chromium and chromium-driver)";
    if (required) {
      throw new IllegalStateException("the browser test needs " + missing + " (CRMKIT_REQUIRE_BROWSER=true)");
    }
    Assumptions.abort("the browser test needs " + missing + "; skipping it");
  }

  ChromeDriver driver() {
    return driver;
  }

  WebDriverWait waiting() {
    return new WebDriverWait(driver, WAIT);
  }

  /** Saves the whole viewport as {@code target/screenshots/<name>.png}. */
  Path screenshot(String name) throws IOException {
    Files.createDirectories(SCREENSHOTS);
    Path target = SCREENSHOTS.resolve(name + ".png");
    Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), target, StandardCopyOption.REPLACE_EXISTING);
    return target;
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      service.stop();
      delete(profile);
    }
  }

  private static void delete(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
