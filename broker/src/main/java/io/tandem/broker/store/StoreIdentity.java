package io.tandem.broker.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.UUID;

/**
 * The {@code store.id} file: a random id given to a store when it is first opened. The two brokers
 * of a hot-warm pair compare it to prove they see the same storage, not two look-alike directories.
 */
final class StoreIdentity {
  static final String FILE = "store.id";

  private StoreIdentity() {}

  /** The id, or empty if the store has none yet (or the directory is not a store). */
  static Optional<String> read(Path dir) {
    try {
      String text = Files.readString(dir.resolve(FILE), StandardCharsets.US_ASCII).strip();
      return text.matches("[0-9a-f-]{36}") ? Optional.of(text) : Optional.empty();
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw StoreErrors.io("cannot read " + dir.resolve(FILE), e);
    }
  }

  /** Gives the store an id if it has none; only the writer holding the fence calls this. */
  static String ensure(Path dir) {
    Optional<String> existing = read(dir);
    if (existing.isPresent()) {
      return existing.get();
    }
    String id = UUID.randomUUID().toString();
    Path temp = dir.resolve(FILE + ".tmp");
    try (FileChannel ch =
        FileChannel.open(
            StoreFiles.replaced(temp),
            java.util.Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW),
            StoreFiles.PRIVATE_FILE)) {
      ByteBuffer text = ByteBuffer.wrap((id + "\n").getBytes(StandardCharsets.US_ASCII));
      while (text.hasRemaining()) {
        ch.write(text);
      }
      ch.force(true);
    } catch (IOException e) {
      throw StoreErrors.io("cannot write " + temp, e);
    }
    try {
      Files.move(temp, dir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE);
      Segment.forceDirectory(dir);
    } catch (IOException e) {
      throw StoreErrors.io("cannot create " + dir.resolve(FILE), e);
    }
    return id;
  }
}
