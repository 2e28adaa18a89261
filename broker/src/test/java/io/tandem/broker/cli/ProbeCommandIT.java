package io.tandem.broker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.testing.AdminHttp;
import io.tandem.testing.Await;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tandem probe} against a real broker process, as the cluster agents' deep monitor. */
class ProbeCommandIT {
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

  /** Runs the probe; its exit status, with its output kept in {@code log}. */
  private int probe(Path log, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("probe"));
    cmd.addAll(List.of(args));
    Process p = start(log, cmd.toArray(String[]::new));
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "probe finished");
    return p.exitValue();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void shouldPassAgainstAServingBrokerAndFailOnceItStopped() throws Exception {
    int amqp = freePort();
    int admin = freePort();
    Files.writeString(dir.resolve("queues.conf"), "tandem.probe\norders.>\n");
    Path conf = dir.resolve("tandem.conf");
    Files.writeString(
        conf,
        "listen = amqp://0.0.0.0:"
            + amqp
            + "\nadmin_listen = http://127.0.0.1:"
            + admin
            + "\nstore = store\nqueues = queues.conf\n");
    Path brokerLog = dir.resolve("broker.log");
    Process broker = start(brokerLog, "broker", "--config", conf.toString());
    Await.until(
        "broker answers /health 200 (log " + brokerLog + ")",
        Duration.ofSeconds(30),
        () -> AdminHttp.status(admin, "/health") == 200);

    Path ok = dir.resolve("ok.log");
    assertEquals(ExitCodes.OK, probe(ok, "--config", conf.toString()), Files.readString(ok));
    assertTrue(Files.readString(ok).contains("probe ok"), Files.readString(ok));
    Path again = dir.resolve("again.log");
    assertEquals(ExitCodes.OK, probe(again, "--config", conf.toString()), Files.readString(again));

    Path refused = dir.resolve("refused.log");
    assertEquals(
        ExitCodes.FAILURE,
        probe(refused, "--config", conf.toString(), "--queue", "not.allowed"),
        Files.readString(refused));
    assertTrue(Files.readString(refused).contains("amqp:not-found"), Files.readString(refused));

    broker.destroy();
    assertTrue(broker.waitFor(30, TimeUnit.SECONDS));
    Path down = dir.resolve("down.log");
    assertEquals(
        ExitCodes.FAILURE,
        probe(down, "--config", conf.toString(), "--timeout", "2"),
        Files.readString(down));
  }

  @Test
  void shouldRefuseAConfigurationItCannotLoad() throws Exception {
    Path conf = dir.resolve("bad.conf");
    Files.writeString(conf, "listen_typo = amqp://127.0.0.1:1\n");
    Path log = dir.resolve("bad.log");
    assertEquals(ExitCodes.CONFIG, probe(log, "--config", conf.toString()), Files.readString(log));
  }
}
