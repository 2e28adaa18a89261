package io.tandem.process.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.process.ProcessException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;

class ValuesTest {
  private static final ConfigLine AT = new ConfigLine(Path.of("/etc/t.conf"), 4, "k", "v");

  private static String refused(org.junit.jupiter.api.function.Executable parse) {
    return assertThrows(ProcessException.class, parse).getMessage();
  }

  @Test
  void shouldParseSizesWithUnits() {
    assertEquals(512, Values.size("512", AT));
    assertEquals(512, Values.size("512B", AT));
    assertEquals(10L << 10, Values.size("10KB", AT));
    assertEquals(64L << 20, Values.size("64mb", AT));
    assertEquals(2L << 30, Values.size(" 2 GB ", AT));
    assertEquals(
        "/etc/t.conf:4: 'lots' is not a size such as 512, 64KB, 10MB or 2GB",
        refused(() -> Values.size("lots", AT)));
    assertTrue(refused(() -> Values.size("9223372036854775807GB", AT)).contains("too large"));
  }

  @Test
  void shouldParseTimesInTheDefaultUnitUnlessSuffixed() {
    assertEquals(Duration.ofSeconds(30), Values.time("30", AT, ChronoUnit.SECONDS));
    assertEquals(Duration.ofMillis(30), Values.time("30", AT, ChronoUnit.MILLIS));
    assertEquals(Duration.ofMillis(500), Values.time("500msec", AT, ChronoUnit.SECONDS));
    assertEquals(Duration.ofMillis(500), Values.time("500ms", AT, ChronoUnit.SECONDS));
    assertEquals(Duration.ofSeconds(10), Values.time("10 sec", AT, ChronoUnit.MILLIS));
    assertEquals(Duration.ofMinutes(5), Values.time("5min", AT, ChronoUnit.SECONDS));
    assertEquals(Duration.ofHours(2), Values.time("2h", AT, ChronoUnit.SECONDS));
    assertEquals(Duration.ofDays(1), Values.time("1day", AT, ChronoUnit.SECONDS));
    assertEquals(
        "/etc/t.conf:4: 'ten' is not a time such as 30, 500msec, 10sec or 5min",
        refused(() -> Values.time("ten", AT, ChronoUnit.SECONDS)));
    assertEquals(
        "/etc/t.conf:4: '-1' must not be negative",
        refused(() -> Values.time("-1", AT, ChronoUnit.SECONDS)));
  }

  @Test
  void shouldBoundTimesAndNumbers() {
    ConfigLine two = new ConfigLine(Path.of("a.conf"), 7, "t", "2");
    assertEquals(
        "a.conf:7: '2' must be between 5sec and 500msec",
        refused(
            () ->
                Values.timeInRange(
                    two, ChronoUnit.SECONDS, Duration.ofSeconds(5), Duration.ofMillis(500))));
    assertEquals(
        Duration.ofSeconds(2),
        Values.timeInRange(two, ChronoUnit.SECONDS, Duration.ZERO, Duration.ofDays(1)));
    assertEquals(80, Values.intInRange("80", AT, 0, 65535));
    assertEquals(
        "/etc/t.conf:4: '99999' is out of range 0..65535",
        refused(() -> Values.intInRange("99999", AT, 0, 65535)));
  }

  @Test
  void shouldParseBooleansAsEmsWritesThem() {
    for (String yes : new String[] {"true", "enabled", "YES", "on"}) {
      assertTrue(Values.bool(yes, AT), yes);
    }
    for (String no : new String[] {"false", "Disabled", "no", "off"}) {
      assertFalse(Values.bool(no, AT), no);
    }
    assertEquals(
        "/etc/t.conf:4: 'maybe' is not a boolean (true/false)",
        refused(() -> Values.bool("maybe", AT)));
  }

  @Test
  void shouldDescribeDurationsAsAConfigurationFileWritesThem() {
    assertEquals("10sec", Values.describe(Duration.ofSeconds(10)));
    assertEquals("1500msec", Values.describe(Duration.ofMillis(1500)));
  }
}
