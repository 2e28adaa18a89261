package io.tandem.broker.cli;

import io.tandem.lock.FencedLocks;
import io.tandem.lock.LockException;
import io.tandem.lock.LockStatus;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tandem lock status}: who holds a store's lock, with which epoch. */
@Command(
    name = "lock",
    mixinStandardHelpOptions = true,
    description = "Inspect the fenced lock of a store.",
    subcommands = {LockCommand.Status.class})
final class LockCommand {

  /** Prints the lock's holder and epoch; exit 0 held, 4 not held, 1 on error. */
  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = "Show who holds the lock.")
  static final class Status implements Callable<Integer> {
    /** Exit code when nobody holds the lock. */
    static final int NOT_HELD = 4;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    /** Either a store directory or a ZooKeeper lock. */
    static final class Target {
      @Option(names = "--store", paramLabel = "DIR", description = "store directory (file lock)")
      Path store;

      @Option(
          names = "--zookeeper",
          paramLabel = "CONNECT",
          description = "ZooKeeper connect string")
      String zookeeper;
    }

    @Option(
        names = "--path",
        paramLabel = "PATH",
        description = "ZooKeeper lock path (with --zookeeper)")
    String path;

    @Override
    public Integer call() {
      try {
        LockStatus status;
        if (target.store != null) {
          status = FencedLocks.inspectFile(target.store);
        } else {
          if (path == null) {
            System.err.println("--path is required with --zookeeper");
            return ExitCodes.CONFIG;
          }
          status = FencedLocks.inspectZooKeeper(target.zookeeper, path);
        }
        System.out.println(status.describe());
        return status.held() ? ExitCodes.OK : NOT_HELD;
      } catch (LockException e) {
        System.err.println("lock status failed: " + e.getMessage());
        return ExitCodes.FAILURE;
      }
    }
  }
}
