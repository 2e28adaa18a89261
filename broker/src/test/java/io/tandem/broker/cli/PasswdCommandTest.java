package io.tandem.broker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.broker.TestBroker;
import jakarta.jms.Connection;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code tandem passwd} as docs/security.md shows it: {@code printf 's3cret\n' | bin/tandem passwd
 * --user alice --iterations 4096 >> users.conf}, and a broker that accepts the result.
 */
class PasswdCommandTest {
  @TempDir Path dir;

  private static String passwd(String stdin, String... args) {
    InputStream saved = System.in;
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    try {
      System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
      CommandLine cli = new CommandLine(new TandemCommand());
      cli.setOut(new PrintWriter(out));
      cli.setErr(new PrintWriter(err));
      String[] all = new String[args.length + 1];
      all[0] = "passwd";
      System.arraycopy(args, 0, all, 1, args.length);
      int code = cli.execute(all);
      return code + "\n" + out + err;
    } finally {
      System.setIn(saved);
    }
  }

  @Test
  void shouldPrintAStoredFormThatABrokerAccepts() throws Exception {
    String result = passwd("s3cret\n", "--user", "alice", "--iterations", "4096");
    String[] lines = result.split("\n");
    assertEquals("0", lines[0], result);
    assertTrue(lines[1].startsWith("alice:{scram}4096$"), result);
    assertTrue(!lines[1].contains("s3cret"), "the password is not printed");
    Files.writeString(dir.resolve("users.conf"), lines[1] + "\n");
    try (TestBroker broker =
        TestBroker.start(
            dir,
            "authorization = enabled",
            "users = users.conf",
            "allow_plain_without_tls = enabled")) {
      for (String mech : new String[] {"SCRAM-SHA-256", "SCRAM-SHA-512", "PLAIN"}) {
        try (Connection c =
            broker.factory("amqp.saslMechanisms=" + mech).createConnection("alice", "s3cret")) {
          c.start();
        }
      }
    }
  }

  @Test
  void shouldRefuseAnEmptyPasswordAndTooFewIterations() {
    assertTrue(passwd("\n").startsWith("2\n"), "empty password");
    String few = passwd("x\n", "--iterations", "100");
    assertTrue(few.startsWith("2\n") && few.contains("--iterations must be between"), few);
    String plain = passwd("s3cret\r\n");
    assertTrue(plain.startsWith("0\n{scram}16384$"), "default iterations, CRLF stripped: " + plain);
  }
}
