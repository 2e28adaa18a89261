package io.tandem.lock;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/*
 * Reads the digest secret file. Errors name the file and what is wrong with it, never its
 * contents, so that a misplaced password never reaches a log.
 */
final class ZooKeeperSecrets {

  private static final int MAX_BYTES = 4096;

  private ZooKeeperSecrets() {}

  // "user:password" as the digest scheme wants it: one line, a user without ':', a password.
  static byte[] readDigest(Path file) {
    List<String> lines = meaningfulLines(file);
    if (lines.size() != 1) {
      throw invalid(file, "must hold exactly one line user:password, not " + lines.size());
    }
    String text = lines.get(0);
    int colon = text.indexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw invalid(file, "must hold user:password, with a user and a password");
    }
    return text.getBytes(StandardCharsets.UTF_8);
  }

  // The user part, for log lines and ACL checks.
  static String digestUser(Path file) {
    String text = new String(readDigest(file), StandardCharsets.UTF_8);
    return text.substring(0, text.indexOf(':'));
  }

  private static List<String> meaningfulLines(Path file) {
    try {
      if (Files.size(file) > MAX_BYTES) {
        throw invalid(file, "is larger than " + MAX_BYTES + " bytes");
      }
      return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
          .map(String::strip)
          .filter(l -> !l.isEmpty())
          .toList();
    } catch (IOException e) {
      throw invalid(file, "cannot be read: " + e.getClass().getSimpleName());
    }
  }

  private static LockException invalid(Path file, String reason) {
    return new LockException(
        LockException.Category.CONFIGURATION, "ZooKeeper secret file " + file + " " + reason);
  }
}
