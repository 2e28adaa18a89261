package io.tandem.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.testing.FakeClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RoleMachineTest {

  // The diagram in Role's Javadoc, written out once more so that a change of the table is seen.
  private static final Map<Role, Set<Role>> ALLOWED =
      Map.of(
          Role.STARTING,
              EnumSet.of(
                  Role.ACTIVE,
                  Role.BACKUP,
                  Role.ACTIVATING,
                  Role.STALLED,
                  Role.STOPPING,
                  Role.STOPPED),
          Role.BACKUP, EnumSet.of(Role.ACTIVATING, Role.STALLED, Role.STOPPING, Role.STOPPED),
          Role.ACTIVATING,
              EnumSet.of(Role.ACTIVE, Role.BACKUP, Role.STALLED, Role.STOPPING, Role.STOPPED),
          Role.ACTIVE, EnumSet.of(Role.FENCED, Role.STALLED, Role.STOPPING),
          Role.FENCED, EnumSet.of(Role.STOPPED),
          Role.STALLED, EnumSet.of(Role.STOPPED),
          Role.STOPPING, EnumSet.of(Role.STALLED, Role.STOPPED),
          Role.STOPPED, EnumSet.noneOf(Role.class));

  // A machine walked to `role` along allowed moves.
  private static RoleMachine at(Role role, FakeClock clock) {
    RoleMachine m = new RoleMachine(clock);
    List<Role> path =
        switch (role) {
          case STARTING -> List.of();
          case BACKUP -> List.of(Role.BACKUP);
          case ACTIVATING -> List.of(Role.ACTIVATING);
          case ACTIVE -> List.of(Role.ACTIVE);
          case FENCED -> List.of(Role.ACTIVE, Role.FENCED);
          case STALLED -> List.of(Role.STALLED);
          case STOPPING -> List.of(Role.STOPPING);
          case STOPPED -> List.of(Role.STOPPED);
        };
    for (Role r : path) {
      assertTrue(m.transition(r, "setup"));
    }
    assertEquals(role, m.role());
    return m;
  }

  @Test
  void shouldAllowExactlyTheMovesOfTheDiagramAndRefuseOrIgnoreEveryOther() {
    FakeClock clock = new FakeClock();
    List<String> checked = new ArrayList<>();
    for (Role from : Role.values()) {
      assertEquals(ALLOWED.get(from), from.next(), "table of " + from);
      for (Role to : Role.values()) {
        RoleMachine m = at(from, clock);
        if (from == to) {
          assertFalse(m.transition(to, "again"), from + " -> itself is no move");
        } else if (ALLOWED.get(from).contains(to)) {
          assertTrue(m.transition(to, "test"), from + " -> " + to);
          assertEquals(to, m.role());
        } else if (from.ending()) {
          assertFalse(m.transition(to, "late"), from + " -> " + to + " is ignored");
          assertEquals(from, m.role());
        } else {
          BrokerException e =
              assertThrows(BrokerException.class, () -> m.transition(to, "test"), from + "->" + to);
          assertEquals(BrokerException.Category.ILLEGAL_STATE, e.category());
          assertTrue(e.getMessage().contains(from.label() + " may not move to " + to.label()));
          assertEquals(from, m.role());
        }
        checked.add(from + "->" + to);
      }
    }
    assertEquals(Role.values().length * Role.values().length, checked.size());
  }

  @Test
  void shouldStampEachMoveWithTheClocksWallTime() {
    FakeClock clock = new FakeClock();
    RoleMachine m = new RoleMachine(clock);
    assertEquals(clock.wallTime(), m.since());
    clock.advance(Duration.ofSeconds(5));
    m.transition(Role.BACKUP, "the peer holds the lock");
    assertEquals(clock.wallTime(), m.since());
    assertEquals("the peer holds the lock", m.reason());
    assertEquals(1L, m.entered().get(Role.BACKUP));
  }

  @Test
  void shouldTakeAnActivationThatMetAPrimaryAgainBackToBackup() {
    RoleMachine m = new RoleMachine(new FakeClock());
    m.transition(Role.BACKUP, "the store lock is held");
    m.transition(Role.ACTIVATING, "no heartbeat");
    assertTrue(m.transition(Role.BACKUP, "paired with primary at epoch 3"));
    assertEquals(Role.BACKUP, m.role());
  }
}
