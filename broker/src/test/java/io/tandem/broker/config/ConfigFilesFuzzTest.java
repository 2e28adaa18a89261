package io.tandem.broker.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tandem.broker.BrokerException;
import io.tandem.broker.security.Users;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Coverage-guided fuzzing of the configuration parsers: {@code tandem.conf} (through {@link
 * ConfigLoader#load}), {@code queues.conf}, {@code topics.conf} and the users file. Whatever the
 * bytes, a file either loads or fails with a CONFIG error that names the file and a line (from 1);
 * no other exception escapes. An input is the four files' bytes, separated by lines {@code %%}, in
 * that order; seeds: {@code ConfigFilesFuzzTestInputs/}; see docs/fuzzing.md.
 */
class ConfigFilesFuzzTest {
  private static final byte[] SEPARATOR = {'\n', '%', '%', '\n'};
  private static final Pattern WHERE = Pattern.compile("(.+?):([0-9]+): .+", Pattern.DOTALL);
  private static final String[] FILES = {"tandem.conf", "queues.conf", "topics.conf", "users"};

  private static Path dir;

  @BeforeAll
  static void createDirectory() throws IOException {
    dir = Files.createTempDirectory("config-fuzz");
  }

  @AfterAll
  static void deleteDirectory() throws IOException {
    for (String name : FILES) {
      Files.deleteIfExists(dir.resolve(name));
    }
    Files.deleteIfExists(dir);
  }

  @FuzzTest(maxDuration = "15s")
  void anyFilesLoadOrFailNamingFileAndLine(byte[] input) throws IOException {
    List<byte[]> parts = split(input);
    List<Path> written = new ArrayList<>();
    for (int i = 0; i < FILES.length; i++) {
      Path file = dir.resolve(FILES[i]);
      Files.write(file, i < parts.size() ? parts.get(i) : new byte[0]);
      written.add(file.toAbsolutePath().normalize());
    }
    loadsOrFailsAtALine(() -> ConfigLoader.load(written.get(0)), written);
    loadsOrFailsAtALine(() -> DestinationRules.parse(written.get(1)), written.subList(1, 2));
    loadsOrFailsAtALine(() -> DestinationRules.parse(written.get(2)), written.subList(2, 3));
    loadsOrFailsAtALine(() -> Users.load(written.get(3), false), written.subList(3, 4));
  }

  private static void loadsOrFailsAtALine(Runnable load, List<Path> files) {
    try {
      load.run();
    } catch (BrokerException e) {
      assertEquals(BrokerException.Category.CONFIG, e.category(), e::toString);
      Matcher m = WHERE.matcher(e.getMessage());
      assertTrue(m.matches(), () -> "error names no file and line: " + e.getMessage());
      assertTrue(
          files.contains(Path.of(m.group(1))), () -> "error names another file: " + e.getMessage());
      assertTrue(Long.parseLong(m.group(2)) >= 1, () -> "error names line 0: " + e.getMessage());
    }
  }

  private static List<byte[]> split(byte[] input) {
    List<byte[]> parts = new ArrayList<>();
    int start = 0;
    for (int i = 0; i + SEPARATOR.length <= input.length; i++) {
      if (Arrays.equals(input, i, i + SEPARATOR.length, SEPARATOR, 0, SEPARATOR.length)) {
        parts.add(Arrays.copyOfRange(input, start, i + 1));
        start = i + SEPARATOR.length;
        i = start - 1;
      }
    }
    parts.add(Arrays.copyOfRange(input, start, input.length));
    return parts;
  }
}
