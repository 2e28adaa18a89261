package io.tandem.pacemaker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The fenced code blocks of a document with a given tag: docs examples are what tests run. */
final class DocBlocks {
  private DocBlocks() {}

  static List<String> read(Path doc, String tag) throws IOException {
    List<String> result = new ArrayList<>();
    StringBuilder current = null;
    for (String line : Files.readAllLines(doc)) {
      if (current == null && line.equals("```" + tag)) {
        current = new StringBuilder();
      } else if (current != null && line.equals("```")) {
        result.add(current.toString());
        current = null;
      } else if (current != null) {
        current.append(line).append('\n');
      }
    }
    return result;
  }

  /** The only block with {@code tag}. */
  static String only(Path doc, String tag) throws IOException {
    List<String> blocks = read(doc, tag);
    if (blocks.size() != 1) {
      throw new AssertionError(doc + " has " + blocks.size() + " ```" + tag + " blocks, not 1");
    }
    return blocks.get(0);
  }
}
