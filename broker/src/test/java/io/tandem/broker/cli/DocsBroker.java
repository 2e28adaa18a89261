package io.tandem.broker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.testing.AdminHttp;
import io.tandem.testing.Await;
import io.tandem.testing.ChildProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * A {@code bin/tandem broker} process for a doc's {@code ```session}, and the session run line by
 * line against it: each {@code $ tandem ...} command runs with the broker's configuration and must
 * print what the doc shows, each {@code echo $?} checks the status before it. The admin credentials
 * of the environment are removed, so a session shows exactly what it passes.
 */
final class DocsBroker implements AutoCloseable {
  static final Path HOME = Path.of("..").toAbsolutePath().normalize();

  final Path dir;
  final Path conf;
  final Path log;
  final int adminPort;
  private final ChildProcess broker;

  private DocsBroker(Path dir, int adminPort, ChildProcess broker) {
    this.dir = dir;
    this.conf = dir.resolve("tandem.conf");
    this.log = broker.log();
    this.adminPort = adminPort;
    this.broker = broker;
  }

  /**
   * Starts a broker named orders-broker in {@code dir} (queues and topics: everything) with {@code
   * extraConfig} appended to its tandem.conf, and waits until it serves.
   */
  static DocsBroker start(Path dir, String extraConfig) throws IOException {
    int port = AdminHttp.freePort();
    Files.writeString(dir.resolve("queues.conf"), ">\n");
    Files.writeString(dir.resolve("topics.conf"), ">\n");
    Path conf = dir.resolve("tandem.conf");
    Files.writeString(
        conf,
        "server = orders-broker\nlisten = amqp://127.0.0.1:0\nadmin_listen = http://127.0.0.1:"
            + port
            + "\nstore = store\nqueues = queues.conf\ntopics = topics.conf\n"
            + extraConfig);
    ProcessBuilder pb =
        new ProcessBuilder(
                HOME.resolve("bin/tandem").toString(), "broker", "--config", conf.toString())
            .directory(dir.toFile());
    DocsBroker b = new DocsBroker(dir, port, ChildProcess.start(pb, dir.resolve("broker.log")));
    try {
      Await.until(
          "broker serves (log " + b.log + ")",
          Duration.ofSeconds(60),
          () -> AdminHttp.status(port, "/health") == 200);
    } catch (AssertionError e) {
      b.close();
      throw e;
    }
    return b;
  }

  /**
   * Runs every step of {@code session}; {@code expectedLine} adapts the doc's lines (its URLs) to
   * this broker. After a {@code shutdown} that succeeded the broker must have stopped cleanly.
   *
   * @return the exit status of the last command
   */
  int run(DocSession session, UnaryOperator<String> expectedLine)
      throws IOException, InterruptedException {
    int last = 0;
    for (DocSession.Step step : session.steps()) {
      List<String> expected = step.expected().stream().map(expectedLine).toList();
      if (step.command().equals("echo $?")) {
        assertEquals(expected, List.of(Integer.toString(last)), "exit status before this line");
        continue;
      }
      last = runStep(step.command(), expected);
      if (step.command().split(" ")[1].equals("shutdown") && last == ExitCodes.OK) {
        assertEquals(ExitCodes.OK, broker.awaitExit(Duration.ofSeconds(30)), logText());
      }
    }
    return last;
  }

  private int runStep(String command, List<String> expected)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(Arrays.asList(command.split(" ")));
    cmd.set(0, HOME.resolve("bin/tandem").toString());
    cmd.addAll(List.of("--config", conf.toString()));
    Path out = Files.createTempFile(dir, "step", ".txt");
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(out.toFile());
    pb.environment().remove(AdminCredentials.USER_ENV);
    pb.environment().remove(AdminCredentials.PASSWORD_FILE_ENV);
    Process p = pb.start();
    try {
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), command);
    } finally {
      p.destroyForcibly();
    }
    assertNull(
        DocSession.mismatch(expected, Files.readAllLines(out)),
        command + " printed a different text");
    return p.exitValue();
  }

  boolean isAlive() {
    return broker.isAlive();
  }

  String logText() {
    return broker.logText();
  }

  @Override
  public void close() {
    broker.close();
  }
}
