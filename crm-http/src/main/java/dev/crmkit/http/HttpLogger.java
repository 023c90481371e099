package dev.crmkit.http;

import org.slf4j.LoggerFactory;

/**
 * Receives one line per request attempt and per response. Lines never contain header values of
 * credentials, tokens, query values that look secret, or bodies.
 *
 * <p>Implementations must be thread-safe.
 */
@FunctionalInterface
public interface HttpLogger {
  /** @param line one redacted log line; never {@code null} */
  void log(String line);

  /** Logs at DEBUG on the SLF4J logger {@code dev.crmkit.http}: the default. */
  static HttpLogger slf4j() {
    org.slf4j.Logger logger = LoggerFactory.getLogger("dev.crmkit.http");
    return logger::debug;
  }
}
