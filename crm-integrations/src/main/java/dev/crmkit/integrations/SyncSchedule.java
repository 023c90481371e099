package dev.crmkit.integrations;

import java.time.Duration;
import java.util.Optional;

/** How often an integration's delta sync runs on its own. */
public enum SyncSchedule {
  /** Webhooks as they arrive, with a delta sync every 15 minutes for what they missed. */
  REAL_TIME(Duration.ofMinutes(15)),
  /** A delta sync every hour. */
  HOURLY(Duration.ofHours(1)),
  /** A delta sync every 24 hours. */
  DAILY(Duration.ofDays(1)),
  /** Only when asked ({@link IntegrationService#syncNow}). */
  MANUAL(null);

  private final Duration interval;

  SyncSchedule(Duration interval) {
    this.interval = interval;
  }

  /** The delta sync interval, or empty for {@link #MANUAL}. */
  public Optional<Duration> interval() {
    return Optional.ofNullable(interval);
  }
}
