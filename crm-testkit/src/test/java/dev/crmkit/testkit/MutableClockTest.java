package dev.crmkit.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class MutableClockTest {
  private static final Instant START = Instant.parse("2025-01-01T00:00:00Z");

  @Test
  void theClockStandsStillUntilAdvancedOrSet() {
    MutableClock clock = new MutableClock(START);
    assertThat(clock.instant()).isEqualTo(START);
    assertThat(clock.millis()).isEqualTo(START.toEpochMilli());
    assertThat(clock.advance(Duration.ofMillis(5))).isEqualTo(START.plusMillis(5));
    assertThat(clock.instant()).isEqualTo(START.plusMillis(5));
    clock.set(START.minusSeconds(1));
    assertThat(clock.instant()).isEqualTo(START.minusSeconds(1));
  }

  @Test
  void advancingBackwardsIsRejectedNamingAmount() {
    MutableClock clock = new MutableClock(START);
    assertThatThrownBy(() -> clock.advance(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("amount must be zero or more")
        .hasMessageEndingWith(": PT-1S");
    assertThatThrownBy(() -> clock.advance(null)).isInstanceOf(NullPointerException.class).hasMessage("amount");
    assertThat(clock.instant()).isEqualTo(START);
  }

  @Test
  void theClockIsUtcAndRefusesAnotherZone() {
    MutableClock clock = new MutableClock(START);
    assertThat(clock.getZone()).isEqualTo(ZoneOffset.UTC);
    assertThat(clock.withZone(ZoneOffset.UTC)).isSameAs(clock);
    assertThatThrownBy(() -> clock.withZone(ZoneId.of("Europe/Paris"))).isInstanceOf(UnsupportedOperationException.class);
  }
}
