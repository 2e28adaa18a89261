package io.tandem.broker.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Objects;

/**
 * What a file looked like when it was read: modification time, size and file key (inode). A file
 * replaced by rename, rewritten in place or touched gets another stamp; reading it costs one stat.
 */
record FileStamp(long modifiedNanos, long size, Object fileKey) {
  private static final FileStamp MISSING = new FileStamp(-1, -1, null);

  static FileStamp of(Path file) {
    try {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      return new FileStamp(
          a.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS),
          a.size(),
          a.fileKey());
    } catch (IOException e) {
      return MISSING;
    }
  }

  /** The stamps of {@code files}, skipping nulls, in order. */
  static List<FileStamp> of(List<Path> files) {
    return files.stream().filter(Objects::nonNull).map(FileStamp::of).toList();
  }
}
