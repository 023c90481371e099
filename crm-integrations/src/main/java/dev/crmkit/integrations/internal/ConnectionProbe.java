package dev.crmkit.integrations.internal;

import dev.crmkit.Capability;
import dev.crmkit.CustomerQuery;
import dev.crmkit.CustomerSystem;
import dev.crmkit.error.ApiConnectionException;
import dev.crmkit.error.AuthenticationException;
import dev.crmkit.error.ConfigurationException;
import dev.crmkit.error.CrmException;
import dev.crmkit.error.RateLimitedException;
import dev.crmkit.integrations.ConnectionTest;
import dev.crmkit.integrations.ConnectionTest.Failure;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * One cheap authenticated call to an integration's back end, and what its failure means. The call is
 * a one-record search where the system can search, else a one-change read of its change feed, else a
 * lookup of an email no one has. Used by the connection test and by health checks. Thread-safe.
 */
public final class ConnectionProbe {
  /** The email the last-resort probe looks up: the {@code .invalid} TLD never resolves (RFC 2606). */
  static final String NOBODY = "crmkit-connection-test@example.invalid";

  private final Runtime runtime;

  public ConnectionProbe(Runtime runtime) {
    this.runtime = Objects.requireNonNull(runtime, "runtime");
  }

  /** Builds the integration's remote system and makes the call; never throws for a failed call. */
  public ConnectionTest probe(StoredIntegration s) {
    Instant testedAt = runtime.clock().instant();
    long started = System.nanoTime();
    try {
      call(runtime.remote(s));
      return new ConnectionTest(true, null, null, since(started), testedAt);
    } catch (CrmException e) {
      return new ConnectionTest(false, classify(e), Runtime.cut(e.getMessage()), since(started), testedAt);
    }
  }

  private static void call(CustomerSystem system) {
    if (system.supports(Capability.SEARCH)) {
      system.search(CustomerQuery.builder().limit(1).build());
    } else if (system.supports(Capability.CHANGE_FEED)) {
      system.changesSince(null, 1);
    } else {
      system.findByEmail(NOBODY);
    }
  }

  /**
   * What a failure means: 403 or a message about scopes or permissions is {@link Failure#SCOPES}, any
   * other {@link AuthenticationException} (and any other 401) {@link Failure#CREDENTIALS};
   * {@link ApiConnectionException} {@link Failure#NETWORK}; {@link RateLimitedException}
   * {@link Failure#RATE_LIMITED}; {@link ConfigurationException} {@link Failure#CONFIGURATION};
   * everything else (5xx, an unusable answer) {@link Failure#SERVER}.
   */
  public static Failure classify(CrmException e) {
    if (e.httpStatus() == 403 || e instanceof AuthenticationException && mentionsScopes(e.getMessage())) {
      return Failure.SCOPES;
    }
    if (e instanceof AuthenticationException || e.httpStatus() == 401) {
      return Failure.CREDENTIALS;
    }
    if (e instanceof ApiConnectionException) {
      return Failure.NETWORK;
    }
    if (e instanceof RateLimitedException || e.httpStatus() == 429) {
      return Failure.RATE_LIMITED;
    }
    if (e instanceof ConfigurationException) {
      return Failure.CONFIGURATION;
    }
    return Failure.SERVER;
  }

  private static boolean mentionsScopes(String message) {
    String m = message == null ? "" : message.toLowerCase(Locale.ROOT);
    return m.contains("scope") || m.contains("permission");
  }

  private static Duration since(long started) {
    return Duration.ofNanos(Math.max(0, System.nanoTime() - started));
  }
}
