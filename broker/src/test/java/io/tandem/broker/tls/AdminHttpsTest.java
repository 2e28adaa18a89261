package io.tandem.broker.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.broker.cli.ExitCodes;
import io.tandem.broker.cli.TandemCommand;
import io.tandem.broker.config.ConfigLoader;
import io.tandem.broker.server.Broker;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The admin endpoint over {@code https://}, called by {@code tandem status} with and without CA.
 */
class AdminHttpsTest {
  @TempDir Path dir;
  Broker broker;

  @AfterEach
  void stop() {
    if (broker != null) {
      broker.close();
    }
  }

  private record Run(int exit, String out, String err) {}

  private static Run tandem(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd = new CommandLine(new TandemCommand());
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    return new Run(cmd.execute(args), out.toString(), err.toString());
  }

  @Test
  void shouldServeHttpsAdminToTheCliThatTrustsItsCa() throws Exception {
    TestPki pki = TestPki.create(dir, "ca");
    pki.issue("server");
    TestPki adminPki = TestPki.create(dir.resolve("admin"), "admin");
    adminPki.issue("admin", "admin", List.of("127.0.0.1"), Instant.now(), 1);
    Path conf = dir.resolve("tandem.conf");
    Files.writeString(
        conf,
        "server = https\nstore = store\nlisten = amqps://127.0.0.1:0\n"
            + "ssl_server_identity = server.pem\nssl_server_key = server.key\n"
            + "admin_listen = https://127.0.0.1:0\n"
            + "admin_ssl_identity = admin/admin.pem\nadmin_ssl_key = admin/admin.key\n");
    broker = Broker.inMemory(ConfigLoader.load(conf)).start();
    String url = "https://127.0.0.1:" + broker.adminEndpoint().port();
    assertEquals("https", broker.adminEndpoint().scheme());

    Run ok = tandem("status", "--url", url, "--cacert", adminPki.caFile().toString());
    assertEquals(0, ok.exit(), ok.err());
    assertTrue(ok.out().contains("active"), ok.out());

    Run wrongCa = tandem("status", "--url", url, "--cacert", pki.caFile().toString());
    assertEquals(ExitCodes.NOT_REACHABLE, wrongCa.exit(), wrongCa.out());

    Run jdkCas = tandem("status", "--url", url);
    assertEquals(ExitCodes.NOT_REACHABLE, jdkCas.exit(), jdkCas.out());
  }
}
