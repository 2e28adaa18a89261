package io.tandem.broker.amqp;

import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tandem.broker.TestBroker;
import jakarta.jms.Connection;
import jakarta.jms.JMSSecurityException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SaslTest {
  @TempDir Path dir;

  @Test
  void shouldAcceptAnonymousAndAnyPlainUserWithoutUsersFile() throws Exception {
    try (TestBroker broker = TestBroker.start(dir)) {
      broker.connect().close();
      try (Connection c = broker.factory("").createConnection("anyone", "anything")) {
        c.start();
      }
    }
  }

  @Test
  void shouldCheckPlainCredentialsAgainstTheUsersFile() throws Exception {
    Files.writeString(
        dir.resolve("users"),
        "# name:password\nalice:secret\nbob:{sha256}2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b\n");
    try (TestBroker broker = TestBroker.start(dir, "users = users")) {
      try (Connection c = broker.factory("").createConnection("alice", "secret")) {
        c.start();
      }
      try (Connection c = broker.factory("").createConnection("bob", "secret")) {
        c.start();
      }
      assertThrows(
          JMSSecurityException.class,
          () -> broker.factory("").createConnection("alice", "wrong").start());
      assertThrows(
          JMSSecurityException.class,
          () -> broker.factory("").createConnection("mallory", "secret").start());
      assertThrows(JMSSecurityException.class, () -> broker.factory("").createConnection().start());
    }
  }
}
