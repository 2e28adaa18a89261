package io.tandem.campaign;

import io.tandem.testing.Await;
import io.tandem.testing.ClientHistory;
import io.tandem.testing.ClientLoad;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * One campaign against a hot-warm pair (mode {@code ft}) on two namespace hosts with the store's
 * file lock, or on three with the ZooKeeper lock (a ZooKeeper node on each host, the third host
 * running only its node): the ensemble and the pair start, the clients start, then {@code faults}
 * faults chosen by a seeded random, each healed and followed by a wait until the pair serves again;
 * then the clients stop, every acknowledged send is awaited at the consumers, and the history and
 * the sampled roles are checked.
 */
final class Campaign {
  /** How long the pair may take to serve again (a primary and a paired backup) after a heal. */
  static final Duration RECOVERY = Duration.ofSeconds(90);

  private static final Duration PROGRESS = Duration.ofSeconds(60);
  private static final Duration DRAIN = Duration.ofSeconds(120);
  private static final String[] QUEUES = {"ft.orders", "ft.payments"};

  /** What to run: where bin/tandem is, where to keep files, how many faults, which seed. */
  record Settings(
      Path home,
      Path dir,
      int faults,
      long seed,
      Duration budget,
      List<String> clientOptions,
      PrintStream out,
      boolean zookeeper) {}

  /** The members' ZooKeeper session: long enough for a loaded machine, short against the hold. */
  static final String SESSION = "2sec";

  private final Settings settings;
  private final Random random;
  private final Report report;
  private final Path timeline;
  private Hosts hosts;
  private Ensemble ensemble;
  private List<Fault> faults;
  private List<Member> pair;
  private ClientLoad load;

  private Campaign(Settings settings) {
    this.settings = settings;
    this.random = new Random(settings.seed());
    this.report = new Report(settings.seed(), settings.faults());
    this.timeline = settings.dir().resolve("nemesis.log");
  }

  /** Runs the campaign; its report, whatever it found. Hosts and processes are gone afterwards. */
  static Report run(Settings settings) {
    try {
      Files.createDirectories(settings.dir());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Campaign(settings).execute();
  }

  private Report execute() {
    long deadline = System.nanoTime() + settings.budget().toNanos();
    note(
        "seed "
            + settings.seed()
            + ", "
            + settings.faults()
            + " faults, files in "
            + settings.dir());
    faults = Fault.of(settings.zookeeper());
    List<String> names = settings.zookeeper() ? List.of("a", "b", "z") : List.of("a", "b");
    try (Hosts h = Hosts.create(names)) {
      hosts = h;
      note("hosts " + h.hosts() + ", clients at " + h.clientAddress());
      String ftLock = null;
      if (settings.zookeeper()) {
        ensemble = new Ensemble(settings.home(), settings.dir(), h.hosts());
        ensemble.start();
        require("the ZooKeeper ensemble serves", ensemble::serving);
        ftLock =
            "zookeeper://"
                + ensemble.connectString()
                + "/tandem/campaign?session_timeout="
                + SESSION;
        note("ZooKeeper ensemble up: " + ensemble.connectString());
      }
      pair =
          Member.pair(settings.home(), settings.dir(), h.hosts().get(0), h.hosts().get(1), ftLock);
      try (PrimaryWatch watch = new PrimaryWatch(pair, settings.dir().resolve("store"), "ft.")) {
        startPair();
        watch.start();
        startLoad();
        for (int i = 0; i < settings.faults() && System.nanoTime() < deadline; i++) {
          inject(i, faults.get(random.nextInt(faults.size())));
        }
        finish(watch);
      } finally {
        if (load != null) {
          load.close();
        }
        if (pair != null) {
          pair.forEach(Member::close);
        }
        if (ensemble != null) {
          ensemble.close();
        }
      }
    }
    return report;
  }

  private void startPair() {
    Member a = pair.get(0);
    Member b = pair.get(1);
    a.start();
    require("a serves", () -> a.health() == 200);
    b.start();
    require(
        "b is a paired backup (if the hosts cannot reach each other, look for a FORWARD rule of"
            + " the root namespace that br_netfilter applies to bridged traffic)",
        () -> isPairedBackup(b));
    note("pair up: " + a + " primary, " + b + " backup");
  }

  private void startLoad() {
    List<String> urls = pair.stream().map(Member::url).toList();
    List<String> options = new ArrayList<>(List.of("failover.reconnectDelay=25"));
    options.addAll(settings.clientOptions());
    String uri = ClientLoad.failoverUri(urls, options.toArray(String[]::new));
    note("clients on " + uri);
    load = new ClientLoad(uri).sendPause(Duration.ofMillis(5));
    try {
      load.start(QUEUES[0], 2).start(QUEUES[1], 1);
    } catch (jakarta.jms.JMSException e) {
      throw new CampaignException("cannot start the clients: " + e, e);
    }
    awaitProgress(20);
  }

  private void inject(int n, Fault fault) {
    if (!steady()) {
      report.unrecovered(
          fault, "before fault " + n + ": the pair did not serve within " + RECOVERY);
      return;
    }
    awaitProgress(10);
    Member primary = pair.get(0).health() == 200 ? pair.get(0) : pair.get(1);
    Member backup = other(primary);
    Duration hold = Duration.ofMillis(1000 + random.nextInt(3000));
    if (fault == Fault.CRASH_PRIMARY_HOST || fault == Fault.CRASH_BACKUP_HOST) {
      hold = Duration.ofMillis(2000 + random.nextInt(10_000)); // a reboot takes a while
    } else if (fault.zookeeper) {
      hold = Duration.ofMillis(1000 + random.nextInt(5000)); // below and beyond the session
    }
    note(
        String.format(
            "fault %d: %s (primary %s, hold %d ms)",
            n, fault.label, primary.host.name(), hold.toMillis()));
    long t0 = System.nanoTime();
    switch (fault) {
      case KILL_PRIMARY -> killAndRestart(primary, false, hold);
      case KILL_BACKUP -> killAndRestart(backup, false, hold);
      case CRASH_PRIMARY_HOST -> killAndRestart(primary, true, hold);
      case CRASH_BACKUP_HOST -> killAndRestart(backup, true, hold);
      case PAUSE_PRIMARY -> pause(primary, hold);
      case PAUSE_BACKUP -> pause(backup, hold);
      case PARTITION_MEMBERS -> partition(primary, backup.host.address(), backup, hold);
      case PARTITION_CLIENTS -> partition(primary, hosts.clientAddress(), null, hold);
      case PARTITION_PRIMARY_ZOOKEEPER -> cutPorts(primary.host, false, hold, Ensemble.CLIENT_PORT);
      case PARTITION_ZOOKEEPER_NODE ->
          cutPorts(zooKeeperHost(), true, hold, Ensemble.QUORUM_PORT, Ensemble.ELECTION_PORT);
      case KILL_ZOOKEEPER_NODE -> killZooKeeper(zooKeeperHost(), hold);
      default -> throw new IllegalStateException("no nemesis for " + fault);
    }
    long healed = System.nanoTime();
    long acksBefore = load.history().ackedCount();
    boolean back = steady() && waitFor(PROGRESS, () -> load.history().ackedCount() > acksBefore);
    long t1 = System.nanoTime();
    if (!back) {
      report.unrecovered(
          fault,
          "after fault "
              + n
              + " ("
              + fault.label
              + "): not serving within "
              + RECOVERY.plus(PROGRESS));
    }
    long gap = Report.longestGap(load.history().ackNanos(), t0, t1);
    report.fault(fault, gap / 1_000_000, (t1 - healed) / 1_000_000);
    note(
        String.format(
            "  healed; serving again %d ms after the heal, longest gap %d ms",
            (t1 - healed) / 1_000_000, gap / 1_000_000));
  }

  /**
   * A broker's SIGKILL, or a host's crash: its link goes down first, so that nothing it held open
   * is closed or reset as far as the others can tell, then every process on it is killed; the link
   * comes back after {@code hold} (the host rebooted) and the broker is started again.
   */
  private void killAndRestart(Member victim, boolean wholeHost, Duration hold) {
    Member survivor = other(victim);
    if (wholeHost) {
      hosts.link(victim.host, false);
      note("  killed " + Hosts.crash(victim.host) + " processes on " + victim.host.name());
      victim.awaitGone(Duration.ofSeconds(30));
    } else {
      victim.kill();
    }
    // a survivor that had exited by itself (fenced by the fault before) is started again, as its
    // service manager would: otherwise nobody serves until the victim is back
    if (waitFor(
        RECOVERY,
        () -> {
          revive(victim);
          return survivor.health() == 200;
        })) {
      note("  " + survivor + " serves");
    }
    if (wholeHost) {
      Await.pause(hold);
      hosts.link(victim.host, true);
      if (ensemble != null) {
        // the host's ZooKeeper node died with it and comes back with it
        ensemble.awaitGone(victim.host, Duration.ofSeconds(30));
        ensemble.start(victim.host);
      }
    }
    victim.start();
  }

  private Hosts.Host zooKeeperHost() {
    List<Hosts.Host> nodes = ensemble.hosts();
    return nodes.get(random.nextInt(nodes.size()));
  }

  private void cutPorts(Hosts.Host host, boolean inbound, Duration hold, int... ports) {
    note("  cut " + host.name() + " from ports " + java.util.Arrays.toString(ports));
    hosts.cutPorts(host, inbound, ports);
    Await.pause(hold);
    hosts.healPorts(host, inbound, ports);
  }

  private void killZooKeeper(Hosts.Host host, Duration hold) {
    note("  killed the ZooKeeper node on " + host.name());
    ensemble.kill(host);
    Await.pause(hold);
    ensemble.start(host);
  }

  private void pause(Member victim, Duration hold) {
    victim.signal("STOP");
    Await.pause(hold);
    victim.signal("CONT");
  }

  private void partition(Member primary, String peer, Member backup, Duration hold) {
    hosts.cut(primary.host, peer);
    if (backup != null) {
      hosts.cut(backup.host, primary.host.address());
    }
    Await.pause(hold);
    hosts.heal(primary.host, peer);
    if (backup != null) {
      hosts.heal(backup.host, primary.host.address());
    }
  }

  /**
   * Waits until one member serves and the other is its paired backup, restarting a member that
   * exited by itself (and noting why): the pair must always come back by itself.
   */
  private boolean steady() {
    return waitFor(
        RECOVERY,
        () -> {
          revive(null);
          if (ensemble != null && !ensemble.serving()) {
            return false;
          }
          Member a = pair.get(0);
          Member b = pair.get(1);
          return (a.health() == 200 && isPairedBackup(b))
              || (b.health() == 200 && isPairedBackup(a));
        });
  }

  /** Starts again every member but {@code except} that exited by itself, noting why. */
  private void revive(Member except) {
    for (Member m : pair) {
      if (m != except && !m.alive()) {
        report.exited(m + " exited by itself with status " + m.exitValue() + "; log " + m.log);
        note("  " + m + " exited with status " + m.exitValue() + "; restarting it");
        m.start();
      }
    }
  }

  private static boolean isPairedBackup(Member m) {
    return m.state()
        .map(s -> "backup".equals(s.get("role")) && Boolean.TRUE.equals(s.get("peer_connected")))
        .orElse(false);
  }

  private Member other(Member m) {
    return pair.get(0) == m ? pair.get(1) : pair.get(0);
  }

  private void awaitProgress(long acks) {
    long before = load.history().ackedCount();
    if (!waitFor(PROGRESS, () -> load.history().ackedCount() >= before + acks)) {
      report.unrecovered(null, "no " + acks + " acknowledged sends within " + PROGRESS);
    }
  }

  private void finish(PrimaryWatch watch) {
    boolean back = steady();
    note("last fault healed; pair serving: " + back);
    long before = load.history().ackedCount();
    if (!back || !waitFor(PROGRESS, () -> load.history().ackedCount() > before)) {
      report.unrecovered(null, "after the last fault: not serving within " + RECOVERY);
    }
    try {
      load.stopProducing();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    ClientHistory history = load.history();
    waitFor(DRAIN, () -> history.missing().isEmpty());
    watch.close();
    report.history(history, watch.check());
    keep(history, watch);
  }

  private void keep(ClientHistory history, PrimaryWatch watch) {
    try {
      Files.write(
          settings.dir().resolve("history.txt"),
          history.ops().stream().map(ClientHistory.Op::line).toList(),
          StandardCharsets.UTF_8);
      Files.write(
          settings.dir().resolve("samples.txt"),
          watch.samples().stream().map(PrimaryWatch.Sample::toString).toList(),
          StandardCharsets.UTF_8);
      Files.write(
          settings.dir().resolve("client-failures.txt"),
          load.failures().stream().map(Object::toString).collect(Collectors.toList()),
          StandardCharsets.UTF_8);
    } catch (IOException e) {
      note("cannot keep the history: " + e);
    }
  }

  private void require(String what, BooleanSupplier condition) {
    if (!waitFor(RECOVERY, condition)) {
      List<String> logs = new ArrayList<>();
      if (pair != null) {
        pair.forEach(m -> logs.add(m.log.toString()));
      }
      if (ensemble != null) {
        ensemble
            .hosts()
            .forEach(h -> logs.add(settings.dir().resolve("zk-" + h.name() + ".log").toString()));
      }
      throw new CampaignException("not within " + RECOVERY + ": " + what + "; logs " + logs);
    }
  }

  private static boolean waitFor(Duration timeout, BooleanSupplier condition) {
    long end = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        return false;
      }
      Await.pause(Duration.ofMillis(50));
    }
    return true;
  }

  private void note(String line) {
    String stamped = Instant.now() + " " + line;
    settings.out().println(stamped);
    try {
      Files.writeString(
          timeline, stamped + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      settings.out().println("cannot write " + timeline + ": " + e);
    }
  }
}
