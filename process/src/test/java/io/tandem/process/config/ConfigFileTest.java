package io.tandem.process.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.process.ProcessException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFileTest {
  @TempDir Path dir;

  private Path write(byte[] bytes) throws Exception {
    Path file = dir.resolve("x.conf");
    Files.write(file, bytes);
    return file;
  }

  private String refused(String text) throws Exception {
    Path file = write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    ProcessException e =
        assertThrows(ProcessException.class, () -> ConfigFile.load(file, Set.of("a", "b")));
    assertEquals(ProcessException.Category.CONFIG, e.category());
    return e.getMessage();
  }

  @Test
  void shouldReadKeysAndValuesSkippingCommentsAndBlankLines() throws Exception {
    Path file = write("# comment\n\n a = 1 # why\nb=two words\n".getBytes());

    ConfigLines lines = ConfigFile.load(file, Set.of("a", "b"));

    assertEquals(new ConfigLine(file.toAbsolutePath(), 3, "a", "1"), lines.line("a", "x"));
    assertEquals("two words", lines.text("b", "x"));
    assertFalse(lines.has("c"));
    assertEquals(0, lines.line("c", "dflt").number());
    assertEquals("dflt", lines.text("c", "dflt"));
  }

  @Test
  void shouldRefuseWithFileAndLine() throws Exception {
    Path file = dir.resolve("x.conf").toAbsolutePath();
    assertTrue(
        refused("a = 1\nc = 2\n").startsWith(file + ":2: unknown key 'c' (known keys: [a, b])"));
    assertEquals(file + ":2: key 'a' is set twice (first on line 1)", refused("a = 1\na = 2\n"));
    assertEquals(file + ":1: key 'a' has no value", refused("a =\n"));
    assertEquals(file + ":2: expected 'key = value' but found 'oops'", refused("a = 1\noops\n"));
  }

  @Test
  void shouldNameTheLineOfBytesThatAreNotUtf8() throws Exception {
    Path file = write(new byte[] {'a', '=', '1', '\n', 'b', '=', (byte) 0xE9, '\n'});
    ProcessException e =
        assertThrows(ProcessException.class, () -> ConfigFile.load(file, Set.of("a", "b")));
    assertEquals(file.toAbsolutePath() + ":2: not UTF-8 text (byte 7)", e.getMessage());
  }

  @Test
  void shouldRefuseAMissingFileNamingIt() {
    Path file = dir.resolve("missing.conf");
    ProcessException e =
        assertThrows(ProcessException.class, () -> ConfigFile.load(file, Set.of("a")));
    assertEquals(file.toAbsolutePath() + ": not a readable file", e.getMessage());
  }
}
