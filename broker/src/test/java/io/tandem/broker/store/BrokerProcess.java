package io.tandem.broker.store;

import io.tandem.broker.BrokerJvm;
import io.tandem.testing.ChildProcess;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A {@code tandem broker} in its own JVM, started like {@code bin/tandem broker} does (same main
 * class, this build's classes). Its output goes to a log file that is kept for failures.
 */
final class BrokerProcess implements AutoCloseable {
  private final ChildProcess process;
  final Path log;

  private BrokerProcess(ChildProcess process, Path log) {
    this.process = process;
    this.log = log;
  }

  static BrokerProcess start(Path config, Path log, int amqpPort) throws IOException {
    ChildProcess p = ChildProcess.start(BrokerJvm.command(config, "256m"), log);
    BrokerProcess b = new BrokerProcess(p, log);
    try {
      b.awaitPort(amqpPort, Duration.ofSeconds(60));
    } catch (IOException | RuntimeException e) {
      b.close();
      throw e;
    }
    return b;
  }

  private void awaitPort(int port, Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException("broker exited with " + process.exitValue() + "; log: " + log);
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException e) {
        pause();
      }
    }
    throw new IOException("broker did not listen on " + port + " within " + timeout + "; " + log);
  }

  /** Between connection attempts to a port that is not open yet. */
  private static void pause() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** SIGKILL, and wait until it is gone. */
  void kill() throws InterruptedException {
    process.kill();
  }

  /** Waits for the process to end by itself; its exit status. */
  int awaitExit(Duration timeout) throws InterruptedException {
    return process.awaitExit(timeout);
  }

  /** SIGTERM; the exit status. */
  int stop() throws InterruptedException {
    return process.stop(Duration.ofSeconds(60));
  }

  static int freePort() throws IOException {
    return io.tandem.testing.AdminHttp.freePort();
  }

  @Override
  public void close() {
    process.close();
  }
}
