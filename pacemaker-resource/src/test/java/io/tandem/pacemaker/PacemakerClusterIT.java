package io.tandem.pacemaker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.testing.Await;
import io.tandem.testing.DocBlocks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The group of docs/pacemaker.md (Filesystem on a loop-mounted ext4 image, an IPaddr2 address on
 * lo, the broker) on a real one-node corosync + Pacemaker cluster: persistent messages survive a
 * SIGKILL of the broker, an unmounted store brings the group back in order, and disabling the group
 * stops the broker cleanly. Files and logs stay in target/it/pacemaker.
 */
class PacemakerClusterIT {
  private static final Path DOC = Commands.HOME.resolve("docs/pacemaker.md");
  private static final Path INSTALLED = Path.of("/usr/lib/ocf/resource.d/tandem/broker");
  private static final Path PID_FILE =
      Path.of("/run/resource-agents/tandem-broker-tandem-broker.pid");
  private static final String ADDRESS = "127.0.71.1";
  private static final String QUEUE = "orders.pacemaker";

  private Path work;
  private Path log;
  private Path image;
  private Path mnt;
  private Path config;
  private int amqpPort;
  private int adminPort;

  @BeforeAll
  static void tools() {
    Commands.requireRoot();
    Commands.requireTool("corosync", "corosync");
    Commands.requireTool("pacemakerd", "pacemaker");
    Commands.requireTool("crm_mon", "pacemaker-cli-utils");
    Commands.requireTool("pcs", "pcs");
    Commands.requireTool("crm", "crmsh");
    Commands.requireTool("mkfs.ext4", "e2fsprogs");
    Commands.requireTool("modprobe", "kmod");
    Commands.requireTool("curl", "curl");
    if (!Files.isRegularFile(Path.of("/usr/lib/ocf/resource.d/heartbeat/Filesystem"))) {
      throw new AssertionError(
          "ocf:heartbeat:Filesystem is missing: apt-get install resource-agents");
    }
  }

  @Test
  @Timeout(value = 5, unit = java.util.concurrent.TimeUnit.MINUTES)
  void shouldKeepMessagesThroughKillAndUnmountAndStopCleanly() throws Exception {
    work = Commands.workDir("pacemaker");
    log = work.resolve("test.log");
    Path savedAgent = work.resolve("agent.saved");
    boolean hadAgent = Files.exists(INSTALLED);
    if (hadAgent) {
      Files.copy(INSTALLED, savedAgent, StandardCopyOption.REPLACE_EXISTING);
    }
    try {
      prepareStore();
      installAgent();
      Cluster cluster = Cluster.start(work);
      try {
        run(cluster);
      } finally {
        cluster.close();
      }
      assertTrue(cluster.stoppedCleanly(), "pacemakerd and corosync stop on SIGTERM");
    } finally {
      cleanUp(hadAgent, savedAgent);
    }
  }

  private void run(Cluster cluster) throws Exception {
    checkCrmExample(cluster);
    for (String line : DocBlocks.only(DOC, "pcs").strip().split("\n")) {
      Commands.Result r =
          Commands.run(
              List.of("sh", "-c", line),
              Map.of("WORK", work.toString(), "TANDEM_HOME", Commands.HOME.toString()),
              Duration.ofSeconds(60),
              log);
      assertEquals(0, r.exit(), line + ": " + r);
    }
    long first = awaitServingBroker(-1, "the group starts");
    assertTrue(Files.readString(Path.of("/proc/mounts")).contains(" " + mnt + " "));
    Messages.send(url(), QUEUE, "m", 0, 50);

    ProcessHandle.of(first).orElseThrow().destroyForcibly();
    long second = awaitServingBroker(first, "Pacemaker restarts the SIGKILLed broker");
    assertEquals(Messages.expected("m", 0, 25), Messages.receive(url(), QUEUE, 25));

    int storeStartBefore = lastStartCallId("tandem-store");
    Commands.Result umount =
        Commands.run(
            List.of("umount", "-l", mnt.toString()), Map.of(), Duration.ofSeconds(30), log);
    assertEquals(0, umount.exit(), umount.toString());
    awaitServingBroker(second, "the group recovers from the unmounted store");
    assertTrue(Files.readString(Path.of("/proc/mounts")).contains(" " + mnt + " "), "remounted");
    assertRecoveredInOrder(storeStartBefore);
    // Acknowledgements the broker had not written when its store vanished are redelivered (at
    // least once); every message not consumed before must be there, in order.
    List<String> after = Messages.receive(url(), QUEUE, 50);
    List<String> consumedBefore = Messages.expected("m", 0, 25);
    assertEquals(
        Messages.expected("m", 25, 50),
        after.stream().filter(m -> !consumedBefore.contains(m)).toList(),
        after.toString());

    long last = pid();
    Commands.Result disable =
        Commands.run(
            List.of("pcs", "resource", "disable", "tandem", "--wait=90"),
            Map.of(),
            Duration.ofSeconds(120),
            log);
    assertEquals(0, disable.exit(), disable.toString());
    assertFalse(OcfAgentIT.running(last), "the broker is gone");
    assertFalse(Files.exists(PID_FILE), "a clean stop removes the pid file");
    String brokerLog = Files.readString(Path.of("/var/log/tandem/tandem-broker.log"));
    assertTrue(
        brokerLog
            .substring(brokerLog.lastIndexOf("=== "))
            .contains("BrokerCommand: broker stopped"),
        "the last broker stopped cleanly");
    assertFalse(Files.readString(Path.of("/proc/mounts")).contains(" " + mnt + " "), "unmounted");
  }

  /** An empty ext4 image holding an initialised store, and the doc's tandem.conf for it. */
  private void prepareStore() throws Exception {
    image = work.resolve("store.img");
    mnt = Files.createDirectories(work.resolve("mnt"));
    sh("truncate -s 64M \"$1\" && mkfs.ext4 -q -F \"$1\"", image.toString());
    sh("mount -o loop \"$1\" \"$2\"", image.toString(), mnt.toString());
    try {
      sh(
          "\"$1\"/bin/tandem store fence \"$2\"/store --raise",
          Commands.HOME.toString(),
          mnt.toString());
    } finally {
      sh("umount \"$1\"", mnt.toString());
    }
    amqpPort = Commands.freePort();
    adminPort = Commands.freePort();
    config = work.resolve("tandem.conf");
    Files.writeString(
        config,
        DocBlocks.only(DOC, "conf")
                .replace(":5672", ":" + amqpPort)
                .replace(":9672", ":" + adminPort)
                .replace("/srv/tandem/mnt", mnt.toString())
            // Every start is a new epoch with new preallocated segments: keep them small enough
            // for several epochs on the 64MB image.
            + "store_minimum = 1MB\n");
    Files.writeString(work.resolve("queues.conf"), ">\norders.> failsafe\n");
  }

  private void installAgent() throws IOException {
    Files.createDirectories(INSTALLED.getParent());
    Files.copy(OcfAgentIT.AGENT, INSTALLED, StandardCopyOption.REPLACE_EXISTING);
  }

  /** The crm example loads into a shadow copy of the live CIB, and crm_verify accepts it. */
  private void checkCrmExample(Cluster cluster) throws Exception {
    Path crm = work.resolve("example.crm");
    Files.writeString(
        crm,
        DocBlocks.only(DOC, "crm")
            .replace("$WORK", work.toString())
            .replace("$TANDEM_HOME", Commands.HOME.toString()));
    sh("crm_shadow --batch --force --create tandem-doc");
    try {
      Map<String, String> shadow = Map.of("CIB_shadow", "tandem-doc");
      Commands.Result load =
          Commands.run(
              List.of("crm", "-F", "configure", "load", "update", crm.toString()),
              shadow,
              Duration.ofSeconds(60),
              log);
      assertEquals(0, load.exit(), load.toString());
      Commands.Result verify =
          Commands.run(List.of("crm_verify", "-L", "-V"), shadow, Duration.ofSeconds(60), log);
      assertEquals(0, verify.exit(), verify.toString());
      String resources =
          Commands.run(
                  List.of("cibadmin", "-Q", "-o", "resources"), shadow, Duration.ofSeconds(60), log)
              .output();
      for (String id : List.of("tandem-store", "tandem-ip", "tandem-broker")) {
        assertTrue(resources.contains("id=\"" + id + "\""), id + " in " + resources);
      }
    } finally {
      sh("crm_shadow --batch --force --delete tandem-doc");
    }
  }

  /**
   * Pacemaker's own record of the last start of each resource (the CIB status section, not its log
   * file, whose content depends on the daemons' log settings): after the unmount the store was
   * started again, then the address, then the broker.
   */
  private void assertRecoveredInOrder(int storeStartBefore) {
    Await.until(
        "Pacemaker records new starts of the store, address and broker, in that order",
        Duration.ofSeconds(60),
        Commands.POLL,
        () -> {
          int store = lastStartCallId("tandem-store");
          int ip = lastStartCallId("tandem-ip");
          int broker = lastStartCallId("tandem-broker");
          return store > storeStartBefore && ip > store && broker > ip;
        });
  }

  /** The call id of the resource's last operation if it was a successful start, else -1. */
  private int lastStartCallId(String resource) {
    String status;
    try {
      status =
          Commands.run(
                  List.of("cibadmin", "-Q", "-o", "status"), Map.of(), Duration.ofSeconds(30), log)
              .output();
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    java.util.regex.Matcher op =
        java.util.regex.Pattern.compile("<lrm_rsc_op [^>]*id=\"" + resource + "_last_0\"[^>]*>")
            .matcher(status);
    if (!op.find()) {
      return -1;
    }
    String tag = op.group();
    if (!tag.contains("operation=\"start\"") || !tag.contains("rc-code=\"0\"")) {
      return -1;
    }
    java.util.regex.Matcher call =
        java.util.regex.Pattern.compile("call-id=\"(\\d+)\"").matcher(tag);
    return call.find() ? Integer.parseInt(call.group(1)) : -1;
  }

  /** Waits until a broker other than {@code previous} serves; its process id. */
  private long awaitServingBroker(long previous, String what) {
    Await.until(
        what + " (logs in " + work + ")",
        Duration.ofSeconds(90),
        Commands.POLL,
        () -> {
          try {
            long pid = pid();
            return pid != previous
                && OcfAgentIT.running(pid)
                && Commands.httpStatus("http://127.0.0.1:" + adminPort + "/health") == 200;
          } catch (IOException | NumberFormatException e) {
            return false;
          }
        });
    try {
      long pid = pid();
      assertNotEquals(previous, pid);
      return pid;
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static long pid() throws IOException {
    return Long.parseLong(Files.readString(PID_FILE).strip());
  }

  private String url() {
    return "amqp://" + ADDRESS + ":" + amqpPort;
  }

  private void sh(String script, String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("sh", "-c", script, "sh"));
    command.addAll(List.of(args));
    Commands.Result r = Commands.run(command, Map.of(), Duration.ofSeconds(60), log);
    assertEquals(0, r.exit(), script + ": " + r);
  }

  /** Leaves the host as it was, even after a failure: processes, mounts, loop devices, files. */
  private void cleanUp(boolean hadAgent, Path savedAgent) throws Exception {
    if (config != null) {
      Commands.killProcessesMentioning(config.toString());
    }
    Map<String, String> none = Map.of();
    Duration t = Duration.ofSeconds(30);
    if (mnt != null && Files.readString(Path.of("/proc/mounts")).contains(" " + mnt + " ")) {
      Commands.run(List.of("umount", "-l", mnt.toString()), none, t, log);
    }
    if (image != null) {
      for (String line :
          Commands.run(List.of("losetup", "-j", image.toString()), none, t, log)
              .output()
              .split("\n")) {
        if (line.startsWith("/dev/loop")) {
          Commands.run(
              List.of("losetup", "-d", line.substring(0, line.indexOf(':'))), none, t, log);
        }
      }
    }
    if (Commands.run(List.of("ip", "-4", "addr", "show", "dev", "lo"), none, t, log)
        .output()
        .contains(ADDRESS + "/")) {
      Commands.run(List.of("ip", "addr", "del", ADDRESS + "/32", "dev", "lo"), none, t, log);
    }
    if (hadAgent) {
      Files.copy(savedAgent, INSTALLED, StandardCopyOption.REPLACE_EXISTING);
    } else {
      Files.deleteIfExists(INSTALLED);
    }
  }
}
