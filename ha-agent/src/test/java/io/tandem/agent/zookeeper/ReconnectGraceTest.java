package io.tandem.agent.zookeeper;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.junit.jupiter.api.Test;

// The grace driven by a hand-turned timer: nothing here sleeps.
class ReconnectGraceTest {

  // Holds scheduled tasks until the test fires them.
  private static final class ManualTimer implements Timer {
    final List<Runnable> due = new ArrayList<>();
    final List<Duration> delays = new ArrayList<>();

    @Override
    public Scheduled schedule(Runnable task, Duration delay) {
      due.add(task);
      delays.add(delay);
      return () -> due.remove(task);
    }

    void fireAll() {
      new ArrayList<>(due).forEach(Runnable::run);
      due.clear();
    }
  }

  private final ManualTimer timer = new ManualTimer();
  private final List<ConnectionState> heard = new ArrayList<>();
  private final ConnectionStateListener listener =
      new ReconnectGrace(Duration.ofMillis(1500), timer).wrap((c, s) -> heard.add(s));

  @Test
  void shouldDropASuspensionThatEndsWithinTheGrace() {
    listener.stateChanged(null, ConnectionState.SUSPENDED);
    listener.stateChanged(null, ConnectionState.RECONNECTED);
    timer.fireAll();

    assertEquals(List.of(), heard, "a move to another server is not a suspicion");
    assertEquals(List.of(Duration.ofMillis(1500)), timer.delays);
  }

  @Test
  void shouldDeliverSuspendedWhenTheGraceRunsOutAndTheReconnectionAfterIt() {
    listener.stateChanged(null, ConnectionState.SUSPENDED);
    timer.fireAll();
    listener.stateChanged(null, ConnectionState.RECONNECTED);

    assertEquals(List.of(ConnectionState.SUSPENDED, ConnectionState.RECONNECTED), heard);
  }

  @Test
  void shouldPassLostThroughAtOnceAndCallTheGraceOff() {
    listener.stateChanged(null, ConnectionState.SUSPENDED);
    listener.stateChanged(null, ConnectionState.LOST);
    timer.fireAll();

    assertEquals(List.of(ConnectionState.LOST), heard);
  }

  @Test
  void shouldPassTheFirstConnectionThrough() {
    listener.stateChanged(null, ConnectionState.CONNECTED);

    assertEquals(List.of(ConnectionState.CONNECTED), heard);
  }
}
