package io.tandem.agent;

import io.tandem.lock.Lease;
import java.time.Duration;
import java.util.Optional;

/** The cluster-wide lock the agents contend for, and the record of which node is active. */
public interface Election extends AutoCloseable {

  /**
   * Waits up to {@code timeout} for the lock.
   *
   * @return the lease, or empty if the lock stayed held elsewhere or {@link #abort} was called
   * @throws AgentException {@code ZOOKEEPER} if the lock could not be tried
   */
  Optional<Lease> await(Duration timeout);

  /** Makes an {@link #await} in progress on another thread return empty at once. */
  void abort();

  /**
   * Records this node as the active one for {@code epoch}, while holding its lease.
   *
   * @return the previous active node if it is another node that never recorded a clean stop
   */
  Optional<Predecessor> recordActive(long epoch);

  /**
   * Records that this node stopped cleanly at {@code epoch} (broker stopped, store unmounted),
   * unless another node has recorded itself since. Best effort: failures are logged.
   */
  void recordStopped(long epoch);

  /** Names the lock for logs. */
  String describe();

  /** Ends any lease and closes the connection. Idempotent. */
  @Override
  void close();
}
