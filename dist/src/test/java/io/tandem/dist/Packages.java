package io.tandem.dist;

import io.tandem.testing.Await;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** dpkg as an operator runs it, waiting while another dpkg or apt holds the database. */
final class Packages {
  private static final Duration LOCK_WAIT = Duration.ofMinutes(3);

  private Packages() {}

  /** {@code dpkg ARGS}, which must exit 0; retried while dpkg's lock is held by another. */
  static String dpkg(Path log, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("dpkg"));
    command.addAll(List.of(args));
    long deadline = System.nanoTime() + LOCK_WAIT.toNanos();
    while (true) {
      Shell.Result r = Shell.run(command, Map.of(), Duration.ofMinutes(3), log);
      if (r.exit() == 0) {
        return r.output();
      }
      if (!r.output().contains("lock") || System.nanoTime() > deadline) {
        throw new AssertionError(String.join(" ", command) + ": " + r + "; log " + log);
      }
      Await.pause(Duration.ofSeconds(1));
    }
  }

  /** Whether dpkg knows a tandem package in any state but purged. */
  static boolean installed(Path log) throws IOException {
    Shell.Result r =
        Shell.run(
            List.of("dpkg-query", "-W", "-f", "${db:Status-Abbrev}", "tandem"),
            Map.of(),
            Duration.ofSeconds(60),
            log);
    return r.exit() == 0 && !r.output().isBlank() && !r.output().startsWith("un");
  }

  static boolean userExists(Path log) throws IOException {
    return Shell.run(List.of("getent", "passwd", "tandem"), Map.of(), Duration.ofSeconds(30), log)
            .exit()
        == 0;
  }

  /** Every path the package file holds, directories included, as installed paths. */
  static List<Path> contents(Path deb, Path log) throws IOException {
    List<Path> paths = new ArrayList<>();
    for (String line :
        Shell.ok(List.of("dpkg-deb", "-c", deb.toString()), Map.of(), log).split("\n")) {
      int at = line.indexOf(" ./");
      if (at < 0) {
        continue;
      }
      String name = line.substring(at + 2);
      int arrow = name.indexOf(" -> ");
      if (arrow >= 0) {
        name = name.substring(0, arrow);
      }
      if (name.length() > 1) {
        paths.add(Path.of(name));
      }
    }
    return paths;
  }
}
