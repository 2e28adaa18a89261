package io.tandem.broker.amqp;

import io.tandem.broker.BrokerException;
import io.tandem.broker.config.ConfigLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Checks SASL credentials. Without a users file every client is accepted (ANONYMOUS or any PLAIN
 * user); with one, only PLAIN with a listed user and password is. Lines of the users file are
 * {@code name:password} or {@code name:{sha256}HEX}; {@code #} starts a comment.
 */
public final class Authenticator {
  private static final String SHA256 = "{sha256}";
  private final Map<String, String> users;

  private Authenticator(Map<String, String> users) {
    this.users = users;
  }

  /** Accepts everyone. */
  public static Authenticator open() {
    return new Authenticator(null);
  }

  /** Reads a users file; errors name the file and line. */
  public static Authenticator fromFile(Path file) {
    List<String> lines = ConfigLoader.lines(file);
    Map<String, String> users = new HashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      int hash = line.indexOf('#');
      String text = (hash < 0 ? line : line.substring(0, hash)).strip();
      if (text.isEmpty()) {
        continue;
      }
      int colon = text.indexOf(':');
      if (colon <= 0) {
        throw new BrokerException(
            BrokerException.Category.CONFIG, file + ":" + (i + 1) + ": expected 'name:password'");
      }
      users.put(text.substring(0, colon), text.substring(colon + 1));
    }
    return new Authenticator(Map.copyOf(users));
  }

  /** The mechanisms offered to clients. */
  String[] mechanisms() {
    return users == null ? new String[] {"PLAIN", "ANONYMOUS"} : new String[] {"PLAIN"};
  }

  boolean anonymousAllowed() {
    return users == null;
  }

  boolean check(String user, String password) {
    if (users == null) {
      return true;
    }
    String expected = users.get(user);
    if (expected == null) {
      return false;
    }
    if (expected.startsWith(SHA256)) {
      return MessageDigest.isEqual(
          expected
              .substring(SHA256.length())
              .toLowerCase(java.util.Locale.ROOT)
              .getBytes(StandardCharsets.US_ASCII),
          sha256(password).getBytes(StandardCharsets.US_ASCII));
    }
    return MessageDigest.isEqual(
        expected.getBytes(StandardCharsets.UTF_8), password.getBytes(StandardCharsets.UTF_8));
  }

  private static String sha256(String password) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(md.digest(password.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from the JDK", e);
    }
  }
}
