package io.tandem.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Run by the build after the fuzz executions (docs/fuzzing.md), not with the unit tests: every
 * target reported tests that passed, and no finding was written. A finding reported from a thread
 * other than the fuzzing one can end the forked JVM before surefire hears of it, and surefire then
 * counts zero tests as success; the finding's file is still there.
 */
class FuzzRunsCheck {
  private static final Path REPORTS = Path.of("target/fuzz-reports");
  private static final Pattern COUNTS =
      Pattern.compile(
          "<testsuite [^>]*tests=\"(\\d+)\"[^>]*errors=\"(\\d+)\"[^>]*failures=\"(\\d+)\"");

  @Test
  void shouldHaveFuzzedEveryTargetWithoutFindings() throws Exception {
    try (Stream<Path> files = Files.walk(Path.of("src/test/resources"))) {
      List<Path> findings =
          files
              .filter(p -> p.getFileName().toString().matches("(crash|timeout|oom|slow-unit)-.*"))
              .toList();
      assertEquals(List.of(), findings, "fuzzing found inputs that break a target");
    }
    for (String target : List.of("amqp", "config", "peer-line", "segment", "selector")) {
      Path dir = REPORTS.resolve("fuzz-" + target);
      List<Path> reports;
      try (Stream<Path> files = Files.list(dir)) {
        reports = files.filter(p -> p.getFileName().toString().endsWith(".xml")).toList();
      }
      assertEquals(1, reports.size(), dir + " has the report of its run");
      Matcher m = COUNTS.matcher(Files.readString(reports.get(0)));
      assertTrue(m.find(), reports.get(0) + " has counts");
      assertTrue(Integer.parseInt(m.group(1)) > 0, target + " ran tests");
      assertEquals("0", m.group(2), target + " errors");
      assertEquals("0", m.group(3), target + " failures");
    }
  }
}
