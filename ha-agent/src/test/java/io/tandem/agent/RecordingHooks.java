package io.tandem.agent;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/* Records the operator commands the agent runs; mount can be made to fail. */
final class RecordingHooks implements HostHooks {
  final List<String> calls = new CopyOnWriteArrayList<>();
  volatile boolean failMount;

  @Override
  public void mount(long epoch) {
    calls.add("mount " + epoch);
    if (failMount) {
      throw new AgentException(AgentException.Category.COMMAND, "mount_command failed");
    }
  }

  @Override
  public void unmount(long epoch) {
    calls.add("unmount " + epoch);
  }

  @Override
  public void fence(Predecessor stale, long epoch) {
    calls.add("fence " + stale.node() + " " + stale.epoch() + " at " + epoch);
  }
}
