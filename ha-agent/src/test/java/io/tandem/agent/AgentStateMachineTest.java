package io.tandem.agent;

import static io.tandem.agent.AgentState.ACTIVE;
import static io.tandem.agent.AgentState.FENCING;
import static io.tandem.agent.AgentState.HOLDING_OFF;
import static io.tandem.agent.AgentState.MOUNTING;
import static io.tandem.agent.AgentState.STARTING;
import static io.tandem.agent.AgentState.STOPPED;
import static io.tandem.agent.AgentState.STOPPING;
import static io.tandem.agent.AgentState.UNMOUNTING;
import static io.tandem.agent.AgentState.WAITING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AgentStateMachineTest {

  // The diagram in AgentState's Javadoc, written out once more so that a change of the table shows.
  private static final Map<AgentState, Set<AgentState>> ALLOWED =
      Map.of(
          STOPPED, EnumSet.of(WAITING, HOLDING_OFF, STOPPED),
          WAITING, EnumSet.of(MOUNTING, HOLDING_OFF, STOPPED),
          HOLDING_OFF, EnumSet.of(WAITING, STOPPED),
          MOUNTING, EnumSet.of(FENCING, UNMOUNTING, WAITING, HOLDING_OFF, STOPPED),
          FENCING, EnumSet.of(STARTING, UNMOUNTING, STOPPED),
          STARTING, EnumSet.of(STARTING, ACTIVE, STOPPING, UNMOUNTING, STOPPED),
          ACTIVE, EnumSet.of(STOPPING, STOPPED),
          STOPPING, EnumSet.of(STARTING, UNMOUNTING, STOPPED),
          UNMOUNTING, EnumSet.of(WAITING, HOLDING_OFF, STOPPED));

  // How the cycle reaches each state from a new agent's STOPPED.
  private static final Map<AgentState, List<AgentState>> PATHS =
      Map.of(
          STOPPED, List.of(),
          WAITING, List.of(WAITING),
          HOLDING_OFF, List.of(HOLDING_OFF),
          MOUNTING, List.of(WAITING, MOUNTING),
          FENCING, List.of(WAITING, MOUNTING, FENCING),
          STARTING, List.of(WAITING, MOUNTING, FENCING, STARTING),
          ACTIVE, List.of(WAITING, MOUNTING, FENCING, STARTING, ACTIVE),
          STOPPING, List.of(WAITING, MOUNTING, FENCING, STARTING, ACTIVE, STOPPING),
          UNMOUNTING, List.of(WAITING, MOUNTING, FENCING, STARTING, ACTIVE, STOPPING, UNMOUNTING));

  private static AgentStateMachine at(AgentState state) {
    AgentStateMachine m = new AgentStateMachine("alpha", () -> Instant.EPOCH);
    PATHS.get(state).forEach(s -> m.moveTo(s, "setup"));
    assertEquals(state, m.state());
    return m;
  }

  @Test
  void shouldAllowExactlyTheMovesOfTheDiagramAndRefuseEveryOther() {
    List<String> checked = new ArrayList<>();
    for (AgentState from : AgentState.values()) {
      assertEquals(ALLOWED.get(from), from.next(), "table of " + from);
      for (AgentState to : AgentState.values()) {
        AgentStateMachine m = at(from);
        List<AgentStatus> published = new ArrayList<>();
        m.addListener(published::add);
        if (ALLOWED.get(from).contains(to)) {
          m.moveTo(to, "test");
          assertEquals(to, m.state(), from + " -> " + to);
          assertEquals(1, published.size(), "a move is published");
        } else {
          AgentException e =
              assertThrows(AgentException.class, () -> m.moveTo(to, "test"), from + " -> " + to);
          assertEquals(AgentException.Category.STATE, e.category());
          assertTrue(e.getMessage().contains(from + " may not move to " + to), e.getMessage());
          assertEquals(from, m.state(), "a refused move changes nothing");
          assertTrue(published.isEmpty(), "a refused move is not published");
        }
        checked.add(from + "->" + to);
      }
    }
    assertEquals(AgentState.values().length * AgentState.values().length, checked.size());
  }
}
