package io.tandem.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The fenced code blocks of a Markdown document opened with a given tag ({@code ```conf}): an
 * example in the docs is one that a test runs, so tests read the examples from the docs themselves.
 */
public final class DocBlocks {
  private DocBlocks() {}

  /** The contents of every block opened with {@code ```tag} in {@code doc}, in document order. */
  public static List<String> read(Path doc, String tag) throws IOException {
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

  /**
   * The contents of the only block with {@code tag}.
   *
   * @throws AssertionError when {@code doc} has none or several
   */
  public static String only(Path doc, String tag) throws IOException {
    List<String> blocks = read(doc, tag);
    if (blocks.size() != 1) {
      throw new AssertionError(doc + " has " + blocks.size() + " ```" + tag + " blocks, not 1");
    }
    return blocks.get(0);
  }
}
