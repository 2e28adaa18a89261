package io.tandem.broker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.broker.config.ConfigLoader;
import io.tandem.testing.DocBlocks;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The example of docs/migrating-from-ems.md: its EMS files converted by {@code tandem config
 * import-ems} give the report and the files the page shows, and the exit statuses it lists.
 */
class MigratingFromEmsDocsTest {
  private static final Path DOC = Path.of("../docs/migrating-from-ems.md");
  private static final Map<String, String> EMS_FILES =
      Map.of(
          "ems-tibemsd", "tibemsd.conf",
          "ems-queues", "queues.conf",
          "ems-topics", "topics.conf",
          "ems-users", "users.conf",
          "ems-groups", "groups.conf",
          "ems-acl", "acl.conf");

  @TempDir Path dir;

  /** One run: its exit status, stdout and stderr, the temporary directory shown as the doc's. */
  record Run(int exit, String out, String err) {}

  private Run tandem(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new TandemCommand());
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args);
    String prefix = dir + "/";
    return new Run(code, out.toString().replace(prefix, ""), err.toString().replace(prefix, ""));
  }

  private String written(String name) throws Exception {
    return Files.readString(dir.resolve("tandem").resolve(name)).replace(dir + "/", "");
  }

  @Test
  void shouldReportAndWriteWhatThePageShows() throws Exception {
    Path ems = Files.createDirectories(dir.resolve("ems"));
    for (Map.Entry<String, String> e : EMS_FILES.entrySet()) {
      Files.writeString(ems.resolve(e.getValue()), DocBlocks.only(DOC, e.getKey()));
    }
    Run r =
        tandem("config", "import-ems", ems.toString(), "--out", dir.resolve("tandem").toString());
    assertEquals(ConfigCommand.ImportEms.NOT_ALL_MAPPED, r.exit(), r.toString());
    assertEquals(DocBlocks.only(DOC, "ems-report"), r.err());
    assertEquals(DocBlocks.only(DOC, "conf-from-ems"), written("tandem.conf"));
    assertEquals(DocBlocks.only(DOC, "queues-from-ems"), written("queues.conf"));
    assertTrue(r.out().contains("the configuration loads"), r.out());
    ConfigLoader.load(dir.resolve("tandem/tandem.conf"));
  }

  @Test
  void shouldExitZeroWhenEveryLineMapped() throws Exception {
    Path ems = Files.createDirectories(dir.resolve("ems"));
    Files.writeString(
        ems.resolve("tibemsd.conf"), "server = A\nlisten = tcp://7222\nqueues = q.conf\n");
    Files.writeString(ems.resolve("q.conf"), "orders  failsafe\n");
    Run r =
        tandem("config", "import-ems", ems.toString(), "--out", dir.resolve("tandem").toString());
    assertEquals(new Run(0, r.out(), ""), r);
    assertTrue(
        r.out().startsWith("wrote tandem.conf, queues.conf in tandem\nevery line mapped"), r.out());
    Run check = tandem("config", "check", "--config", dir.resolve("tandem/tandem.conf").toString());
    assertEquals(ExitCodes.OK, check.exit(), check.toString());
  }

  @Test
  void shouldExitTwoWithoutWritingWhenTheDirectoryCannotBeConverted() throws Exception {
    Run none =
        tandem(
            "config",
            "import-ems",
            dir.resolve("none").toString(),
            "--out",
            dir.resolve("tandem").toString());
    assertEquals(
        new Run(ExitCodes.CONFIG, "", "tandem config import-ems: none: not a directory\n"), none);
    Path ems = Files.createDirectories(dir.resolve("ems"));
    Files.writeString(ems.resolve("tibemsd.conf"), "server = A\n");
    Files.createDirectories(dir.resolve("tandem"));
    Files.writeString(dir.resolve("tandem/tandem.conf"), "server = B\n");
    Run exists =
        tandem("config", "import-ems", ems.toString(), "--out", dir.resolve("tandem").toString());
    assertEquals(ExitCodes.CONFIG, exists.exit(), exists.toString());
    assertTrue(exists.err().contains("tandem/tandem.conf: exists already"), exists.err());
    assertEquals("server = B\n", written("tandem.conf"));
  }
}
