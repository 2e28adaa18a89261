package io.tandem.broker.storagecheck;

import io.tandem.lock.FencedLock;
import io.tandem.lock.Lease;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The child processes of a storage check, each a JVM of its own so that it can be killed with
 * SIGKILL, and so that locks and files are contended by distinct processes: {@code writer FILE
 * NONCE GROUP MAX} appends blocks and reports every flush on stdout; {@code hold-lock DIR LOCKS}
 * takes the lock and keeps it until killed; {@code peer DIR SECONDS} is the local peer.
 */
public final class Agent {
  private Agent() {}

  /** Entry point of a child process; see the class description for the commands. */
  public static void main(String[] args) throws IOException, InterruptedException {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    exitWithParent();
    switch (args[0]) {
      case "writer" ->
          writer(
              Path.of(args[1]),
              Long.parseLong(args[2]),
              Integer.parseInt(args[3]),
              Long.parseLong(args[4]),
              out);
      case "hold-lock" -> holdLock(Path.of(args[1]), LockSimulation.of(args[2]), out);
      case "peer" ->
          System.exit(
              Peer.serve(
                  Path.of(args[1]),
                  Duration.ofSeconds(Long.parseLong(args[2])),
                  new PrintWriter(out, true)));
      default -> throw new IllegalArgumentException("unknown agent command " + args[0]);
    }
  }

  /**
   * Ends this process when its parent goes, however it went (even SIGKILL): the parent holds the
   * other end of stdin, so stdin reaches end of file. Without this a writer or lock holder left
   * behind by an interrupted check would wait forever.
   */
  private static void exitWithParent() {
    Thread watch =
        new Thread(
            () -> {
              try {
                while (System.in.read() >= 0) {
                  // the parent never writes; anything read is ignored
                }
              } catch (IOException e) {
                // treated as the parent being gone
              }
              Runtime.getRuntime().halt(1);
            },
            "parent-watch");
    watch.setDaemon(true);
    watch.start();
  }

  /**
   * Resumes after the last valid block and appends groups of blocks, each followed by fdatasync and
   * an acknowledgement line, until {@code max} blocks exist; then waits to be killed.
   */
  private static void writer(Path file, long nonce, int group, long max, PrintStream out)
      throws IOException, InterruptedException {
    try (FileChannel ch =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ)) {
      long n = Blocks.scan(file, nonce, 0).firstInvalid();
      out.println("started " + n);
      while (n < max) {
        for (int i = 0; i < group && n < max; i++) {
          Blocks.write(ch, nonce, n++);
        }
        ch.force(false);
        out.println("flushed " + n);
      }
      out.println("full " + n);
      waitForKill();
    }
  }

  private static void holdLock(Path dir, LockSimulation sim, PrintStream out)
      throws InterruptedException {
    try (FencedLock lock = sim.open(dir, "holder");
        Lease lease = lock.acquire(Duration.ofSeconds(60))) {
      out.println("held " + lease.epoch());
      waitForKill();
    }
  }

  private static void waitForKill() throws InterruptedException {
    List<Object> never = new ArrayList<>();
    synchronized (never) {
      while (true) {
        never.wait();
      }
    }
  }
}
