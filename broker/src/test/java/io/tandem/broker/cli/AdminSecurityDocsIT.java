package io.tandem.broker.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.broker.security.StoredPassword;
import io.tandem.testing.DocBlocks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The session of docs/security.md's admin endpoint section, run line by line against a broker
 * process that loads the groups and acl files the section shows.
 */
class AdminSecurityDocsIT {
  private static final Path DOC = DocsBroker.HOME.resolve("docs/security.md");
  @TempDir Path dir;

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
    Files.writeString(dir.resolve("groups.conf"), DocBlocks.only(DOC, "groups-admin"));
    Files.writeString(dir.resolve("acl.conf"), DocBlocks.only(DOC, "acl-admin"));
  }

  @Test
  void shouldRunTheDocumentedSessionWithCredentialsAndPermissions() throws Exception {
    writeSecurityFiles();
    try (DocsBroker broker =
        DocsBroker.start(dir, "users = users.conf\ngroups = groups.conf\nacl_list = acl.conf\n")) {
      broker.run(DocSession.read(DOC), line -> line);
      assertFalse(broker.isAlive(), "broker still running after the session's shutdown");
      String logged = broker.logText();
      assertTrue(
          logged.contains("shutdown requested through the admin endpoint by user 'admin'"), logged);
      assertTrue(!logged.contains("-password"), "a password in the log");
    }
  }
}
