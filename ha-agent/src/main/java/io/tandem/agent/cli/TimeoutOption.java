package io.tandem.agent.cli;

import java.time.Duration;
import picocli.CommandLine.Option;

/* The --timeout option of the commands that talk to a running agent over its control socket. */
final class TimeoutOption {
  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      description =
          "give up when the agent has not answered within this many seconds, at least 1"
              + " (default: 5; for release, the agent's own release bound plus 5)")
  Long seconds;

  Duration orDefault(Duration fallback) {
    return seconds == null ? fallback : Duration.ofSeconds(Math.max(1, seconds));
  }
}
