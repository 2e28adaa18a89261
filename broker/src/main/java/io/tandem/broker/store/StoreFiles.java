package io.tandem.broker.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Permissions of what the store creates: messages are the application's data, so segments, the
 * fence, {@code store.id} and the journal directories are the broker user's alone (0600 files, 0700
 * directories). The umask can only narrow this further.
 */
final class StoreFiles {
  static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");
  static final Set<PosixFilePermission> DIRECTORY_MODE =
      PosixFilePermissions.fromString("rwx------");
  static final FileAttribute<Set<PosixFilePermission>> PRIVATE_FILE =
      PosixFilePermissions.asFileAttribute(FILE_MODE);
  static final FileAttribute<Set<PosixFilePermission>> PRIVATE_DIRECTORY =
      PosixFilePermissions.asFileAttribute(DIRECTORY_MODE);

  private StoreFiles() {}

  /**
   * Removes a temporary file a crash may have left, so that it is created afresh with {@link
   * #PRIVATE_FILE} (an existing file would keep whatever mode it had); returns {@code file}.
   */
  static Path replaced(Path file) throws IOException {
    Files.deleteIfExists(file);
    return file;
  }

  /**
   * Creates {@code dir} (and missing parents) 0700 if it does not exist; an existing directory
   * keeps its permissions, which are its administrator's choice (e.g. a mount point).
   */
  static void createDirectories(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    Path parent = dir.toAbsolutePath().getParent();
    if (parent != null && !Files.exists(parent)) {
      createDirectories(parent);
    }
    try {
      Files.createDirectory(dir, PRIVATE_DIRECTORY);
    } catch (java.nio.file.FileAlreadyExistsException e) {
      if (!Files.isDirectory(dir)) {
        throw e;
      }
    }
  }
}
