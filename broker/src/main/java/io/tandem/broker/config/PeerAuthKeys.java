package io.tandem.broker.config;

import io.tandem.process.config.ConfigFile;
import io.tandem.process.config.ConfigLine;
import io.tandem.process.config.Values;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Reads {@code authorization}, {@code password} and {@code password_file} into a {@link
 * PeerAuthConfig}. A {@code #} on a {@code password} line is refused rather than read as a comment
 * (it could be either), so a password is never cut short; {@code password_file} holds any
 * characters.
 */
final class PeerAuthKeys {
  private static final Logger LOG = Logger.getLogger(PeerAuthKeys.class.getName());

  /** Longer passwords are refused: the peer protocol's lines never carry them, but a typo might. */
  static final int MAX_PASSWORD_LENGTH = 1024;

  private PeerAuthKeys() {}

  static PeerAuthConfig read(
      Map<String, ConfigLine> lines, Path dir, boolean ftActive, boolean usersSet) {
    ConfigLine auth = lines.get("authorization");
    boolean required = auth != null && Values.bool(auth.value(), auth);
    ConfigLine inline = lines.get("password");
    ConfigLine file = lines.get("password_file");
    if (inline != null && file != null) {
      ConfigLine later = inline.number() > file.number() ? inline : file;
      throw later.error("set either password or password_file, not both");
    }
    String password = null;
    if (inline != null) {
      password = inline(inline);
    } else if (file != null) {
      password = fromFile(file, dir);
    }
    if (required && ftActive) {
      if (!usersSet) {
        throw auth.error(
            "authorization = enabled with ft_active needs users: the pair's members authenticate"
                + " each other as the user named by server");
      }
      if (password == null) {
        throw auth.error(
            "authorization = enabled with ft_active needs password or password_file: the"
                + " password of the user named by server, which each member proves to the other");
      }
    } else if (ftActive && password != null) {
      LOG.warning(
          "password is set but authorization is disabled: the members of this pair do not"
              + " authenticate each other");
    }
    return new PeerAuthConfig(required, password);
  }

  private static String inline(ConfigLine line) {
    List<String> raw = ConfigFile.readRaw(line.file());
    String text =
        line.number() >= 1 && line.number() <= raw.size() ? raw.get(line.number() - 1) : "";
    if (text.indexOf('#') >= 0) {
      throw line.error(
          "a password line may not hold '#': it could be part of the password or start a comment;"
              + " put a password with '#' in password_file");
    }
    return checked(line, line.value());
  }

  private static String fromFile(ConfigLine line, Path dir) {
    Path p;
    try {
      p = dir.resolve(line.value()).normalize();
    } catch (InvalidPathException e) {
      throw line.error("'" + line.value() + "' is not a valid path: " + e.getReason());
    }
    if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
      throw line.error("password file '" + p + "' does not exist or is not readable");
    }
    String text;
    try {
      text = new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw line.error("cannot read password file '" + p + "': " + ConfigFile.describe(e));
    }
    if (text.endsWith("\r\n")) {
      text = text.substring(0, text.length() - 2);
    } else if (text.endsWith("\n")) {
      text = text.substring(0, text.length() - 1);
    }
    if (text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
      throw line.error("password file '" + p + "' must hold one line, the password");
    }
    warnIfOthersRead(p);
    return checked(line, text);
  }

  private static String checked(ConfigLine line, String password) {
    if (password.isEmpty()) {
      throw line.error("the password is empty");
    }
    if (password.length() > MAX_PASSWORD_LENGTH) {
      throw line.error("the password is longer than " + MAX_PASSWORD_LENGTH + " characters");
    }
    for (int i = 0; i < password.length(); i++) {
      if (Character.isISOControl(password.charAt(i))) {
        throw line.error("the password holds a control character");
      }
    }
    return password;
  }

  private static void warnIfOthersRead(Path p) {
    try {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
      if (perms.contains(PosixFilePermission.GROUP_READ)
          || perms.contains(PosixFilePermission.OTHERS_READ)) {
        LOG.warning("password file " + p + " is readable by other users; chmod 600 it");
      }
    } catch (UnsupportedOperationException | java.io.IOException e) {
      // not a POSIX file system: nothing to check
    }
  }
}
