package io.tandem.broker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.broker.AdminHttp;
import io.tandem.testing.Await;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The session in docs/admin-cli.md, run line by line against a broker process. */
class AdminCliDocsIT {
  private static final Path HOME = Path.of("..").toAbsolutePath().normalize();
  private static final String DOC_URL = "http://127.0.0.1:9672";
  @TempDir Path dir;
  private Process broker;

  @AfterEach
  void kill() throws InterruptedException {
    if (broker != null && broker.isAlive()) {
      broker.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void shouldPrintWhatTheDocShowsAndStopTheBrokerCleanly() throws Exception {
    int port = freePort();
    Files.writeString(dir.resolve("queues.conf"), ">\n");
    Files.writeString(dir.resolve("topics.conf"), ">\n");
    Path conf = dir.resolve("tandem.conf");
    Files.writeString(
        conf,
        "server = orders-broker\nlisten = amqp://127.0.0.1:0\nadmin_listen = http://127.0.0.1:"
            + port
            + "\nstore = store\nqueues = queues.conf\ntopics = topics.conf\n");
    Path log = dir.resolve("broker.log");
    broker =
        new ProcessBuilder(
                HOME.resolve("bin/tandem").toString(), "broker", "--config", conf.toString())
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    Await.until(
        "broker serves (log " + log + ")",
        Duration.ofSeconds(60),
        () -> AdminHttp.status(port, "/health") == 200);

    int last = 0;
    for (DocSession.Step step : DocSession.read(HOME.resolve("docs/admin-cli.md")).steps()) {
      List<String> expected =
          step.expected().stream()
              .map(l -> l.replace(DOC_URL, "http://127.0.0.1:" + port))
              .toList();
      if (step.command().equals("echo $?")) {
        assertEquals(expected, List.of(Integer.toString(last)), "exit status before this line");
        continue;
      }
      List<String> cmd = new ArrayList<>(Arrays.asList(step.command().split(" ")));
      cmd.set(0, HOME.resolve("bin/tandem").toString());
      cmd.addAll(List.of("--config", conf.toString()));
      Path out = Files.createTempFile(dir, "step", ".txt");
      Process p =
          new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), step.command());
      last = p.exitValue();
      assertNull(
          DocSession.mismatch(expected, Files.readAllLines(out)),
          step.command() + " printed a different text");
      if (step.command().endsWith(" shutdown")) {
        assertTrue(broker.waitFor(30, TimeUnit.SECONDS), "broker still running after shutdown");
        assertEquals(ExitCodes.OK, broker.exitValue(), Files.readString(log));
      }
    }
    assertEquals(ExitCodes.NOT_REACHABLE, last);
  }
}
