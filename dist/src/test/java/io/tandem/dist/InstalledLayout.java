package io.tandem.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Where the installed package put things, and its cluster agents answering as installed. */
final class InstalledLayout {
  private static final Path OCF_AGENT = Path.of("/usr/lib/ocf/resource.d/tandem/broker");
  private static final Path SYSTEMD_ANALYZE = Path.of("/usr/bin/systemd-analyze");
  private static final Path OCF_FUNCTIONS = Path.of("/usr/lib/ocf/lib/heartbeat/ocf-shellfuncs");

  private InstalledLayout() {}

  static void check(Path log) throws IOException {
    for (String link : List.of("/usr/bin/tandem", "/usr/bin/ha-agent")) {
      Path p = Path.of(link);
      assertTrue(Files.isSymbolicLink(p), link + " is a symlink into /usr/share/tandem");
      assertTrue(
          p.toRealPath().startsWith("/usr/share/tandem/bin"), link + " -> " + p.toRealPath());
    }
    assertEquals(Path.of("/etc/tandem"), Path.of("/usr/share/tandem/conf").toRealPath());
    for (String completion : List.of("tandem", "ha-agent")) {
      assertTrue(
          Files.readString(Path.of("/usr/share/bash-completion/completions", completion))
              .contains("complete -F _complete_" + completion + " "),
          "bash completes " + completion);
    }
    for (String executable :
        List.of(
            OCF_AGENT.toString(),
            "/opt/VRTSvcs/bin/Tandem/online",
            "/opt/VRTSvcs/bin/Tandem/offline",
            "/opt/VRTSvcs/bin/Tandem/monitor",
            "/opt/VRTSvcs/bin/Tandem/clean")) {
      assertTrue(Files.isExecutable(Path.of(executable)), executable + " is executable");
    }
    assertTrue(
        Files.readString(Path.of("/etc/VRTSvcs/conf/config/TandemTypes.cf"))
            .contains("static str AgentDirectory = \"/opt/VRTSvcs/bin/Tandem\"\n"),
        "the VCS type names the directory its entry points are installed in");
    String conffiles =
        Shell.ok(List.of("dpkg-query", "-W", "-f", "${Conffiles}", "tandem"), Map.of(), log);
    for (String conffile :
        List.of(
            "/etc/tandem/tandem.conf",
            "/etc/tandem/queues.conf",
            "/etc/tandem/topics.conf",
            "/etc/tandem/grafana/tandem-dashboard.json",
            "/etc/VRTSvcs/conf/config/TandemTypes.cf")) {
      assertTrue(
          conffiles.contains(" " + conffile + " "), conffile + " is a conffile: " + conffiles);
    }
    String user = Shell.ok(List.of("getent", "passwd", "tandem"), Map.of(), log).strip();
    assertTrue(user.endsWith(":/var/lib/tandem:/usr/sbin/nologin"), user);
    assertEquals(
        "tandem",
        Files.getOwner(Path.of("/var/lib/tandem/store"), LinkOption.NOFOLLOW_LINKS).getName());
    assertTrue(
        Files.readString(Path.of("/lib/systemd/system/tandem.service"))
            .contains("\nUser=tandem\n"));
    assertTrue(
        Files.readString(Path.of("/lib/systemd/system/tandem-ha-agent.service"))
            .contains("\nKillMode=mixed\n"),
        "the agent's unit lets SIGTERM reach the agent alone (docs/ha-agent.md)");
    if (Files.isExecutable(SYSTEMD_ANALYZE)) {
      Shell.ok(
          List.of(
              SYSTEMD_ANALYZE.toString(),
              "verify",
              "/lib/systemd/system/tandem.service",
              "/lib/systemd/system/tandem-ha-agent.service"),
          Map.of(),
          log);
    }
  }

  /** The installed OCF agent's meta-data, and its validation of the packaged configuration. */
  static void checkOcfAgent(Path log) throws IOException {
    assertTrue(
        Files.isRegularFile(OCF_FUNCTIONS),
        OCF_FUNCTIONS + " is missing: run .ci/run or apt-get install resource-agents");
    Map<String, String> env =
        Map.of(
            "OCF_ROOT", "/usr/lib/ocf",
            "OCF_RESOURCE_INSTANCE", "tandem",
            "OCF_RESKEY_home", "/usr/share/tandem",
            "OCF_RESKEY_config", "/etc/tandem/tandem.conf",
            "OCF_RESKEY_user", "tandem");
    Shell.Result meta =
        Shell.run(List.of(OCF_AGENT.toString(), "meta-data"), env, Duration.ofSeconds(30), log);
    assertEquals(0, meta.exit(), meta.toString());
    assertTrue(meta.output().contains("<resource-agent name=\"broker\""), meta.toString());
    Shell.Result valid =
        Shell.run(List.of(OCF_AGENT.toString(), "validate-all"), env, Duration.ofSeconds(60), log);
    assertEquals(0, valid.exit(), valid.toString());
    Map<String, String> nobody = new java.util.HashMap<>(env);
    nobody.put("OCF_RESKEY_user", "nobody");
    Shell.Result unwritable =
        Shell.run(
            List.of(OCF_AGENT.toString(), "validate-all"), nobody, Duration.ofSeconds(60), log);
    assertEquals(6, unwritable.exit(), "OCF_ERR_CONFIGURED: " + unwritable);
    assertTrue(
        unwritable.output().contains("is out of reach of user nobody"),
        "tandem config check, run as the agent's user, finds the store closed to it: "
            + unwritable);
    Shell.Result wrong =
        Shell.run(
            List.of(OCF_AGENT.toString(), "validate-all"),
            Map.of(
                "OCF_ROOT", "/usr/lib/ocf",
                "OCF_RESOURCE_INSTANCE", "tandem",
                "OCF_RESKEY_home", "/usr/share/tandem",
                "OCF_RESKEY_config", "/etc/tandem/missing.conf"),
            Duration.ofSeconds(60),
            log);
    assertTrue(wrong.exit() != 0, "a missing configuration does not validate: " + wrong);
  }
}
