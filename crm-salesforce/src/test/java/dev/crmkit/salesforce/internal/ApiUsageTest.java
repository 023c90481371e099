package dev.crmkit.salesforce.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmkit.error.RateLimitedException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ApiUsageTest {
  @Test
  void refusesCallsOnceUsageReachesTheLimitMinusTheReserve() {
    ApiUsage usage = new ApiUsage(Clock.fixed(Instant.EPOCH, ZoneOffset.UTC), 10);
    usage.record("api-usage=8999/10000");
    usage.admit();

    usage.record("api-usage=9000/10000; api-bursts=1/750");

    assertThat(usage.used()).isEqualTo(9000);
    assertThatThrownBy(usage::admit).isInstanceOf(RateLimitedException.class)
        .hasMessageContaining("9000 of 10000");
  }

  @Test
  void letsOneCallThroughAfterTheProbeInterval() {
    Instant[] now = {Instant.EPOCH};
    Clock clock = new Clock() {
      @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
      @Override public Clock withZone(java.time.ZoneId zone) { return this; }
      @Override public Instant instant() { return now[0]; }
    };
    ApiUsage usage = new ApiUsage(clock, 10);
    usage.record("api-usage=9500/10000");
    assertThatThrownBy(usage::admit).isInstanceOf(RateLimitedException.class);

    now[0] = now[0].plus(ApiUsage.PROBE_INTERVAL);

    usage.admit();
    assertThatThrownBy(usage::admit).isInstanceOf(RateLimitedException.class);
  }
}
