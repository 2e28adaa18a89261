package io.tandem.campaign;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs one system command (ip, iptables, kill) with a deadline; never through a shell. */
final class Shell {
  private static final long TIMEOUT_SECONDS = 30;

  private Shell() {}

  /** The command's output; a non-zero exit or a hang is a {@link CampaignException}. */
  static String run(String... command) {
    Result r = attempt(command);
    if (r.exit() != 0) {
      throw new CampaignException(
          String.join(" ", command) + " exited " + r.exit() + ": " + r.out());
    }
    return r.out();
  }

  /** The command's exit status and output, whatever the status. */
  static Result attempt(String... command) {
    try {
      Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
      p.getOutputStream().close();
      byte[] out = p.getInputStream().readNBytes(1 << 20);
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new CampaignException(String.join(" ", command) + " did not return in 30 s");
      }
      return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8).strip());
    } catch (IOException e) {
      throw new CampaignException("cannot run " + command[0] + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CampaignException("interrupted running " + command[0], e);
    }
  }

  /** An exit status and the output with errors. */
  record Result(int exit, String out) {}
}
