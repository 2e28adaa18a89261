package io.tandem.broker;

import io.tandem.testing.ChildProcess;
import java.nio.file.Path;
import java.util.List;

/**
 * The command line of a {@code tandem broker} in its own JVM, as {@code bin/tandem broker} starts
 * it but with this build's classes, for process tests.
 */
public final class BrokerJvm {
  private BrokerJvm() {}

  /**
   * {@code java ... TandemCommand broker --config CONFIG} with a fixed heap of {@code heap}. Tests
   * stop the JIT at its first tier, which starts faster; a benchmark sets {@code
   * -Dtandem.member.fullJit=true} to run the brokers with the JIT {@code bin/tandem} runs them
   * with; {@code -Dtandem.member.jvmOptions="..."} adds options (a flight recording, GC logging)
   * separated by semicolons.
   */
  public static List<String> command(Path config, String heap) {
    List<String> jvm = new java.util.ArrayList<>();
    jvm.add("-Xms" + heap);
    jvm.add("-Xmx" + heap);
    jvm.add("-XX:+ExitOnOutOfMemoryError");
    // as bin/tandem: no full collection when an activation's first classes load
    jvm.add("-XX:MetaspaceSize=128m");
    // as bin/tandem: a killed member's memory is freed, and its sockets closed, sooner
    jvm.add("-XX:+UseTransparentHugePages");
    if (!Boolean.getBoolean("tandem.member.fullJit")) {
      jvm.add("-XX:TieredStopAtLevel=1");
    }
    jvm.add("-XX:+UseSerialGC");
    jvm.add("-Djava.util.logging.manager=io.tandem.process.log.ShutdownSafeLogManager");
    String more = System.getProperty("tandem.member.jvmOptions", "").trim();
    if (!more.isEmpty()) {
      jvm.addAll(List.of(more.split(";")));
    }
    return ChildProcess.javaCommand(
        jvm,
        ChildProcess.testClassPath(),
        "io.tandem.broker.cli.TandemCommand",
        List.of("broker", "--config", config.toString()));
  }
}
