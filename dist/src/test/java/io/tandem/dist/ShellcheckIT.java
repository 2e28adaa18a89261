package io.tandem.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The launchers and the package's maintainer scripts are POSIX sh, shellcheck-clean. */
class ShellcheckIT {
  @Test
  void shouldFindNothingInTheLaunchersAndTheMaintainerScripts() throws Exception {
    assertTrue(
        Files.isExecutable(Path.of("/usr/bin/shellcheck")),
        "shellcheck is missing: run .ci/run or apt-get install shellcheck");
    Path control = Shell.HOME.resolve("dist/src/deb/control");
    List<String> command =
        List.of(
            "shellcheck",
            "-s",
            "sh",
            Shell.HOME.resolve("bin/tandem").toString(),
            Shell.HOME.resolve("bin/ha-agent").toString(),
            Shell.HOME.resolve("bin/tandem-campaign").toString(),
            control.resolve("postinst").toString(),
            control.resolve("prerm").toString(),
            control.resolve("postrm").toString());
    Path log = Shell.workDir("shellcheck").resolve("shellcheck.log");
    Shell.Result r = Shell.run(command, Map.of(), Duration.ofSeconds(60), log);
    assertEquals(0, r.exit(), r.toString());
  }
}
