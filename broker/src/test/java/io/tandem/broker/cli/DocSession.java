package io.tandem.broker.cli;

import io.tandem.testing.DocBlocks;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The {@code ```session} blocks of a doc: lines starting with {@code $ } are commands, the lines
 * after each are what it prints; {@code …} in an expected line stands for any text.
 */
record DocSession(List<Step> steps) {

  /** One command and what the doc says it prints. */
  record Step(String command, List<String> expected) {}

  static DocSession read(Path doc) throws IOException {
    List<Step> steps = new ArrayList<>();
    for (String block : DocBlocks.read(doc, "session")) {
      for (String line : block.lines().toList()) {
        if (line.startsWith("$ ")) {
          steps.add(new Step(line.substring(2), new ArrayList<>()));
        } else {
          steps.get(steps.size() - 1).expected().add(line);
        }
      }
    }
    return new DocSession(steps);
  }

  /** Null if {@code actual} matches {@code expected} line by line; else what differs. */
  static String mismatch(List<String> expected, List<String> actual) {
    if (expected.size() != actual.size()) {
      return "expected " + expected.size() + " lines, got " + actual.size() + ": " + actual;
    }
    for (int i = 0; i < expected.size(); i++) {
      if (!matches(expected.get(i), actual.get(i))) {
        return "line " + (i + 1) + ": expected\n  " + expected.get(i) + "\ngot\n  " + actual.get(i);
      }
    }
    return null;
  }

  private static boolean matches(String expected, String actual) {
    StringBuilder regex = new StringBuilder();
    for (String part : expected.split("…", -1)) {
      if (regex.length() > 0) {
        regex.append(".*");
      }
      regex.append(Pattern.quote(part));
    }
    return Pattern.matches(regex.toString(), actual);
  }
}
