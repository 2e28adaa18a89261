package io.tandem.broker.cli;

import io.tandem.broker.BrokerException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/**
 * The admin user and password the CLI sends as HTTP Basic credentials. The password is read from a
 * file (its first line), never from the command line, where {@code ps} shows it to every local
 * user.
 */
record AdminCredentials(String user, String password) {
  /** The environment variable naming the user when {@code --user} is not given. */
  static final String USER_ENV = "TANDEM_ADMIN_USER";

  /** The environment variable naming the password file when {@code --password-file} is not. */
  static final String PASSWORD_FILE_ENV = "TANDEM_ADMIN_PASSWORD_FILE";

  /** The credentials the options and environment give, or null when no user is named. */
  static AdminCredentials of(String user, Path passwordFile) {
    String name = user != null ? user : blankToNull(System.getenv(USER_ENV));
    Path file = passwordFile;
    if (file == null && blankToNull(System.getenv(PASSWORD_FILE_ENV)) != null) {
      file = Path.of(System.getenv(PASSWORD_FILE_ENV));
    }
    if (name == null) {
      if (passwordFile != null) {
        throw new BrokerException(
            BrokerException.Category.CONFIG, "--password-file needs --user (or " + USER_ENV + ")");
      }
      return null;
    }
    if (file == null) {
      throw new BrokerException(
          BrokerException.Category.CONFIG,
          "--user needs --password-file (or " + PASSWORD_FILE_ENV + ")");
    }
    return new AdminCredentials(name, firstLine(file));
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  private static String firstLine(Path file) {
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      int newline = text.indexOf('\n');
      String line = newline < 0 ? text : text.substring(0, newline);
      return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    } catch (IOException e) {
      throw new BrokerException(
          BrokerException.Category.CONFIG, "cannot read password file " + file, e);
    }
  }

  /** The {@code Authorization} header's value. */
  String basic() {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "AdminCredentials[user=" + user + "]";
  }
}
