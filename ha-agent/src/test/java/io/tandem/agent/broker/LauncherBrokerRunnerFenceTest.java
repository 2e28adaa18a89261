package io.tandem.agent.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.agent.AgentException;
import io.tandem.agent.Standby;
import io.tandem.lock.StoreFence;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/*
 * The agent writes the fence in its own process: the launcher path given here does not exist, so
 * any attempt to run "tandem store fence" would fail these tests.
 */
class LauncherBrokerRunnerFenceTest {
  @TempDir Path dir;

  private LauncherBrokerRunner runner(Path store) {
    return new LauncherBrokerRunner(
        dir.resolve("no-such-launcher/tandem"),
        dir.resolve("tandem.conf"),
        store,
        URI.create("http://127.0.0.1:1/health"),
        dir.resolve("broker.log"),
        dir.resolve("broker.pid"),
        Duration.ofSeconds(1),
        Duration.ofSeconds(1),
        Standby.COLD);
  }

  @Test
  void shouldWriteTheLocksEpochToTheFence() throws Exception {
    Path store = Files.createDirectories(dir.resolve("store"));

    assertEquals(5, runner(store).fence(5));
    assertEquals(5, StoreFence.read(store));
  }

  @Test
  void shouldRaisePastAGreaterEpochAndSayWhichTheBrokerMustUse() throws Exception {
    Path store = Files.createDirectories(dir.resolve("store"));
    StoreFence.raise(store, 40);

    assertEquals(41, runner(store).fence(6));
    assertEquals(41, StoreFence.read(store));
  }

  @Test
  void shouldRefuseAStoreDirectoryThatIsNotThere() {
    AgentException e =
        assertThrows(AgentException.class, () -> runner(dir.resolve("unmounted")).fence(1));

    assertEquals(AgentException.Category.BROKER, e.category());
    assertTrue(e.getMessage().contains("is it mounted?"), e.getMessage());
  }

  @Test
  void shouldFailAsABrokerErrorOnAFenceThatHoldsNoEpoch() throws Exception {
    Path store = Files.createDirectories(dir.resolve("store"));
    Files.writeString(store.resolve(StoreFence.FILE), "not an epoch\n");

    AgentException e = assertThrows(AgentException.class, () -> runner(store).fence(3));

    assertEquals(AgentException.Category.BROKER, e.category());
    assertTrue(e.getMessage().contains("does not hold an epoch"), e.getMessage());
  }
}
