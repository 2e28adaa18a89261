package io.tandem.broker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.broker.tls.TestPki;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code tandem config check}: what it reports of a valid configuration, and what it refuses. */
class ConfigCheckTest {
  @TempDir Path dir;

  record Run(int exit, String out, String err) {}

  private Run check(String conf) throws Exception {
    Path file = Files.writeString(dir.resolve("tandem.conf"), conf);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new TandemCommand());
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute("config", "check", "--config", file.toString());
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void shouldReportTheConfigurationEveryFileItNamesAndTheStore() throws Exception {
    Files.writeString(dir.resolve("queues.conf"), ">\n");
    Files.writeString(dir.resolve("topics.conf"), ">\n");
    Files.createDirectory(dir.resolve("store"));
    Run r = check("server = orders\nstore = store\nqueues = queues.conf\ntopics = topics.conf\n");
    assertEquals(0, r.exit(), r.toString());
    String user = System.getProperty("user.name");
    assertEquals(
        "configuration "
            + dir.resolve("tandem.conf")
            + ": valid\nqueues "
            + dir.resolve("queues.conf")
            + ": valid\ntopics "
            + dir.resolve("topics.conf")
            + ": valid\nstore "
            + dir.resolve("store")
            + ": a directory user "
            + user
            + " can read and write\n",
        r.out().replace(System.lineSeparator(), "\n"));
    assertEquals("", r.err());
  }

  @Test
  void shouldSayAMissingStoreIsCreatedByAStandaloneBroker() throws Exception {
    Run r = check("store = var/store\n");
    assertEquals(0, r.exit(), r.toString());
    assertTrue(
        r.out().contains("store " + dir.resolve("var/store") + ": not there yet;")
            && r.out().contains(" creates it in " + dir + " (ha mode needs it to exist)"),
        r.out());
  }

  @Test
  void shouldRefuseAStoreThatIsNoDirectoryAtItsLine() throws Exception {
    Files.writeString(dir.resolve("store"), "not a directory");
    Run r = check("server = orders\nstore = store\n");
    assertEquals(ExitCodes.CONFIG, r.exit(), r.toString());
    assertEquals("", r.out());
    assertEquals(
        "tandem config check: "
            + dir.resolve("tandem.conf")
            + ":2: store "
            + dir.resolve("store")
            + " is not a directory\n",
        r.err().replace(System.lineSeparator(), "\n"));
  }

  @Test
  void shouldRefuseABadQueuesFileWithItsFileAndLine() throws Exception {
    Files.writeString(dir.resolve("queues.conf"), ">\norders  maxbytes=lots\n");
    Run r = check("queues = queues.conf\n");
    assertEquals(ExitCodes.CONFIG, r.exit(), r.toString());
    assertTrue(r.err().contains(dir.resolve("queues.conf") + ":2: "), r.err());
  }

  @Test
  void shouldLoadTheCertificatesAndRefuseOneThatIsNoCertificate() throws Exception {
    TestPki.Issued server = TestPki.create(dir, "ca").issue("server");
    String tls =
        "listen = amqps://127.0.0.1:0\nssl_server_identity = "
            + server.cert()
            + "\nssl_server_key = "
            + server.key()
            + "\n";
    Run ok = check(tls);
    assertEquals(0, ok.exit(), ok.toString());
    assertTrue(
        ok.out().contains("TLS of the amqps listeners: identity " + server.cert() + ", key "),
        ok.out());
    Files.writeString(server.cert(), "-----BEGIN CERTIFICATE-----\nbroken\n");
    Run broken = check(tls);
    assertEquals(ExitCodes.CONFIG, broken.exit(), broken.toString());
    assertTrue(broken.err().contains(server.cert().toString()), broken.err());
  }
}
