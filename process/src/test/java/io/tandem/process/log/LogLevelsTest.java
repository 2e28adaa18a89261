package io.tandem.process.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tandem.process.ProcessException;
import io.tandem.process.config.ConfigLine;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

class LogLevelsTest {
  private static ConfigLine line(String value) {
    return new ConfigLine(Path.of("t.conf"), 9, LogLevels.KEY, value);
  }

  private static String refused(String value) {
    return assertThrows(ProcessException.class, () -> LogLevels.parse(line(value))).getMessage();
  }

  @Test
  void shouldParseLevelsByPackageInOrderAndAnyCase() {
    LogLevels levels =
        LogLevels.parse(line("io.tandem.broker.store=FINE, org.apache.zookeeper = info,Main=off"));

    assertEquals(
        List.of("io.tandem.broker.store", "org.apache.zookeeper", "Main"),
        List.copyOf(levels.levels().keySet()));
    assertEquals(Level.FINE, levels.levels().get("io.tandem.broker.store"));
    assertEquals(Level.INFO, levels.levels().get("org.apache.zookeeper"));
    assertEquals(Level.OFF, levels.levels().get("Main"));
  }

  @Test
  void shouldRefuseBadEntriesNamingFileAndLine() {
    assertEquals(
        "t.conf:9: 'io.tandem' is not logger=LEVEL, e.g. io.tandem.broker.store=FINE",
        refused("io.tandem"));
    assertEquals(
        "t.conf:9: 'LOUD' is not a log level (SEVERE, WARNING, INFO, CONFIG, FINE, FINER, FINEST,"
            + " ALL, OFF)",
        refused("io.tandem=LOUD"));
    assertEquals(
        "t.conf:9: 'io..tandem' is not a package or class name", refused("io..tandem=FINE"));
    assertEquals(
        "t.conf:9: '' is not logger=LEVEL, e.g. io.tandem.broker.store=FINE", refused("a=FINE,"));
    assertEquals("t.conf:9: the level of 'a' is set twice", refused("a=FINE, a=INFO"));
    assertEquals(
        "t.conf:9: '800' is not a log level (SEVERE, WARNING, INFO, CONFIG, FINE, FINER,"
            + " FINEST, ALL, OFF)",
        refused("a=800"));
  }
}
