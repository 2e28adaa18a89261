package io.tandem.campaign;

import io.tandem.testing.ChildProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A three-node ZooKeeper ensemble for the ZooKeeper-lock deployment, one node per namespace host:
 * each node is its own JVM ({@code QuorumPeerMain}, from this module's {@code target/lib}) started
 * inside its host's namespace and listening on the host's address only, so that a partition or a
 * host crash reaches it as it would a real server. A 200 ms tick lets sessions of a few seconds be
 * honoured.
 */
final class Ensemble implements AutoCloseable {
  static final int CLIENT_PORT = 2181;
  static final int QUORUM_PORT = 2888;
  static final int ELECTION_PORT = 3888;

  private static final String JAVA_OPTS = "-Xms16m -Xmx96m -XX:+UseSerialGC";

  private final Path home;
  private final Path dir;
  private final List<Hosts.Host> hosts;
  private final Map<Hosts.Host, ChildProcess> nodes = new HashMap<>();

  Ensemble(Path home, Path dir, List<Hosts.Host> hosts) {
    this.home = home;
    this.dir = dir;
    this.hosts = List.copyOf(hosts);
  }

  /** The hosts running a node, in server id order. */
  List<Hosts.Host> hosts() {
    return hosts;
  }

  /** The connect string brokers name in {@code ft_lock}. */
  String connectString() {
    List<String> servers = new ArrayList<>();
    for (Hosts.Host h : hosts) {
      servers.add(h.address() + ":" + CLIENT_PORT);
    }
    return String.join(",", servers);
  }

  /** Writes each node's configuration and starts every node. */
  void start() {
    for (Hosts.Host h : hosts) {
      start(h);
    }
  }

  /** Starts (again) the node on {@code host}; its data directory survives a restart. */
  synchronized void start(Hosts.Host host) {
    int id = hosts.indexOf(host) + 1;
    Path data = dir.resolve("zk-" + host.name());
    Path cfg = dir.resolve("zk-" + host.name() + ".cfg");
    try {
      Files.createDirectories(data);
      Files.writeString(data.resolve("myid"), id + "\n", StandardCharsets.US_ASCII);
      List<String> lines =
          new ArrayList<>(
              List.of(
                  "tickTime=200",
                  "initLimit=50",
                  "syncLimit=10",
                  "dataDir=" + data,
                  "clientPort=" + CLIENT_PORT,
                  "clientPortAddress=" + host.address(),
                  "admin.enableServer=false",
                  "4lw.commands.whitelist=srvr",
                  "standaloneEnabled=false",
                  "quorumListenOnAllIPs=false"));
      for (int i = 0; i < hosts.size(); i++) {
        Hosts.Host h = hosts.get(i);
        lines.add(
            "server." + (i + 1) + "=" + h.address() + ":" + QUORUM_PORT + ":" + ELECTION_PORT);
      }
      Files.write(cfg, lines, StandardCharsets.US_ASCII);
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      List<String> command = new ArrayList<>(List.of(java));
      command.addAll(List.of(JAVA_OPTS.split(" ")));
      command.addAll(
          List.of(
              "-Dzookeeper.jmx.log4j.disable=true",
              "-cp",
              home.resolve("campaign/target/lib") + "/*",
              "org.apache.zookeeper.server.quorum.QuorumPeerMain",
              cfg.toString()));
      ChildProcess old = nodes.get(host);
      if (old != null) {
        old.close();
      }
      nodes.put(
          host,
          ChildProcess.start(
              Hosts.onHost(host, command), dir.resolve("zk-" + host.name() + ".log")));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the ZooKeeper node on " + host, e);
    }
  }

  /** SIGKILL of the node on {@code host}, reaped. */
  synchronized void kill(Hosts.Host host) {
    ChildProcess p = nodes.get(host);
    if (p != null) {
      try {
        p.kill();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Reaps the node on {@code host} after a host crash killed it from outside. */
  synchronized void awaitGone(Hosts.Host host, java.time.Duration timeout) {
    ChildProcess p = nodes.get(host);
    if (p != null) {
      try {
        p.awaitExit(timeout);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Whether a majority of the nodes say they lead or follow (a quorum serves). */
  boolean serving() {
    int up = 0;
    for (Hosts.Host h : hosts) {
      if (answers(h)) {
        up++;
      }
    }
    return up > hosts.size() / 2;
  }

  // "srvr" answers "Mode: leader|follower" only from a node that is part of a working quorum
  private static boolean answers(Hosts.Host h) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(h.address(), CLIENT_PORT), 500);
      s.setSoTimeout(500);
      s.getOutputStream().write("srvr".getBytes(StandardCharsets.US_ASCII));
      String reply = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
      return reply.contains("Mode: leader") || reply.contains("Mode: follower");
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public synchronized void close() {
    nodes.values().forEach(ChildProcess::close);
    nodes.clear();
  }
}
