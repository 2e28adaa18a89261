package io.tandem.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.testing.AdminHttp;
import io.tandem.testing.Await;
import io.tandem.testing.ChildProcess;
import io.tandem.testing.DocBlocks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The archive as an operator unpacks it: its layout, and its launchers run through symlinks. */
class ArchiveIT {
  private static Path work;
  private static Path unpacked;

  @BeforeAll
  static void unpack() throws IOException {
    Path archive = Path.of(System.getProperty("tandem.archive"));
    assertTrue(Files.isRegularFile(archive), archive + " is built by mvn package");
    work = Shell.workDir("archive");
    Shell.ok(List.of("tar", "-xzf", archive.toString(), "-C", work.toString()), Map.of(), null);
    unpacked = work.resolve("tandem-" + Shell.VERSION);
  }

  @Test
  void shouldHoldEverythingAnOperatorInstalls() throws IOException {
    for (String executable :
        List.of(
            "bin/tandem",
            "bin/ha-agent",
            "ocf/resource.d/tandem/broker",
            "vcs/Tandem/online",
            "vcs/Tandem/offline",
            "vcs/Tandem/monitor",
            "vcs/Tandem/clean",
            "vcs/Tandem/tandem-vcs.sh")) {
      assertTrue(Files.isExecutable(unpacked.resolve(executable)), executable + " is executable");
    }
    for (String file :
        List.of(
            "lib/tandem-broker-" + Shell.VERSION + ".jar",
            "lib/tandem-ha-agent-" + Shell.VERSION + ".jar",
            "lib/picocli-4.7.7.jar",
            "libexec/tandem-agent-lib.sh",
            "conf/tandem.conf",
            "conf/queues.conf",
            "conf/topics.conf",
            "conf/examples/ft-pair/mq1.conf",
            "conf/examples/ft-pair/mq2.conf",
            "conf/examples/ha/agent.conf",
            "conf/grafana/tandem-dashboard.json",
            "vcs/TandemTypes.cf",
            "vcs/main.cf",
            "completion/tandem",
            "completion/ha-agent",
            "systemd/tandem.service",
            "systemd/tandem-ha-agent.service",
            "docs/installing.md",
            "docs/ha-agent.md",
            "README.md")) {
      assertTrue(Files.isRegularFile(unpacked.resolve(file)), file + " is in the archive");
    }
    try (Stream<Path> jars = Files.list(unpacked.resolve("lib"))) {
      List<String> names = jars.map(p -> p.getFileName().toString()).collect(Collectors.toList());
      assertTrue(
          names.stream().noneMatch(n -> n.contains("pacemaker") || n.contains("vcs")),
          "the agents' modules are not on the class path: " + names);
    }
  }

  @Test
  void shouldRunTheLaunchersThroughSymlinksFromAnotherDirectory() throws Exception {
    Path links = Files.createDirectories(work.resolve("links"));
    Path relative = links.resolve("tandem");
    Files.deleteIfExists(relative);
    Files.createSymbolicLink(relative, Path.of("../tandem-" + Shell.VERSION + "/bin/tandem"));
    // /usr/local/bin/tandem -> (a link to) the unpacked bin/tandem
    Path usrLocalBin = Files.createDirectories(work.resolve("usr-local-bin"));
    Path tandem = usrLocalBin.resolve("tandem");
    Path agent = usrLocalBin.resolve("ha-agent");
    Files.deleteIfExists(tandem);
    Files.deleteIfExists(agent);
    Files.createSymbolicLink(tandem, relative);
    Files.createSymbolicLink(agent, unpacked.resolve("bin/ha-agent"));
    Path elsewhere = Files.createDirectories(work.resolve("elsewhere"));
    Path log = work.resolve("launchers.log");

    Shell.Result store =
        Shell.runIn(
            elsewhere,
            List.of(tandem.toString(), "config", "get", "store"),
            Map.of("TANDEM_HOME", "/nonexistent"),
            Duration.ofSeconds(60),
            log);
    assertEquals(0, store.exit(), store.toString());
    assertEquals(unpacked.resolve("var/store").toString(), store.output().strip());

    Shell.Result help =
        Shell.runIn(
            elsewhere, List.of(agent.toString(), "--help"), Map.of(), Duration.ofSeconds(60), log);
    assertEquals(0, help.exit(), help.toString());
    assertTrue(help.output().contains("Usage: ha-agent"), help.toString());

    serveFrom(tandem, elsewhere);
  }

  /** A broker started by the linked launcher serves, and stops cleanly on SIGTERM. */
  private static void serveFrom(Path tandem, Path dir) throws Exception {
    int admin = AdminHttp.freePort();
    Files.writeString(
        dir.resolve("tandem.conf"),
        "server = archive\nlisten = amqp://127.0.0.1:0\nadmin_listen = http://127.0.0.1:"
            + admin
            + "\nstore = store\n");
    ProcessBuilder pb =
        new ProcessBuilder(tandem.toString(), "broker", "--config", "tandem.conf")
            .directory(dir.toFile());
    try (ChildProcess broker = ChildProcess.start(pb, dir.resolve("broker.log"))) {
      Await.until(
          () -> "the archive's broker to answer /health with 200; log " + broker.log(),
          Duration.ofSeconds(60),
          () -> AdminHttp.status(admin, "/health") == 200);
      assertEquals(0, broker.stop(Duration.ofSeconds(30)), broker.logText());
    }
  }

  @Test
  void shouldCompleteTheLaunchersSubcommandsInBash() throws IOException {
    assertEquals(List.of("config", "connections"), complete("tandem", "tandem", "con"));
    assertEquals(
        List.of("get", "health-url", "check", "import-ems"),
        complete("tandem", "tandem", "config", ""));
    assertEquals(List.of("status"), complete("ha-agent", "ha-agent", "st"));
  }

  /** What bash completes for the last of {@code words}, with the archive's script loaded. */
  private static List<String> complete(String script, String... words) throws IOException {
    String line = String.join(" ", words);
    String run =
        ". \"$1\"; COMP_WORDS=("
            + java.util.Arrays.stream(words)
                .map(w -> "'" + w + "'")
                .collect(Collectors.joining(" "))
            + "); COMP_CWORD="
            + (words.length - 1)
            + "; COMP_LINE='"
            + line
            + "'; COMP_POINT="
            + line.length()
            + "; _complete_"
            + script
            + "; printf '%s\\n' \"${COMPREPLY[@]}\"";
    String out =
        Shell.ok(
            List.of(
                "bash", "-c", run, "_", unpacked.resolve("completion").resolve(script).toString()),
            Map.of(),
            work.resolve("completion.log"));
    return out.lines().filter(l -> !l.isEmpty()).collect(Collectors.toList());
  }

  @Test
  void shouldShipTheExamplesOfTheDocsAsTheyAreWritten() throws IOException {
    Path docs = Shell.HOME.resolve("docs");
    Path ft = docs.resolve("fault-tolerance.md");
    assertEquals(DocBlocks.only(ft, "conf-ft-a"), read("conf/examples/ft-pair/mq1.conf"));
    assertEquals(DocBlocks.only(ft, "conf-ft-b"), read("conf/examples/ft-pair/mq2.conf"));
    assertEquals(
        DocBlocks.only(docs.resolve("ha-agent.md"), "agent.conf"),
        read("conf/examples/ha/agent.conf"));
  }

  @Test
  void shouldPackageTheDefaultConfigurationWithOnlyItsStoreMoved() throws IOException {
    String checkout = settings(Files.readString(unpacked.resolve("conf/tandem.conf")));
    String packaged =
        settings(Files.readString(Shell.HOME.resolve("dist/src/deb/etc/tandem.conf")));
    assertEquals(
        checkout.replace("store        = ../var/store", "store        = /var/lib/tandem/store"),
        packaged);
  }

  private static String read(String file) throws IOException {
    return Files.readString(unpacked.resolve(file));
  }

  /** The file without its comments and blank lines. */
  private static String settings(String conf) {
    return conf.lines()
        .filter(l -> !l.isBlank() && !l.startsWith("#"))
        .collect(Collectors.joining("\n"));
  }
}
