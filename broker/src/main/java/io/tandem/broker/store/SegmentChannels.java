package io.tandem.broker.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Opens the channels the journals write and read segments through. The store uses {@link #SYSTEM};
 * the interface exists so that tests can hand the journals a channel whose write or force fails,
 * which a real file system does only rarely and at random.
 */
interface SegmentChannels {
  /** Plain file channels. */
  SegmentChannels SYSTEM =
      new SegmentChannels() {
        @Override
        public FileChannel create(Path file) throws IOException {
          return FileChannel.open(
              file,
              java.util.Set.of(
                  StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE),
              StoreFiles.PRIVATE_FILE);
        }

        @Override
        public FileChannel directory(Path dir) throws IOException {
          return FileChannel.open(dir, StandardOpenOption.READ);
        }
      };

  /** Creates a new segment file, readable and writable by its owner only. */
  FileChannel create(Path file) throws IOException;

  /** Opens a directory for {@link FileChannel#force}. */
  FileChannel directory(Path dir) throws IOException;
}
