package io.tandem.bench.broker;

import io.tandem.bench.BenchException;
import io.tandem.bench.artemis.ArtemisMain;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts broker JVMs and remembers every one, so that {@link #close} (and a JVM shutdown hook, for
 * an interrupted run) stops all of them by PID.
 */
public final class Brokers implements AutoCloseable {
  private final Path home;
  private final List<String> jvmOptions;
  private final String classpath;
  private final long journalBufferTimeoutNs;
  private final long tandemMaxMsgMemory;
  private final List<BrokerProcess> started = new ArrayList<>();
  private final Thread hook = new Thread(this::close, "bench-broker-reaper");

  /**
   * @param home the Tandem checkout holding {@code bin/tandem}
   * @param jvmOptions the JVM options of both brokers
   * @param classpath the classpath holding {@link ArtemisMain} and Artemis
   * @param journalBufferTimeoutNs Artemis's journal buffer timeout (the disk's sync time)
   * @param tandemMaxMsgMemory Tandem's {@code max_msg_memory} in bytes
   */
  public Brokers(
      Path home,
      List<String> jvmOptions,
      String classpath,
      long journalBufferTimeoutNs,
      long tandemMaxMsgMemory) {
    this.home = home;
    this.jvmOptions = List.copyOf(jvmOptions);
    this.classpath = classpath;
    this.journalBufferTimeoutNs = journalBufferTimeoutNs;
    this.tandemMaxMsgMemory = tandemMaxMsgMemory;
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** Spawns the broker and returns at once; use the process's await methods for readiness. */
  public synchronized BrokerProcess spawn(Launch launch) {
    started.removeIf(b -> !b.isAlive());
    try {
      Files.createDirectories(launch.dir());
      Path log = launch.dir().resolve("broker.log");
      int admin = launch.kind() == BrokerKind.TANDEM ? freePort() : 0;
      ProcessBuilder pb =
          launch.kind() == BrokerKind.TANDEM ? tandem(launch, admin) : artemis(launch);
      pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      long t0 = System.nanoTime();
      Process p = pb.start();
      BrokerProcess b = new BrokerProcess(launch.kind(), p, t0, log, launch.amqpPort(), admin);
      started.add(b);
      return b;
    } catch (IOException e) {
      throw new BenchException(
          BenchException.Category.FAILED, "cannot start " + launch.kind().label(), e);
    }
  }

  private ProcessBuilder tandem(Launch launch, int adminPort) throws IOException {
    Path conf = TandemConfig.write(launch, adminPort, tandemMaxMsgMemory);
    ProcessBuilder pb =
        new ProcessBuilder(
            home.resolve("bin/tandem").toString(), "broker", "--config", conf.toString());
    pb.environment().put("TANDEM_JAVA_OPTS", String.join(" ", jvmOptions));
    pb.directory(launch.dir().toFile());
    return pb;
  }

  private ProcessBuilder artemis(Launch launch) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmOptions);
    cmd.add("-cp");
    cmd.add(classpath);
    cmd.add(ArtemisMain.class.getName());
    cmd.add(launch.store().toString());
    cmd.add(Integer.toString(launch.amqpPort()));
    cmd.add(Long.toString(journalBufferTimeoutNs));
    cmd.add(launch.role().name().toLowerCase(java.util.Locale.ROOT));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.directory(launch.dir().toFile());
    return pb;
  }

  /** A free TCP port on 127.0.0.1. */
  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new BenchException(BenchException.Category.FAILED, "no free port", e);
    }
  }

  /** Stops every broker this instance started that is still running. */
  @Override
  public synchronized void close() {
    for (BrokerProcess b : started) {
      b.close();
    }
    started.clear();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // already shutting down: this is the hook itself running
    }
  }
}
