package io.tandem.broker.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.broker.BrokerException;
import io.tandem.testing.DocBlocks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Level;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code log_levels} in tandem.conf, and the key tables of docs/configuration.md. */
class LogLevelsConfigTest {
  private static final Path DOC = Path.of("../docs/configuration.md");
  @TempDir Path dir;

  private Path conf(String text) throws Exception {
    Path f = dir.resolve("tandem.conf");
    Files.writeString(f, text);
    return f;
  }

  @Test
  void shouldSetNoLevelsByDefault() throws Exception {
    assertEquals(Map.of(), ConfigLoader.load(conf("server = a\n")).logLevels().levels());
  }

  @Test
  void shouldLoadTheDocumentedLogLevels() throws Exception {
    List<String> blocks = DocBlocks.read(DOC, "log-levels.conf");
    assertEquals(1, blocks.size());

    BrokerConfig c = ConfigLoader.load(conf(blocks.get(0)));

    assertEquals(
        Map.of("io.tandem.broker.store", Level.FINE, "org.apache.zookeeper", Level.INFO),
        c.logLevels().levels());
  }

  @Test
  void shouldRefuseABadLevelNamingFileAndLine() throws Exception {
    Path f = conf("server = a\nlog_levels = io.tandem.broker.store=LOUD\n");

    BrokerException e = assertThrows(BrokerException.class, () -> ConfigLoader.load(f));

    assertEquals(BrokerException.Category.CONFIG, e.category());
    assertTrue(
        e.getMessage()
            .startsWith(f.toAbsolutePath() + ":2: 'LOUD' is not a log level (SEVERE, WARNING,"),
        e.getMessage());
  }

  @Test
  void shouldDocumentEveryKeyAndOnlyKnownKeys() throws Exception {
    Set<String> documented = new TreeSet<>();
    List<String> patterns = new java.util.ArrayList<>();
    Pattern key = Pattern.compile("`([a-z_]+\\*?)`");
    for (String line : Files.readAllLines(DOC)) {
      if (!line.startsWith("| `")) {
        continue;
      }
      Matcher m = key.matcher(line.substring(0, line.indexOf(" | ", 2)));
      while (m.find()) {
        String k = m.group(1);
        if (k.endsWith("*")) {
          patterns.add(k.substring(0, k.length() - 1));
        } else {
          documented.add(k);
        }
      }
    }
    for (String k : ConfigLoader.KEYS) {
      assertTrue(
          documented.contains(k) || patterns.stream().anyMatch(k::startsWith),
          k + " is not in a table of " + DOC);
    }
    Set<String> properties =
        Set.of(
            "failsafe",
            "secure",
            "maxbytes",
            "maxmsgs",
            "overflowPolicy",
            "maxRedelivery",
            "expiration");
    for (String k : documented) {
      assertTrue(
          ConfigLoader.KEYS.contains(k) || properties.contains(k),
          DOC + " documents '" + k + "', which tandem.conf does not know");
    }
  }
}
