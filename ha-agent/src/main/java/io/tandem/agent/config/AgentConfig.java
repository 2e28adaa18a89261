package io.tandem.agent.config;

import io.tandem.agent.AgentPolicy;
import io.tandem.agent.Standby;
import io.tandem.lock.ZooKeeperLockConfig;
import io.tandem.process.log.LogLevels;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A validated {@code agent.conf}; see {@code docs/ha-agent.md} for every key.
 *
 * @param source the file it was read from
 * @param policy node name and the cycle's timing
 * @param zooKeeper where the lock lives and the session timeout
 * @param reconnectGrace how long a disconnection from ZooKeeper may last before the lease is
 *     treated as suspect
 * @param store the store directory
 * @param brokerConfig the broker's {@code tandem.conf}
 * @param healthUrl the broker's {@code /health} URL
 * @param tandemCommand the {@code tandem} launcher that runs the broker and writes the fence
 * @param mount the mount command
 * @param unmount the unmount command
 * @param fence the fence (STONITH) command for a predecessor that never stopped cleanly
 * @param runDir where the control socket, the broker's pid file and its log live
 * @param brokerLog the file the broker's output is appended to
 * @param logLevels the levels {@code log_levels} sets for packages, applied when the agent starts
 * @param standby what is kept ready while the agent waits for the lock ({@code standby}, {@code
 *     standby_reads_store})
 */
public record AgentConfig(
    Path source,
    AgentPolicy policy,
    ZooKeeperLockConfig zooKeeper,
    Duration reconnectGrace,
    Path store,
    Path brokerConfig,
    URI healthUrl,
    Path tandemCommand,
    HookCommand mount,
    HookCommand unmount,
    HookCommand fence,
    Path runDir,
    Path brokerLog,
    LogLevels logLevels,
    Standby standby) {

  /** Whether a broker JVM is kept started and waiting while the agent waits for the lock. */
  public boolean warmStandby() {
    return standby.warm();
  }

  /** The control socket of the agent running with this configuration. */
  public Path controlSocket() {
    return runDir.resolve("agent.sock");
  }

  /** The file recording the broker child's pid and start time. */
  public Path brokerPidFile() {
    return runDir.resolve("broker.pid");
  }
}
