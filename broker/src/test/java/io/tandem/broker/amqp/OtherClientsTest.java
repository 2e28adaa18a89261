package io.tandem.broker.amqp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.broker.TestBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plain send/receive with a non-JMS AMQP 1.0 client: Python Qpid Proton. */
class OtherClientsTest {
  @TempDir Path dir;

  private static boolean pythonProtonAvailable() throws Exception {
    Process p =
        new ProcessBuilder("/usr/bin/python3", "-c", "import proton")
            .redirectErrorStream(true)
            .start();
    try {
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } finally {
      p.destroyForcibly();
    }
  }

  private static void requirePythonProton() throws Exception {
    boolean available = pythonProtonAvailable();
    if (System.getenv("CI") == null) {
      Assumptions.assumeTrue(available, "python3-qpid-proton is not installed");
    }
    assertTrue(available, "CI installs python3-qpid-proton; it is missing");
  }

  private static String run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try {
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "python client finished");
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(0, p.exitValue(), out);
      return out;
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void shouldRefuseAnInvalidSelectorWithInvalidField() throws Exception {
    requirePythonProton();
    try (TestBroker broker = TestBroker.start(dir)) {
      String out =
          run(
              "/usr/bin/python3",
              "src/test/python/proton_bad_selector.py",
              "127.0.0.1:" + broker.amqpPort(),
              "sel.q");
      assertTrue(out.contains("invalid selector"), out);
      assertEquals(200, broker.get("/health").status());
    }
  }

  @Test
  void shouldServePythonQpidProton() throws Exception {
    requirePythonProton();
    try (TestBroker broker = TestBroker.start(dir)) {
      for (String address : new String[] {"python.queue", "topic://python.topic"}) {
        Process p =
            new ProcessBuilder(
                    "/usr/bin/python3",
                    "src/test/python/proton_send_receive.py",
                    "127.0.0.1:" + broker.amqpPort(),
                    address,
                    "50")
                .redirectErrorStream(true)
                .start();
        try {
          assertTrue(p.waitFor(60, TimeUnit.SECONDS), "python client finished");
          String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
          assertEquals(0, p.exitValue(), out);
          assertTrue(out.contains("received 50"), out);
        } finally {
          p.destroyForcibly();
        }
      }
    }
  }
}
