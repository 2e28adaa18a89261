package io.tandem.broker.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads configuration files into lines, stripping comments and blank lines. */
final class ConfigFiles {
  private ConfigFiles() {}

  static List<String> readRaw(Path file) {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw ConfigErrors.at(file, 0, "cannot read file: " + describe(e));
    }
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
