package io.tandem.lock;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;

/*
 * The lock's three files in the store directory: lock (the OFD-locked file, never deleted
 * or rewritten), lock.epoch (the latest epoch as decimal text, rewritten in place and
 * fsynced while the lock is held) and lock.holder (the holder record, replaced by rename).
 */
record StoreFiles(Path dir) {

  static final String LOCK = "lock";
  static final String EPOCH = "lock.epoch";
  static final String HOLDER = "lock.holder";

  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");
  private static final FileAttribute<Set<PosixFilePermission>> PRIVATE =
      PosixFilePermissions.asFileAttribute(OWNER_ONLY);

  // An epoch file is one number; anything longer than this is not one.
  private static final int MAX_EPOCH_BYTES = 64;

  StoreFiles {
    dir = dir.toAbsolutePath().normalize();
  }

  Path lock() {
    return dir.resolve(LOCK);
  }

  Path epoch() {
    return dir.resolve(EPOCH);
  }

  Path holder() {
    return dir.resolve(HOLDER);
  }

  /*
   * Refuses a missing store: on shared storage that usually means the volume is not mounted, and
   * creating the directory would give this host a private lock nobody else can see.
   */
  void requireStoreDirectory() {
    if (!Files.isDirectory(dir)) {
      throw new LockException(
          LockException.Category.IO,
          "store directory "
              + dir
              + " does not exist or is not a directory (is the shared volume mounted?)");
    }
  }

  /*
   * Makes sure no other local user can lock the lock file: anyone who can open it can hold a read
   * lock that blocks the broker's write lock for as long as they like. A lock file of this user
   * that others may open is narrowed to 0600 (true is returned so the caller can say so); one of
   * another user, or a symbolic link, is refused, since its owner could always lock it.
   */
  boolean protectLock(int ownUid) {
    Path file = lock();
    try {
      if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
        return false;
      }
      if (Files.isSymbolicLink(file)) {
        throw unsafeLock(file, "it is a symbolic link");
      }
      int owner = (Integer) Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS);
      if (owner != ownUid) {
        throw unsafeLock(
            file,
            "it belongs to uid " + owner + ", not to this process's user (uid " + ownUid + ")");
      }
      Set<PosixFilePermission> mode =
          Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
      if (OWNER_ONLY.containsAll(mode)) {
        return false;
      }
      Files.setPosixFilePermissions(file, OWNER_ONLY);
      return true;
    } catch (IOException e) {
      throw new LockException(
          LockException.Category.IO, "cannot check the permissions of " + file, e);
    }
  }

  private static LockException unsafeLock(Path file, String why) {
    return new LockException(
        LockException.Category.IO,
        "refusing lock file "
            + file
            + ": "
            + why
            + ", so another user could hold a lock on it and keep this broker from activating;"
            + " make it a regular file of the broker's user with mode 0600");
  }

  /*
   * Reads the stored epoch, writes the next one in its place and forces it to disk. Call only while
   * holding the lock: the lock is what makes read-increment-write atomic across hosts.
   */
  long advanceEpoch() {
    Path file = epoch();
    try (FileChannel channel =
        FileChannel.open(
            file,
            Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.CREATE),
            PRIVATE)) {
      boolean fresh = channel.size() == 0;
      long next = Math.addExact(parseEpoch(readAll(channel, file), file), 1);
      byte[] text = (next + "\n").getBytes(StandardCharsets.US_ASCII);
      channel.write(ByteBuffer.wrap(text), 0);
      channel.truncate(text.length);
      channel.force(true);
      if (fresh) {
        forceDirectory();
      }
      return next;
    } catch (IOException e) {
      throw new LockException(LockException.Category.IO, "cannot advance the epoch in " + file, e);
    }
  }

  // The stored epoch, or 0 if no epoch was ever issued.
  long readEpoch() {
    Path file = epoch();
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      return parseEpoch(readAll(channel, file), file);
    } catch (NoSuchFileException e) {
      return 0;
    } catch (IOException e) {
      throw new LockException(LockException.Category.IO, "cannot read " + file, e);
    }
  }

  // Replaces the holder record atomically, so a reader sees the old or the new one whole.
  void writeHolder(LockHolder holder) {
    Path target = holder();
    Path temp = dir.resolve(HOLDER + ".tmp");
    try {
      // a leftover temporary file would keep its old mode; a new one gets 0600
      Files.deleteIfExists(temp);
    } catch (IOException e) {
      throw new LockException(LockException.Category.IO, "cannot replace " + temp, e);
    }
    try (FileChannel channel =
        FileChannel.open(
            temp, Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW), PRIVATE)) {
      channel.write(ByteBuffer.wrap(HolderCodec.encode(holder)));
      channel.force(true);
    } catch (IOException e) {
      throw new LockException(LockException.Category.IO, "cannot write " + temp, e);
    }
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      forceDirectory();
    } catch (AtomicMoveNotSupportedException e) {
      throw new LockException(
          LockException.Category.UNSUPPORTED,
          "the store's file system cannot rename atomically",
          e);
    } catch (IOException e) {
      throw new LockException(LockException.Category.IO, "cannot replace " + target, e);
    }
  }

  // The recorded holder, or empty if there is none or it cannot be read as one.
  Optional<LockHolder> readHolder() {
    Path file = holder();
    try {
      if (Files.size(file) > HolderCodec.MAX_BYTES) {
        return Optional.empty();
      }
      return HolderCodec.decode(Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new LockException(LockException.Category.IO, "cannot read " + file, e);
    }
  }

  private void forceDirectory() throws IOException {
    try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
      directory.force(true);
    }
  }

  private static String readAll(FileChannel channel, Path file) throws IOException {
    if (channel.size() > MAX_EPOCH_BYTES) {
      throw corrupt(file, "it is " + channel.size() + " bytes long");
    }
    ByteBuffer buffer = ByteBuffer.allocate(MAX_EPOCH_BYTES);
    while (channel.read(buffer, buffer.position()) > 0) {
      // read until end of file
    }
    return new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII);
  }

  private static long parseEpoch(String text, Path file) {
    String number = text.strip();
    if (number.isEmpty()) {
      return 0;
    }
    try {
      long epoch = Long.parseLong(number);
      if (epoch >= 0) {
        return epoch;
      }
    } catch (NumberFormatException e) {
      // reported below with the content
    }
    throw corrupt(file, "it holds '" + number + "'");
  }

  private static LockException corrupt(Path file, String detail) {
    return new LockException(
        LockException.Category.CORRUPT,
        file
            + " is not an epoch ("
            + detail
            + "); refusing to guess one, since a lower epoch would let a stale writer in."
            + " Restore it from the highest epoch the store has seen (e.g. its fence file).");
  }
}
