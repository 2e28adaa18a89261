package io.tandem.campaign;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The campaign's hosts: one Linux network namespace per host, each joined by a veth pair to a
 * bridge in the root namespace, on a /24 of 10.77.0.0/16 that no interface here uses yet. The
 * clients run in the root namespace, whose address on the bridge is {@code .1}; host {@code i} is
 * {@code .(i + 2)}. Every name carries this run's id, and {@link #close} (also run by a shutdown
 * hook) deletes exactly what was created: the namespaces (and with them their firewall rules and
 * veth ends) and the bridge, after killing the processes left inside the namespaces.
 */
final class Hosts implements AutoCloseable {
  /** One host: its namespace name and address. */
  record Host(String name, String netns, String address) {
    @Override
    public String toString() {
      return name + " (" + netns + ", " + address + ")";
    }
  }

  private final String id;
  private final String bridge;
  private final String subnet;
  private final List<Host> hosts = new ArrayList<>();
  private final List<String> created = new ArrayList<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Thread hook = new Thread(this::teardown, "campaign-hosts-teardown");

  private Hosts(String id, String subnet) {
    this.id = id;
    this.bridge = id + "br";
    this.subnet = subnet;
  }

  /** Why this process cannot build hosts (not root, no {@code ip netns}, no iptables), or null. */
  static String unavailableReason() {
    if (!"root".equals(System.getProperty("user.name"))) {
      return "the fault campaign builds network namespaces and needs root";
    }
    Shell.Result ip = Shell.attempt("ip", "netns", "list");
    if (ip.exit() != 0) {
      return "'ip netns' is unavailable (package iproute2): " + ip.out();
    }
    String probe = "tcprobe" + ProcessHandle.current().pid();
    Shell.Result add = Shell.attempt("ip", "netns", "add", probe);
    if (add.exit() != 0) {
      return "cannot create a network namespace here (ip netns add): " + add.out();
    }
    Shell.attempt("ip", "netns", "del", probe);
    Shell.Result ipt = Shell.attempt("iptables", "-V");
    if (ipt.exit() != 0) {
      return "iptables is unavailable (package iptables): " + ipt.out();
    }
    return null;
  }

  /** Builds {@code names.size()} hosts on a fresh bridge; a failure removes what was built. */
  static Hosts create(List<String> names) {
    SecureRandom random = new SecureRandom();
    String id = "tc" + Integer.toString(36 * 36 * 36 + random.nextInt(36 * 36 * 36 * 35), 36);
    String addresses = Shell.run("ip", "-o", "-4", "addr", "show");
    String subnet = null;
    for (int tries = 0; tries < 50 && subnet == null; tries++) {
      String candidate = "10.77." + (1 + random.nextInt(250)) + ".";
      if (!addresses.contains(" " + candidate)) {
        subnet = candidate;
      }
    }
    if (subnet == null) {
      throw new CampaignException("no free /24 in 10.77.0.0/16 on this machine");
    }
    Hosts h = new Hosts(id.toLowerCase(Locale.ROOT), subnet);
    Runtime.getRuntime().addShutdownHook(h.hook);
    try {
      h.build(names);
      return h;
    } catch (RuntimeException e) {
      h.close();
      throw e;
    }
  }

  private void build(List<String> names) {
    Shell.run("ip", "link", "add", bridge, "type", "bridge");
    created.add("link:" + bridge);
    Shell.run("ip", "addr", "add", clientAddress() + "/24", "dev", bridge);
    Shell.run("ip", "link", "set", bridge, "up");
    for (int i = 0; i < names.size(); i++) {
      String ns = id + "-" + names.get(i);
      Shell.run("ip", "netns", "add", ns);
      created.add("netns:" + ns);
      String outer = id + names.get(i) + "0";
      String inner = id + names.get(i) + "1";
      Shell.run("ip", "link", "add", outer, "type", "veth", "peer", "name", inner);
      created.add("link:" + outer);
      Shell.run("ip", "link", "set", inner, "netns", ns);
      Shell.run("ip", "link", "set", outer, "master", bridge, "up");
      String address = subnet + (i + 2);
      Shell.run("ip", "-n", ns, "addr", "add", address + "/24", "dev", inner);
      Shell.run("ip", "-n", ns, "link", "set", inner, "up");
      Shell.run("ip", "-n", ns, "link", "set", "lo", "up");
      hosts.add(new Host(names.get(i), ns, address));
    }
  }

  List<Host> hosts() {
    return hosts;
  }

  /** The clients' address (the root namespace's, on the bridge). */
  String clientAddress() {
    return subnet + "1";
  }

  String id() {
    return id;
  }

  /** The command line that runs {@code command} on {@code host}. */
  static List<String> onHost(Host host, List<String> command) {
    List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", host.netns()));
    all.addAll(command);
    return all;
  }

  /** Drops every packet between {@code host} and {@code peer}, inside {@code host}'s namespace. */
  void cut(Host host, String peer) {
    rules("-I", host, peer);
  }

  /** Removes what {@link #cut} added; removing a rule that is not there is fine. */
  void heal(Host host, String peer) {
    rules("-D", host, peer);
  }

  private void rules(String op, Host host, String peer) {
    String tag = id + "-cut";
    String[][] rules = {
      {"INPUT", "-s", peer}, {"OUTPUT", "-d", peer},
    };
    for (String[] r : rules) {
      List<String> cmd =
          new ArrayList<>(List.of("ip", "netns", "exec", host.netns(), "iptables", "-w", "10"));
      cmd.addAll(List.of(op, r[0], r[1], r[2], "-m", "comment", "--comment", tag, "-j", "DROP"));
      Shell.Result res = Shell.attempt(cmd.toArray(String[]::new));
      if (res.exit() != 0 && op.equals("-I")) {
        throw new CampaignException("cannot cut " + host + " from " + peer + ": " + res.out());
      }
    }
  }

  /**
   * Drops TCP to {@code ports} sent from {@code host}, and with {@code inbound} also TCP arriving
   * at those ports of {@code host}, inside {@code host}'s namespace.
   */
  void cutPorts(Host host, boolean inbound, int... ports) {
    portRules("-I", host, inbound, ports);
  }

  /** Removes what {@link #cutPorts} added. */
  void healPorts(Host host, boolean inbound, int... ports) {
    portRules("-D", host, inbound, ports);
  }

  private void portRules(String op, Host host, boolean inbound, int... ports) {
    String tag = id + "-ports";
    List<String> chains = inbound ? List.of("OUTPUT", "INPUT") : List.of("OUTPUT");
    for (int port : ports) {
      for (String chain : chains) {
        Shell.Result res =
            Shell.attempt(
                "ip",
                "netns",
                "exec",
                host.netns(),
                "iptables",
                "-w",
                "10",
                op,
                chain,
                "-p",
                "tcp",
                "--dport",
                Integer.toString(port),
                "-m",
                "comment",
                "--comment",
                tag,
                "-j",
                "DROP");
        if (res.exit() != 0 && op.equals("-I")) {
          throw new CampaignException("cannot cut port " + port + " on " + host + ": " + res.out());
        }
      }
    }
  }

  /**
   * Takes {@code host}'s link down ({@code false}) or up again: packets to and from it vanish, as
   * with a powered-off machine, with no reset or close reaching its peers.
   */
  void link(Host host, boolean up) {
    Shell.run("ip", "link", "set", id + host.name() + "0", up ? "up" : "down");
  }

  /** The processes inside {@code host}'s namespace. */
  static List<Long> pids(Host host) {
    List<Long> pids = new ArrayList<>();
    for (String line : Shell.run("ip", "netns", "pids", host.netns()).split("\\s+")) {
      if (!line.isBlank()) {
        pids.add(Long.parseLong(line.strip()));
      }
    }
    return pids;
  }

  /** A whole-host crash: SIGKILL to every process inside {@code host}'s namespace at once. */
  static int crash(Host host) {
    List<Long> pids = pids(host);
    for (long pid : pids) {
      Shell.attempt("kill", "-KILL", Long.toString(pid));
    }
    return pids.size();
  }

  @Override
  public void close() {
    teardown();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is exiting and runs the hook itself
    }
  }

  private void teardown() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    for (Host h : hosts) {
      crash(h);
    }
    List<String> undo = new ArrayList<>(created);
    java.util.Collections.reverse(undo);
    for (String what : undo) {
      String name = what.substring(what.indexOf(':') + 1);
      if (what.startsWith("netns:")) {
        Shell.attempt("ip", "netns", "del", name);
      } else {
        Shell.attempt("ip", "link", "del", name);
      }
    }
  }
}
