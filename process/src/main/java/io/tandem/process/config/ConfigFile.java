package io.tandem.process.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads the {@code key = value} files every Tandem daemon is configured with: {@code #} starts a
 * comment, blank lines are skipped, and every error names file and line.
 */
public final class ConfigFile {
  private ConfigFile() {}

  /** The refusal of a key that is not one of {@code keys}, listing the known ones. */
  public static String unknownKey(String key, Set<String> keys) {
    return "unknown key '" + key + "' (known keys: " + new TreeSet<>(keys) + ")";
  }

  /**
   * Reads {@code file} as a daemon's main configuration: every key must be one of {@code keys}, set
   * once and with a value.
   *
   * @throws io.tandem.process.ProcessException {@code CONFIG} naming file and line
   */
  public static ConfigLines load(Path file, Set<String> keys) {
    Path source = file.toAbsolutePath().normalize();
    if (!Files.isRegularFile(source)) {
      throw ConfigLine.at(source, 0, "not a readable file");
    }
    Map<String, ConfigLine> lines = new HashMap<>();
    for (ConfigLine line : readKeyValues(source)) {
      if (!keys.contains(line.key())) {
        throw line.error(unknownKey(line.key(), keys));
      }
      ConfigLine first = lines.putIfAbsent(line.key(), line);
      if (first != null) {
        throw line.error(
            "key '" + line.key() + "' is set twice (first on line " + first.number() + ")");
      }
      if (line.value().isEmpty()) {
        throw line.error("key '" + line.key() + "' has no value");
      }
    }
    return new ConfigLines(source, lines);
  }

  /**
   * The file's lines, split where {@link Files#readAllLines} splits them. Bytes that are not UTF-8
   * are an error naming the line they are on, so an operator can find a stray Latin-1 character.
   */
  public static List<String> readRaw(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw ConfigLine.at(file, 0, "cannot read file: " + describe(e));
    }
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    CoderResult result = decoder.decode(in, out, true);
    if (result.isError()) {
      throw ConfigLine.at(
          file, lineAt(bytes, in.position()), "not UTF-8 text (byte " + (in.position() + 1) + ")");
    }
    decoder.flush(out);
    return out.flip().toString().lines().toList();
  }

  /** The 1-based line number of byte {@code pos}, counting line ends as String.lines() does. */
  private static int lineAt(byte[] bytes, int pos) {
    int line = 1;
    for (int i = 0; i < pos; i++) {
      if (bytes[i] == '\n'
          || (bytes[i] == '\r' && (i + 1 >= bytes.length || bytes[i + 1] != '\n'))) {
        line++;
      }
    }
    return line;
  }

  /** Parses {@code key = value} lines, in file order. */
  public static List<ConfigLine> readKeyValues(Path file) {
    List<ConfigLine> result = new ArrayList<>();
    List<String> raw = readRaw(file);
    for (int i = 0; i < raw.size(); i++) {
      String text = stripComment(raw.get(i)).strip();
      if (text.isEmpty()) {
        continue;
      }
      int eq = text.indexOf('=');
      if (eq <= 0) {
        throw ConfigLine.at(file, i + 1, "expected 'key = value' but found '" + text + "'");
      }
      String key = text.substring(0, eq).strip();
      String value = text.substring(eq + 1).strip();
      result.add(new ConfigLine(file, i + 1, key, value));
    }
    return result;
  }

  /** {@code line} without its {@code #} comment. */
  public static String stripComment(String line) {
    int hash = line.indexOf('#');
    return hash < 0 ? line : line.substring(0, hash);
  }

  /** An I/O failure as an error message shows it: its kind, then its message if it has one. */
  public static String describe(IOException e) {
    String kind = e.getClass().getSimpleName();
    return e.getMessage() == null ? kind : kind + " " + e.getMessage();
  }
}
