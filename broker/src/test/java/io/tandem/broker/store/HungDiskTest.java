package io.tandem.broker.store;

import static io.tandem.broker.store.FaultRig.FAILSAFE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.testing.AdminHttp;
import io.tandem.testing.Await;
import io.tandem.testing.ClientHistory;
import io.tandem.testing.ClientLoad;
import io.tandem.testing.JsonTree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A real broker whose disk stops answering ({@link FaultFs#hang}: every operation blocks, as on a
 * hard NFS mount whose server went away) under failsafe producers. Within {@code store_io_timeout}
 * plus one second {@code /health} leaves 200 and says {@code store stalled}, the client connections
 * are closed, and since the operations still do not return the process exits with its STORE_STALLED
 * status by itself. Every acknowledged send survives a restart on a healthy disk.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class HungDiskTest {
  private static final Duration IO_TIMEOUT = Duration.ofSeconds(2);

  @Test
  void shouldStopServingAndExitStalledWhenEveryDiskOperationHangs() throws Exception {
    FaultRig rig =
        FaultRig.create(
            "hung", "store_minimum = 1MB\nstore_io_timeout = " + IO_TIMEOUT.toSeconds() + "\n");
    try (rig) {
      BrokerProcess broker = rig.startOnFaultFs();
      try (ClientLoad load =
          new ClientLoad(ClientLoad.localUri(rig.port), rig.history).messageBytes(1024)) {
        load.producers(FAILSAFE, 2);
        Await.until(
            "acknowledged sends; " + rig.where(),
            Duration.ofSeconds(60),
            () -> rig.history.ackedCount() >= 100);
        assertEquals(200, AdminHttp.status(rig.adminPort, "/health"), rig.where());

        rig.fs.hang();
        rig.fs.await("hung", 1, Duration.ofSeconds(10));
        long hungAt = System.nanoTime();
        Duration bound = IO_TIMEOUT.plusSeconds(1);
        Await.until(
            "/health leaves 200 within store_io_timeout + 1 s; " + rig.where(),
            bound,
            () -> AdminHttp.status(rig.adminPort, "/health") != 200);
        long left = System.nanoTime() - hungAt;
        JsonTree health = AdminHttp.local(rig.adminPort).get("/health").json();
        assertEquals(
            "stalled", health.string("status"), "/health says " + health + "; " + rig.where());
        assertTrue(
            health.string("reason").startsWith("store stalled"),
            "/health says " + health + "; " + rig.where());
        Await.until(
            "client connections closed; " + rig.where(),
            Duration.ofSeconds(10),
            () -> load.alive() == 0);

        Await.until(
            "the broker exits by itself while the disk still hangs; " + rig.where(),
            Duration.ofSeconds(60),
            () -> exiting(broker.pid()));
        rig.fs.release();
        assertEquals(storeStalledStatus(), broker.awaitExit(Duration.ofSeconds(30)), rig.where());
        System.out.println(
            "hung disk: /health left 200 after "
                + TimeUnit.NANOSECONDS.toMillis(left)
                + " ms (store_io_timeout "
                + IO_TIMEOUT.toMillis()
                + " ms)");
      }
      rig.restartOnBacking();
      ClientHistory history = rig.drainAndStop();
      assertEquals(Set.of(), history.missing(FAILSAFE), "acknowledged sends lost; " + rig.where());
      assertEquals(List.of(), history.violations(), rig.where());
    }
    rig.passed();
  }

  /**
   * Whether the process has called exit: a thread blocked in a FUSE request cannot die before the
   * request returns, so a broker that exits on a hung disk cannot be reaped yet; but its main
   * thread is then a zombie ({@code Z} in {@code /proc/PID/stat}) while those threads wait.
   */
  private static boolean exiting(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
    } catch (IOException e) {
      return true; // gone
    }
  }

  /** The status the broker exits with on a stalled store ({@code ExitCodes.STORE_STALLED}). */
  private static int storeStalledStatus() {
    try {
      return Class.forName("io.tandem.broker.cli.ExitCodes").getField("STORE_STALLED").getInt(null);
    } catch (ReflectiveOperationException e) {
      return 9; // the status the watchdog's design gives it
    }
  }
}
