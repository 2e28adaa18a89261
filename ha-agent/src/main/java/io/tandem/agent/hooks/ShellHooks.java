package io.tandem.agent.hooks;

import io.tandem.agent.AgentException;
import io.tandem.agent.HostHooks;
import io.tandem.agent.Predecessor;
import io.tandem.agent.config.HookCommand;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Runs the configured commands. Environment: {@code TANDEM_NODE}, {@code TANDEM_STORE}, {@code
 * TANDEM_EPOCH}; the fence command also gets {@code TANDEM_STALE_NODE} and {@code
 * TANDEM_STALE_EPOCH}. Exit status 0 is success; anything else, or the timeout, is a failure.
 */
public final class ShellHooks implements HostHooks {
  private static final Logger LOG = Logger.getLogger(ShellHooks.class.getName());

  private final String node;
  private final Path store;
  private final HookCommand mount;
  private final HookCommand unmount;
  private final HookCommand fence;
  private final Path scratch;

  /** Hooks for {@code node}; {@code scratch} is a directory for the commands' output. */
  public ShellHooks(
      String node,
      Path store,
      HookCommand mount,
      HookCommand unmount,
      HookCommand fence,
      Path scratch) {
    this.node = node;
    this.store = store;
    this.mount = mount;
    this.unmount = unmount;
    this.fence = fence;
    this.scratch = scratch;
  }

  @Override
  public void mount(long epoch) {
    run("mount_command", mount, env(epoch));
  }

  @Override
  public void unmount(long epoch) {
    run("unmount_command", unmount, env(epoch));
  }

  @Override
  public void fence(Predecessor stale, long epoch) {
    Map<String, String> env = env(epoch);
    env.put("TANDEM_STALE_NODE", stale.node());
    env.put("TANDEM_STALE_EPOCH", Long.toString(stale.epoch()));
    run("fence_command", fence, env);
  }

  private Map<String, String> env(long epoch) {
    Map<String, String> env = new HashMap<>();
    env.put("TANDEM_NODE", node);
    env.put("TANDEM_STORE", store.toString());
    env.put("TANDEM_EPOCH", Long.toString(epoch));
    return env;
  }

  private void run(String key, HookCommand hook, Map<String, String> env) {
    if (hook.command().isEmpty()) {
      return;
    }
    String command = hook.command().get();
    LOG.info(key + ": running '" + command + "' (timeout " + hook.timeout().toMillis() + " ms)");
    Path output = null;
    try {
      Files.createDirectories(scratch);
      output = Files.createTempFile(scratch, key, ".out");
      ProcessBuilder builder =
          new ProcessBuilder(List.of("/bin/sh", "-c", command))
              .redirectErrorStream(true)
              .redirectOutput(output.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      builder.environment().putAll(env);
      Process p = builder.start();
      boolean done = p.waitFor(hook.timeout().toNanos(), TimeUnit.NANOSECONDS);
      if (!done) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
      }
      String text = Files.readString(output, StandardCharsets.UTF_8).strip();
      if (!text.isEmpty()) {
        LOG.info(key + " output: " + text.replace("\n", "\n  "));
      }
      if (!done) {
        throw failed(
            key
                + " '"
                + command
                + "' timed out after "
                + hook.timeout().toMillis()
                + " ms and was killed");
      }
      if (p.exitValue() != 0) {
        throw failed(key + " '" + command + "' failed with status " + p.exitValue());
      }
    } catch (IOException e) {
      throw failed(key + " '" + command + "' could not run: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failed(key + " '" + command + "' interrupted");
    } finally {
      deleteQuietly(output);
    }
  }

  private static AgentException failed(String message) {
    return new AgentException(AgentException.Category.COMMAND, message);
  }

  private static void deleteQuietly(Path file) {
    if (file == null) {
      return;
    }
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      LOG.fine("cannot delete " + file + ": " + e.getMessage());
    }
  }
}
