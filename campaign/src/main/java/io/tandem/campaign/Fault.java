package io.tandem.campaign;

/** The nemesis's faults, each healed before the next. */
enum Fault {
  /** SIGKILL of the primary's broker; restarted once the backup serves. */
  KILL_PRIMARY("SIGKILL primary"),
  /** SIGKILL of the backup's broker; restarted at once. */
  KILL_BACKUP("SIGKILL backup"),
  /** SIGSTOP of the primary for 1-4 s, then SIGCONT. */
  PAUSE_PRIMARY("SIGSTOP primary"),
  /** SIGSTOP of the backup for 1-4 s, then SIGCONT. */
  PAUSE_BACKUP("SIGSTOP backup"),
  /** Every packet between the two members dropped for 1-4 s. */
  PARTITION_MEMBERS("partition members"),
  /** Every packet between the clients and the primary's host dropped for 1-4 s. */
  PARTITION_CLIENTS("partition clients|primary"),
  /** The primary's host crashes: link down, every process SIGKILLed; back after 2-12 s. */
  CRASH_PRIMARY_HOST("crash primary host"),
  /** The backup's host crashes: link down, every process SIGKILLed; back after 2-12 s. */
  CRASH_BACKUP_HOST("crash backup host"),
  /** ZooKeeper lock: the primary cannot reach any ZooKeeper node for 1-6 s (its session: 2 s). */
  PARTITION_PRIMARY_ZOOKEEPER("partition primary|ZooKeeper", true),
  /** ZooKeeper lock: one node's quorum links to the other two dropped for 1-6 s. */
  PARTITION_ZOOKEEPER_NODE("partition one ZooKeeper node", true),
  /** ZooKeeper lock: SIGKILL of one ZooKeeper node, restarted after 1-6 s. */
  KILL_ZOOKEEPER_NODE("SIGKILL one ZooKeeper node", true);

  final String label;

  /** Whether it needs the ZooKeeper deployment. */
  final boolean zookeeper;

  Fault(String label) {
    this(label, false);
  }

  Fault(String label, boolean zookeeper) {
    this.label = label;
    this.zookeeper = zookeeper;
  }

  /** The faults a deployment with ({@code true}) or without a ZooKeeper ensemble can take. */
  static java.util.List<Fault> of(boolean withZooKeeper) {
    return java.util.Arrays.stream(values()).filter(f -> withZooKeeper || !f.zookeeper).toList();
  }
}
