package io.tandem.broker.ems;

import java.util.ArrayList;
import java.util.List;

/**
 * One Tandem file being written: its lines, each remembering the EMS line it came from, so that a
 * line the broker's reader refuses can be traced back, commented out and reported.
 */
final class Output {
  /** A line of the file; {@code origin} is null for the tool's own comments. */
  record Entry(String text, EmsFile.Line origin) {}

  private final String name;
  private final List<Entry> entries = new ArrayList<>();

  Output(String name, String header) {
    this.name = name;
    for (String line : header.split("\n")) {
      entries.add(new Entry("# " + line, null));
    }
  }

  String name() {
    return name;
  }

  void comment(String text) {
    entries.add(new Entry("# " + text, null));
  }

  void add(String text, EmsFile.Line origin) {
    entries.add(new Entry(text, origin));
  }

  /** The entry on 1-based line {@code number}. */
  Entry at(int number) {
    return number >= 1 && number <= entries.size() ? entries.get(number - 1) : null;
  }

  /** Replaces line {@code number} with a comment saying why it is not in effect. */
  void disable(int number, String reason) {
    Entry e = entries.get(number - 1);
    String text = e.text();
    int eq = text.indexOf('=');
    if (eq > 0 && text.substring(0, eq).contains("password")) {
      text = text.substring(0, eq + 1) + " (not shown)";
    }
    entries.set(number - 1, new Entry("# not in effect (" + reason + "): " + text, null));
  }

  /** Whether any line other than a comment was added. */
  boolean hasContent() {
    return entries.stream().anyMatch(e -> e.origin() != null);
  }

  String text() {
    StringBuilder b = new StringBuilder();
    entries.forEach(e -> b.append(e.text()).append('\n'));
    return b.toString();
  }
}
