package io.tandem.dist;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What the package test finds on the machine before it installs, so that it leaves the machine so:
 * whether the tandem user and /var/lib/tandem were there. It is also written to a file while the
 * package is installed, so that a run killed before its purge is cleaned up by the next one.
 */
final class Machine {
  private static final Path VAR = Path.of("/var/lib/tandem");
  private static final Path RECORD = Path.of("/var/tmp/tandem-dist-package-it.state");

  private final boolean user;
  private final boolean var;

  private Machine(boolean user, boolean var) {
    this.user = user;
    this.var = var;
  }

  /** Notes the machine as it is now, on disk too. */
  static Machine record(Path log) throws IOException {
    Machine m = new Machine(Packages.userExists(log), Files.exists(VAR, LinkOption.NOFOLLOW_LINKS));
    Files.writeString(RECORD, "user=" + m.user + "\nvar=" + m.var + "\n");
    return m;
  }

  /**
   * A record left on disk means a run was killed while its package was installed or before it put
   * the machine back: purge that package and put the machine back as that run found it.
   */
  static void cleanUpAfterAKilledRun(Path log) throws IOException {
    if (!Files.isRegularFile(RECORD)) {
      return;
    }
    String text = Files.readString(RECORD);
    if (Packages.installed(log)) {
      Packages.dpkg(log, "-P", "tandem");
    }
    new Machine(text.contains("user=true"), text.contains("var=true")).restore(log);
  }

  /** Removes what the package test added: the store directory and the user, if they were not. */
  void restore(Path log) throws IOException {
    Duration wait = Duration.ofMinutes(2);
    if (!var) {
      Shell.run(List.of("rm", "-rf", VAR.toString()), Map.of(), wait, log);
    }
    if (!user && Packages.userExists(log)) {
      Shell.run(List.of("deluser", "--quiet", "--system", "tandem"), Map.of(), wait, log);
    }
    Files.deleteIfExists(RECORD);
  }
}
