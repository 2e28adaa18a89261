package io.tandem.broker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.broker.AdminHttp;
import io.tandem.broker.security.StoredPassword;
import io.tandem.testing.Await;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The session of docs/security.md's admin endpoint section, run line by line against a broker
 * process that loads the groups and acl files the section shows.
 */
class AdminSecurityDocsIT {
  private static final Path HOME = Path.of("..").toAbsolutePath().normalize();
  private static final Path DOC = HOME.resolve("docs/security.md");
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

  /** The lines of the doc's {@code ```tag} block. */
  private static String block(String tag) throws IOException {
    String text = Files.readString(DOC);
    int start = text.indexOf("```" + tag + "\n");
    assertTrue(start >= 0, "no ```" + tag + " block in " + DOC);
    start += tag.length() + 4;
    return text.substring(start, text.indexOf("```", start));
  }

  private void writeSecurityFiles() throws IOException {
    StringBuilder users = new StringBuilder();
    for (String user : List.of("admin", "ops", "viewer")) {
      String password = user + "-password";
      users
          .append(user)
          .append(':')
          .append(StoredPassword.derive(password.toCharArray(), 4096, new SecureRandom()).encode())
          .append('\n');
      Files.writeString(dir.resolve(user + ".pw"), password + "\n");
    }
    Files.writeString(dir.resolve("users.conf"), users);
    Files.writeString(dir.resolve("groups.conf"), block("groups-admin"));
    Files.writeString(dir.resolve("acl.conf"), block("acl-admin"));
  }

  @Test
  void shouldRunTheDocumentedSessionWithCredentialsAndPermissions() throws Exception {
    int port = freePort();
    writeSecurityFiles();
    Files.writeString(dir.resolve("queues.conf"), ">\n");
    Files.writeString(dir.resolve("topics.conf"), ">\n");
    Path conf = dir.resolve("tandem.conf");
    Files.writeString(
        conf,
        "server = orders-broker\nlisten = amqp://127.0.0.1:0\nadmin_listen = http://127.0.0.1:"
            + port
            + "\nstore = store\nqueues = queues.conf\ntopics = topics.conf\n"
            + "users = users.conf\ngroups = groups.conf\nacl_list = acl.conf\n");
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
    for (DocSession.Step step : DocSession.read(DOC).steps()) {
      if (step.command().equals("echo $?")) {
        assertEquals(step.expected(), List.of(Integer.toString(last)), "exit status");
        continue;
      }
      List<String> cmd = new ArrayList<>(Arrays.asList(step.command().split(" ")));
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
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), step.command());
      last = p.exitValue();
      assertNull(
          DocSession.mismatch(step.expected(), Files.readAllLines(out)),
          step.command() + " printed a different text");
    }
    assertTrue(broker.waitFor(30, TimeUnit.SECONDS), "broker still running after shutdown");
    assertEquals(ExitCodes.OK, broker.exitValue(), Files.readString(log));
    String logged = Files.readString(log);
    assertTrue(
        logged.contains("shutdown requested through the admin endpoint by user 'admin'"), logged);
    assertTrue(!logged.contains("-password"), "a password in the log");
  }
}
