package io.tandem.lock;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

// This process as a lock holder records it.
record ProcessIdentity(String host, long pid, Instant processStart) {

  private static final Path KERNEL_HOSTNAME = Path.of("/proc/sys/kernel/hostname");

  static ProcessIdentity current() {
    ProcessHandle self = ProcessHandle.current();
    Instant start =
        self.info()
            .startInstant()
            .orElseGet(
                () -> Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime()));
    return new ProcessIdentity(hostName(), self.pid(), start);
  }

  LockHolder holding(long epoch, Instant acquiredAt) {
    return new LockHolder(host, pid, processStart, acquiredAt, epoch);
  }

  // The kernel's host name; no DNS look-up, which could hang while the network is failing.
  private static String hostName() {
    try {
      String name = Files.readString(KERNEL_HOSTNAME, StandardCharsets.US_ASCII).strip();
      if (!name.isEmpty()) {
        return name;
      }
    } catch (IOException | SecurityException e) {
      // not Linux or /proc not mounted: fall through to the environment
    }
    String env = System.getenv("HOSTNAME");
    return env == null || env.isBlank() ? "unknown-host" : env.strip();
  }
}
