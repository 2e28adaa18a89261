package io.tandem.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import org.junit.jupiter.api.Test;

class RestartBudgetTest {
  private Instant now = Instant.parse("2026-01-01T00:00:00Z");
  private final InstantSource clock = () -> now;

  @Test
  void shouldRefuseARestartBeyondTheMaximumWithinTheWindow() {
    RestartBudget budget = new RestartBudget(2, Duration.ofMinutes(10), clock);
    assertTrue(budget.tryRestart());
    now = now.plusSeconds(60);
    assertTrue(budget.tryRestart());
    now = now.plusSeconds(60);
    assertFalse(budget.tryRestart());
    assertEquals(2, budget.used());
  }

  @Test
  void shouldForgetRestartsOnceTheyLeaveTheWindow() {
    RestartBudget budget = new RestartBudget(1, Duration.ofMinutes(10), clock);
    assertTrue(budget.tryRestart());
    now = now.plus(Duration.ofMinutes(10));
    assertEquals(0, budget.used());
    assertTrue(budget.tryRestart());
  }

  @Test
  void shouldNeverRestartWithAMaximumOfZero() {
    assertFalse(new RestartBudget(0, Duration.ofMinutes(10), clock).tryRestart());
  }
}
