package io.tandem.agent;

/**
 * The operator's commands around the broker: mounting and unmounting the store, and fencing a
 * predecessor that never stopped cleanly (STONITH). Each throws {@link AgentException} {@code
 * COMMAND} if it fails or times out; an unset command succeeds at once.
 */
public interface HostHooks {

  /** Makes the store available on this host. */
  void mount(long epoch);

  /** Makes the store unavailable on this host. */
  void unmount(long epoch);

  /** Makes sure {@code stale}'s broker can no longer write, before this host starts one. */
  void fence(Predecessor stale, long epoch);
}
