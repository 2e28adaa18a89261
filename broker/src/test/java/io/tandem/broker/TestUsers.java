package io.tandem.broker;

import io.tandem.broker.security.StoredPassword;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;

/** Writes users files in the stored form, with the fewest iterations so that tests stay fast. */
public final class TestUsers {
  private TestUsers() {}

  /** Writes {@code file} with {@code namesAndPasswords} = name, password, name, password... */
  public static Path write(Path file, String... namesAndPasswords) {
    StringBuilder s = new StringBuilder("# written by the test\n");
    for (int i = 0; i < namesAndPasswords.length; i += 2) {
      s.append(namesAndPasswords[i]).append(':').append(stored(namesAndPasswords[i + 1]));
      s.append('\n');
    }
    try {
      Files.writeString(file, s);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  /** The stored form of {@code password}. */
  public static String stored(String password) {
    return StoredPassword.derive(
            password.toCharArray(), StoredPassword.MIN_ITERATIONS, new SecureRandom())
        .encode();
  }
}
