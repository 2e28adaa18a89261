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
  CRASH_BACKUP_HOST("crash backup host");

  final String label;

  Fault(String label) {
    this.label = label;
  }
}
