package io.tandem.pacemaker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * {@code tandem config get} and {@code tandem config health-url} through bin/tandem, as the cluster
 * agents call them: what they print on stdout, what they say on stderr, and their exit status.
 */
class ConfigCommandIT {
  private static final int NOT_SET = 1;
  private static final int CONFIG = 2;

  private Path dir;
  private Path config;

  /** One run: exit status, stdout and stderr apart, since an agent reads only stdout. */
  record Run(int exit, String out, String err) {}

  @BeforeEach
  void files(TestInfo test) throws Exception {
    dir = Commands.workDir("config-command/" + test.getTestMethod().orElseThrow().getName());
    config = dir.resolve("tandem.conf");
  }

  private Run tandem(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Commands.HOME.resolve("bin/tandem").toString());
    command.addAll(List.of(args));
    command.addAll(List.of("--config", config.toString()));
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    Process p =
        new ProcessBuilder(command)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
            .start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new AssertionError(command + " did not finish within 120 s");
    }
    return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  /** The command succeeded and printed {@code line} alone on stdout. */
  private static void assertPrints(String line, Run run) {
    assertEquals(0, run.exit(), run.toString());
    assertEquals(line, run.out(), run.toString());
  }

  private void conf(String text) throws Exception {
    Files.writeString(config, text);
  }

  @Test
  void shouldPrintASetValueAndTheBrokersDefaultForAnUnsetKey() throws Exception {
    conf("server = orders\nmax_msg_memory = 1GB\n");
    assertPrints("orders\n", tandem("config", "get", "server"));
    assertPrints("1GB\n", tandem("config", "get", "max_msg_memory"));
    assertPrints("64MB\n", tandem("config", "get", "max_msg_size"));
    assertPrints("http://127.0.0.1:9672\n", tandem("config", "get", "admin_listen"));
    // a relative path is what the broker resolves it to: against the file's directory
    assertPrints(dir.resolve("store") + "\n", tandem("config", "get", "store"));
  }

  @Test
  void shouldRefuseAnUnknownKeyAndSayWhenAKnownOneIsNotSet() throws Exception {
    conf("server = orders\n");
    Run unknown = tandem("config", "get", "listen_typo");
    assertEquals(CONFIG, unknown.exit(), unknown.toString());
    assertEquals("", unknown.out());
    assertTrue(unknown.err().contains("unknown key 'listen_typo' (known keys: ["), unknown.err());
    Run unset = tandem("config", "get", "users");
    assertEquals(NOT_SET, unset.exit(), unset.toString());
    assertEquals("", unset.out());
    assertTrue(unset.err().contains("users is not set in " + config), unset.err());
  }

  @Test
  void shouldRefuseAnInvalidFileNamingFileAndLine() throws Exception {
    conf("server = orders\n\nlisten_typo = amqp://127.0.0.1:5672\n");
    Run r = tandem("config", "get", "server");
    assertEquals(CONFIG, r.exit(), r.toString());
    assertEquals("", r.out());
    assertTrue(r.err().contains(config + ":3: unknown key 'listen_typo'"), r.err());
    Run url = tandem("config", "health-url");
    assertEquals(CONFIG, url.exit(), url.toString());
    assertTrue(url.err().contains(config + ":3: unknown key 'listen_typo'"), url.err());
  }

  @Test
  void shouldResolveAnIncludedFileAndRefuseAnInvalidOneNamingItsLine() throws Exception {
    Files.createDirectories(dir.resolve("destinations"));
    Path queues = dir.resolve("destinations/queues.conf");
    Files.writeString(queues, ">\norders.> failsafe\n");
    conf("queues = destinations/queues.conf\n");
    assertPrints(queues + "\n", tandem("config", "get", "queues"));
    Files.writeString(queues, ">\norders.> failsafe,no_such_property\n");
    Run bad = tandem("config", "get", "store");
    assertEquals(CONFIG, bad.exit(), bad.toString());
    assertTrue(bad.err().contains(queues + ":2:"), bad.err());
  }

  @Test
  void shouldPrintTheHealthUrlOnLoopbackForAWildcardAdminAddress() throws Exception {
    conf("admin_listen = http://0.0.0.0:19672\n");
    assertPrints("http://127.0.0.1:19672/health\n", tandem("config", "health-url"));
    conf("admin_listen = http://[::]:19672\n");
    assertPrints("http://127.0.0.1:19672/health\n", tandem("config", "health-url"));
    conf("admin_listen = http://127.0.0.2:19672\n");
    assertPrints("http://127.0.0.2:19672/health\n", tandem("config", "health-url"));
    conf("admin_listen = http://127.0.0.1:0\n");
    Run anyPort = tandem("config", "health-url");
    assertEquals(CONFIG, anyPort.exit(), anyPort.toString());
    assertTrue(anyPort.err().contains("has port 0"), anyPort.err());
  }

  @Test
  void shouldPrintAnHttpsHealthUrlWhenTheAdminEndpointServesTls() throws Exception {
    Commands.requireTool("openssl", "openssl");
    Commands.Result made =
        Commands.run(
            List.of(
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-nodes",
                "-keyout",
                dir.resolve("admin-key.pem").toString(),
                "-out",
                dir.resolve("admin-cert.pem").toString(),
                "-days",
                "2",
                "-subj",
                "/CN=localhost"),
            java.util.Map.of(),
            java.time.Duration.ofSeconds(60),
            dir.resolve("openssl.log"));
    assertEquals(0, made.exit(), made.toString());
    conf(
        "admin_listen = https://0.0.0.0:19673\n"
            + "admin_ssl_identity = admin-cert.pem\n"
            + "admin_ssl_key = admin-key.pem\n");
    assertPrints("https://127.0.0.1:19673/health\n", tandem("config", "health-url"));
    assertPrints(
        dir.resolve("admin-cert.pem") + "\n", tandem("config", "get", "admin_ssl_identity"));
  }
}
