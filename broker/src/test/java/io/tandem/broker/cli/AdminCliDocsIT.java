package io.tandem.broker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The session in docs/admin-cli.md, run line by line against a broker process. */
class AdminCliDocsIT {
  private static final String DOC_URL = "http://127.0.0.1:9672";
  @TempDir Path dir;

  @Test
  void shouldPrintWhatTheDocShowsAndStopTheBrokerCleanly() throws Exception {
    try (DocsBroker broker = DocsBroker.start(dir, "")) {
      String url = "http://127.0.0.1:" + broker.adminPort;
      DocSession session = DocSession.read(DocsBroker.HOME.resolve("docs/admin-cli.md"));
      int last = broker.run(session, line -> line.replace(DOC_URL, url));
      assertEquals(ExitCodes.NOT_REACHABLE, last);
    }
  }
}
