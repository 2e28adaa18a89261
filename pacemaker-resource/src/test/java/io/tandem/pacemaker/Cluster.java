package io.tandem.pacemaker;

import io.tandem.testing.Await;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real one-node corosync + Pacemaker cluster on 127.0.0.1, started without systemd. corosync uses
 * its default UDP port 5405 and fixed IPC names, so only one such cluster can run on a host at a
 * time; the port is left at its default for that reason. The CIB is seeded with the one-node test
 * settings (no stonith, no quorum policy, a 2 s dc-deadtime so that the node elects itself in
 * seconds rather than after the default 20 s).
 */
final class Cluster implements AutoCloseable {
  private static final Path COROSYNC_CONF = Path.of("/etc/corosync/corosync.conf");
  private static final Path CIB_DIR = Path.of("/var/lib/pacemaker/cib");
  private static final Path PENGINE_DIR = Path.of("/var/lib/pacemaker/pengine");

  private final Path work;
  private final Path log;
  private final Path savedConf;
  private Process corosync;
  private Process pacemakerd;
  private boolean cleanStop = true;

  private Cluster(Path work) {
    this.work = work;
    this.log = work.resolve("cluster-commands.log");
    this.savedConf = work.resolve("corosync.conf.saved");
  }

  /** Starts corosync and Pacemaker and waits until this node is the DC. */
  static Cluster start(Path work) throws IOException, InterruptedException {
    Cluster c = new Cluster(work);
    try {
      c.startDaemons();
    } catch (IOException | InterruptedException | RuntimeException | AssertionError e) {
      c.close();
      throw e;
    }
    return c;
  }

  private void startDaemons() throws IOException, InterruptedException {
    if (ProcessHandle.allProcesses()
        .anyMatch(p -> p.info().command().map(c -> c.endsWith("/corosync")).orElse(false))) {
      throw new AssertionError("corosync already runs on this host; stop it first");
    }
    Path conf = work.resolve("corosync.conf");
    Files.writeString(conf, corosyncConf());
    if (Files.exists(COROSYNC_CONF)) {
      Files.copy(COROSYNC_CONF, savedConf, StandardCopyOption.REPLACE_EXISTING);
    }
    // pcs reads the node names from the system's corosync.conf.
    Files.copy(conf, COROSYNC_CONF, StandardCopyOption.REPLACE_EXISTING);
    seedCib();
    corosync =
        new ProcessBuilder("corosync", "-f", "-c", conf.toString())
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("corosync.out").toFile())
            .start();
    Await.until(
        "corosync quorate (" + work.resolve("corosync.log") + ")",
        Duration.ofSeconds(30),
        Commands.POLL,
        () -> succeeds("corosync-quorumtool", "-s"));
    ProcessBuilder pb =
        new ProcessBuilder("pacemakerd")
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("pacemakerd.out").toFile());
    pb.environment().put("PCMK_logfile", work.resolve("pacemaker.log").toString());
    pacemakerd = pb.start();
    Await.until(
        "this node becomes the DC (" + work.resolve("pacemaker.log") + ")",
        Duration.ofSeconds(60),
        Commands.POLL,
        () -> output("crm_mon", "-1").contains("Current DC: node1"));
  }

  private String corosyncConf() {
    return """
        totem {
            version: 2
            cluster_name: tandem-test
            transport: knet
            crypto_cipher: none
            crypto_hash: none
        }
        logging {
            to_stderr: no
            to_logfile: yes
            logfile: %s
            to_syslog: no
        }
        quorum {
            provider: corosync_votequorum
        }
        nodelist {
            node {
                name: node1
                nodeid: 1
                ring0_addr: 127.0.0.1
            }
        }
        """
        .formatted(work.resolve("corosync.log"));
  }

  private void seedCib() throws IOException, InterruptedException {
    clearDir(CIB_DIR);
    clearDir(PENGINE_DIR);
    Path cib = work.resolve("cib.xml");
    Commands.Result empty =
        Commands.run(List.of("cibadmin", "--empty"), Map.of(), Duration.ofSeconds(30), log);
    Files.writeString(cib, empty.output());
    for (String[] nv :
        new String[][] {
          {"dc-deadtime", "2s"}, {"stonith-enabled", "false"}, {"no-quorum-policy", "ignore"}
        }) {
      Commands.Result r =
          Commands.run(
              List.of("crm_attribute", "-t", "crm_config", "-n", nv[0], "-v", nv[1]),
              Map.of("CIB_file", cib.toString()),
              Duration.ofSeconds(30),
              log);
      if (r.exit() != 0) {
        throw new AssertionError("cannot seed the CIB: " + r);
      }
    }
    Commands.Result installed =
        Commands.run(
            List.of(
                "install",
                "-o",
                "hacluster",
                "-g",
                "haclient",
                "-m",
                "600",
                cib.toString(),
                CIB_DIR.resolve("cib.xml").toString()),
            Map.of(),
            Duration.ofSeconds(30),
            log);
    if (installed.exit() != 0) {
      throw new AssertionError("cannot install the CIB: " + installed);
    }
  }

  private static void clearDir(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (var files = Files.list(dir)) {
      for (Path f : files.toList()) {
        if (Files.isRegularFile(f)) {
          Files.delete(f);
        }
      }
    }
  }

  boolean succeeds(String... command) {
    try {
      return Commands.run(List.of(command), Map.of(), Duration.ofSeconds(60), log).exit() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  String output(String... command) {
    try {
      return Commands.run(List.of(command), Map.of(), Duration.ofSeconds(60), log).output();
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  Path pacemakerLog() {
    return work.resolve("pacemaker.log");
  }

  /** Stops Pacemaker (it stops the resources, last first), then corosync; restores the host. */
  @Override
  public void close() throws IOException {
    try {
      stop(pacemakerd, Duration.ofSeconds(120));
      stop(corosync, Duration.ofSeconds(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while stopping the cluster", e);
    } finally {
      clearDir(CIB_DIR);
      clearDir(PENGINE_DIR);
      if (Files.exists(savedConf)) {
        Files.copy(savedConf, COROSYNC_CONF, StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  /** Whether the daemons stopped by themselves after SIGTERM (false once one had to be killed). */
  boolean stoppedCleanly() {
    return cleanStop;
  }

  private void stop(Process p, Duration timeout) throws InterruptedException {
    if (p == null || !p.isAlive()) {
      return;
    }
    var children = p.descendants().toList();
    p.destroy();
    if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      cleanStop = false;
      children.forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
  }
}
