package io.tandem.broker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code tandem config} in process: the answers the cluster agents read, and the exit status file
 * they read after a broker ended. bin/tandem itself is run by pacemaker-resource's ConfigCommandIT.
 */
class ConfigCommandTest {
  @TempDir Path dir;

  /** One run: its exit status, stdout and stderr. */
  record Run(int exit, String out, String err) {}

  private Run tandem(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new TandemCommand());
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  private String conf(String text) throws Exception {
    return Files.writeString(dir.resolve("tandem.conf"), text).toString();
  }

  @Test
  void shouldPrintTheDefaultTheBrokerAppliesToAnUnsetKey() throws Exception {
    String file = conf("server = orders\n");
    assertEquals(
        new Run(0, "512MB\n", ""), tandem("config", "get", "max_msg_memory", "--config", file));
    assertEquals(
        new Run(0, "10\n", ""), tandem("config", "get", "store_io_timeout", "--config", file));
    assertEquals(
        new Run(0, dir.resolve("store") + "\n", ""),
        tandem("config", "get", "store", "--config", file));
  }

  @Test
  void shouldSayAKeyTheBrokerDoesNotReadHereIsNotSet() throws Exception {
    String file = conf("server = orders\n");
    Run r = tandem("config", "get", "ft_heartbeat", "--config", file);
    assertEquals(ConfigCommand.NOT_SET, r.exit(), r.toString());
    assertEquals("", r.out());
    assertTrue(r.err().contains("ft_heartbeat is not set in "), r.err());
  }

  @Test
  void shouldRefuseAnUnknownKeyAndAnInvalidFileWithTheConfigStatus() throws Exception {
    String file = conf("server = orders\nstore_io_timeout = soon\n");
    Run unknown = tandem("config", "get", "no_such_key", "--config", file);
    assertEquals(ExitCodes.CONFIG, unknown.exit(), unknown.toString());
    assertTrue(unknown.err().contains("unknown key 'no_such_key'"), unknown.err());
    Run invalid = tandem("config", "get", "server", "--config", file);
    assertEquals(ExitCodes.CONFIG, invalid.exit(), invalid.toString());
    assertEquals("", invalid.out());
    assertTrue(invalid.err().startsWith("tandem config get: " + file + ":2: "), invalid.err());
  }

  @Test
  void shouldAskAWildcardAdminAddressOnLoopbackWithItsScheme() throws Exception {
    String file = conf("admin_listen = http://0.0.0.0:9672\n");
    assertEquals(
        new Run(0, "http://127.0.0.1:9672/health\n", ""),
        tandem("config", "health-url", "--config", file));
    file = conf("admin_listen = http://[::]:9672\n");
    assertEquals(
        new Run(0, "http://127.0.0.1:9672/health\n", ""),
        tandem("config", "health-url", "--config", file));
    file = conf("admin_listen = http://[fe80::1]:9672\n");
    assertEquals(
        new Run(0, "http://[fe80::1]:9672/health\n", ""),
        tandem("config", "health-url", "--config", file));
  }

  @Test
  void shouldRecordTheExitStatusWithItsNameAndReason() throws Exception {
    Path file = dir.resolve("broker.exit");
    ExitStatusFile.use(file);
    try {
      ExitStatusFile.record(ExitCodes.FENCED, "FENCED: store fence moved from 2 to 3\nstopping");
      assertEquals(
          "3 FENCED FENCED: store fence moved from 2 to 3 stopping\n", Files.readString(file));
      ExitStatusFile.record(ExitCodes.OK, "broker stopped");
      assertEquals("0 OK broker stopped\n", Files.readString(file), "replaced, not appended");
    } finally {
      ExitStatusFile.use(null);
    }
    assertEquals("STORE_STALLED", ExitStatusFile.name(ExitCodes.STORE_STALLED));
    assertEquals("UNKNOWN", ExitStatusFile.name(42));
  }
}
