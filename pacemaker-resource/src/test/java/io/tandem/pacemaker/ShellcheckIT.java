package io.tandem.pacemaker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The OCF agent and the library it shares with the VCS agent are POSIX sh, shellcheck-clean. */
class ShellcheckIT {
  @Test
  void shouldFindNothingInTheAgentAndTheSharedLibrary() throws Exception {
    Commands.requireTool("shellcheck", "shellcheck");
    Path log = Commands.workDir("shellcheck").resolve("shellcheck.log");
    Commands.Result r =
        Commands.run(
            List.of(
                "shellcheck",
                "-s",
                "sh",
                OcfAgentIT.AGENT.toString(),
                Commands.HOME.resolve("libexec/tandem-agent-lib.sh").toString(),
                Commands.HOME.resolve("bin/tandem").toString()),
            Map.of(),
            Duration.ofSeconds(60),
            log);
    assertEquals(0, r.exit(), r.toString());
  }
}
