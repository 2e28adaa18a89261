package io.tandem.broker.config;

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
import java.util.List;

/** Reads configuration files into lines, stripping comments and blank lines. */
final class ConfigFiles {
  private ConfigFiles() {}

  /**
   * The file's lines, split where {@link Files#readAllLines} splits them. Bytes that are not UTF-8
   * are an error naming the line they are on, so an operator can find a stray Latin-1 character.
   */
  static List<String> readRaw(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw ConfigErrors.at(file, 0, "cannot read file: " + describe(e));
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
      throw ConfigErrors.at(
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

  /** Parses {@code key = value} lines. */
  static List<ConfigLine> readKeyValues(Path file) {
    List<ConfigLine> result = new ArrayList<>();
    List<String> raw = readRaw(file);
    for (int i = 0; i < raw.size(); i++) {
      String text = stripComment(raw.get(i)).strip();
      if (text.isEmpty()) {
        continue;
      }
      int eq = text.indexOf('=');
      if (eq <= 0) {
        throw ConfigErrors.at(file, i + 1, "expected 'key = value' but found '" + text + "'");
      }
      String key = text.substring(0, eq).strip();
      String value = text.substring(eq + 1).strip();
      result.add(new ConfigLine(file, i + 1, key, value));
    }
    return result;
  }

  static String stripComment(String line) {
    int hash = line.indexOf('#');
    return hash < 0 ? line : line.substring(0, hash);
  }

  static String describe(IOException e) {
    String kind = e.getClass().getSimpleName();
    return e.getMessage() == null ? kind : kind + " " + e.getMessage();
  }
}
