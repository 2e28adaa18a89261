package io.tandem.broker.cli;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.logging.Logger;

/**
 * Where {@code tandem broker --exit-status-file FILE} leaves its exit status for the cluster agent
 * that started it, which cannot wait for a process it detached: one line {@code STATUS NAME
 * REASON}, e.g. {@code 3 FENCED FENCED: store fence moved from 2 to 3; ...}, with the {@link
 * ExitCodes} number and name and the log line that explains it. Written just before the process
 * ends with a status, a failed start included; nothing is written when it is killed.
 *
 * <p>The file is written in place rather than replaced, so that an agent running as root may create
 * it for a broker that runs as a user unable to create files next to the pid file.
 */
final class ExitStatusFile {
  private static final Logger LOG = Logger.getLogger(ExitStatusFile.class.getName());

  /** One per process: the exit paths that halt the JVM are static, as the process's end is. */
  private static volatile Path file;

  private ExitStatusFile() {}

  /** Records exits into {@code target} from now on; null records nothing. */
  static void use(Path target) {
    file = target;
  }

  /** Records {@code status} with {@code reason}; a failure to write is logged, never thrown. */
  static void record(int status, String reason) {
    Path target = file;
    if (target == null) {
      return;
    }
    String line = status + " " + name(status) + " " + reason.replaceAll("[\\r\\n]+", " ") + "\n";
    try {
      Files.writeString(
          target,
          line,
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.TRUNCATE_EXISTING,
          StandardOpenOption.WRITE);
    } catch (IOException e) {
      LOG.warning("cannot record exit status " + status + " in " + target + ": " + e);
    }
  }

  /** The name of {@code status} among the {@link ExitCodes} constants, so both cannot drift. */
  static String name(int status) {
    for (Field f : ExitCodes.class.getFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == int.class) {
        try {
          if (f.getInt(null) == status) {
            return f.getName();
          }
        } catch (IllegalAccessException e) {
          // a public constant is always readable; skip it if not
        }
      }
    }
    return "UNKNOWN";
  }
}
