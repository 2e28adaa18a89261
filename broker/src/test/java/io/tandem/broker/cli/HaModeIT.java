package io.tandem.broker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.testing.AdminHttp;
import io.tandem.testing.Await;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tandem store fence} and {@code tandem broker --mode ha --epoch N} as an activator (the OCF
 * agent, the VCS agent, ha-agent) drives them, plus the standalone broker's store lock.
 */
class HaModeIT {
  @TempDir Path dir;
  private TandemProcesses tandem;

  @BeforeEach
  void processes() {
    tandem = new TandemProcesses(dir);
  }

  @AfterEach
  void kill() throws Exception {
    tandem.close();
  }

  private Process start(Path log, String... args) throws IOException {
    return tandem.start(log, args);
  }

  private String run(String... args) throws Exception {
    Path log = Files.createTempFile(dir, "cmd", ".log");
    Process p = start(log, args);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", args));
    String out = Files.readString(log).strip();
    assertEquals(0, p.exitValue(), out);
    return out;
  }

  private Path config(String name, Path store, int admin) throws IOException {
    Path conf = dir.resolve(name + ".conf");
    Files.writeString(
        conf,
        "server = "
            + name
            + "\nlisten = amqp://127.0.0.1:0\nadmin_listen = http://127.0.0.1:"
            + admin
            + "\nstore = "
            + store
            + "\n");
    return conf;
  }

  @Test
  void shouldServeOnlyAtTheFencedEpochAndExitAsFencedWhenTheFenceMoves() throws Exception {
    Path store = dir.resolve("store");
    assertEquals("1", run("store", "fence", store.toString(), "--raise"));
    int admin = AdminHttp.freePort();
    Path conf = config("ha", store, admin);

    Path wrongLog = dir.resolve("wrong.log");
    Process wrong = start(wrongLog, "broker", "--config", conf.toString(), "--mode", "ha");
    assertTrue(wrong.waitFor(30, TimeUnit.SECONDS));
    assertEquals(ExitCodes.CONFIG, wrong.exitValue(), Files.readString(wrongLog));

    Path staleLog = dir.resolve("stale.log");
    Process stale =
        start(staleLog, "broker", "--config", conf.toString(), "--mode", "ha", "--epoch", "2");
    assertTrue(stale.waitFor(30, TimeUnit.SECONDS));
    String staleOut = Files.readString(staleLog);
    assertEquals(ExitCodes.FENCED, stale.exitValue(), staleOut);
    assertTrue(staleOut.contains("FENCED: store " + store + " is fenced at epoch 1"), staleOut);

    Path log = dir.resolve("broker.log");
    Process broker =
        start(log, "broker", "--config", conf.toString(), "--mode", "ha", "--epoch", "1");
    Await.until(
        "ha broker at epoch 1 answers /health 200 (log " + log + ")",
        Duration.ofSeconds(30),
        () -> AdminHttp.status(admin, "/health") == 200);

    assertEquals("2", run("store", "fence", store.toString(), "--raise"));
    assertTrue(broker.waitFor(30, TimeUnit.SECONDS), "an idle broker notices the moved fence");
    String out = Files.readString(log);
    assertEquals(ExitCodes.FENCED, broker.exitValue(), out);
    assertTrue(out.contains("FENCED: store fence moved from 1 to 2"), out);
  }

  @Test
  void shouldRefuseAnEpochBelowTheFence() throws Exception {
    Path store = dir.resolve("store");
    assertEquals("7", run("store", "fence", store.toString(), "--epoch", "7"));
    Path log = dir.resolve("lower.log");
    Process p = start(log, "store", "fence", store.toString(), "--epoch", "6");
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(ExitCodes.FENCED, p.exitValue(), Files.readString(log));
    assertEquals("7", run("store", "fence", store.toString()));
  }

  @Test
  void shouldRefuseASecondStandaloneBrokerOnALockedStore() throws Exception {
    Path store = dir.resolve("store");
    int adminA = AdminHttp.freePort();
    Path logA = dir.resolve("a.log");
    start(logA, "broker", "--config", config("a", store, adminA).toString());
    Await.until(
        "first broker answers /health 200 (log " + logA + ")",
        Duration.ofSeconds(30),
        () -> AdminHttp.status(adminA, "/health") == 200);

    Path logB = dir.resolve("b.log");
    Process b =
        start(logB, "broker", "--config", config("b", store, AdminHttp.freePort()).toString());
    assertTrue(b.waitFor(30, TimeUnit.SECONDS));
    String out = Files.readString(logB);
    assertEquals(ExitCodes.STORE_LOCKED, b.exitValue(), out);
    assertTrue(out.contains("is locked by another process (held by pid"), out);
    assertEquals(200, AdminHttp.status(adminA, "/health"), "the first broker keeps serving");
  }
}
