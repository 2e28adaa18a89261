package io.tandem.broker.amqp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.broker.TestBroker;
import io.tandem.broker.TestUsers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A client that opens without SASL (Python Proton with sasl_enabled=False). */
class NoSaslTest {
  @TempDir Path dir;

  private static String run(TestBroker broker) throws Exception {
    Process p =
        new ProcessBuilder(
                "/usr/bin/python3",
                "src/test/python/proton_no_sasl.py",
                "127.0.0.1:" + broker.amqpPort())
            .redirectErrorStream(true)
            .start();
    try {
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "python client finished");
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      String[] lines = out.strip().split("\n");
      return lines[lines.length - 1];
    } finally {
      p.destroyForcibly();
    }
  }

  private static void assumePython() throws Exception {
    Process p = new ProcessBuilder("/usr/bin/python3", "-c", "import proton").start();
    Assumptions.assumeTrue(
        p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "python3-qpid-proton missing");
  }

  @Test
  void shouldAcceptAClientWithoutSaslWhenAnonymousWouldBe() throws Exception {
    assumePython();
    try (TestBroker broker = TestBroker.start(dir)) {
      assertEquals("opened", run(broker));
    }
  }

  @Test
  void shouldRefuseAClientWithoutSaslWithAnAmqpErrorWhenUsersMustAuthenticate() throws Exception {
    assumePython();
    TestUsers.write(dir.resolve("users.conf"), "alice", "s3cret");
    try (TestBroker broker =
        TestBroker.start(dir, "authorization = enabled", "users = users.conf")) {
      String result = run(broker);
      assertTrue(
          result.startsWith("refused amqp:unauthorized-access: authentication required"), result);
    }
  }
}
