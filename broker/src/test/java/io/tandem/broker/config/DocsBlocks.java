package io.tandem.broker.config;

import java.nio.file.Path;
import java.util.List;

/** Fenced blocks of a document, for tests that run the docs' examples. */
public final class DocsBlocks {
  private DocsBlocks() {}

  /** The contents of every block opened with {@code ```tag} in {@code doc}. */
  public static List<String> of(Path doc, String tag) throws Exception {
    return DocsExamplesTest.blocks(doc, tag);
  }
}
