package io.tandem.lock;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The configuration keys of {@link ZooKeeperSecurity}, read the same way by every configuration
 * file that names a ZooKeeper lock: the broker's {@code tandem.conf} with the prefix {@code
 * ft_lock_zookeeper_}, the agent's {@code agent.conf} with {@code zookeeper_}.
 */
public final class ZooKeeperSecurityKeys {

  /** The keys, without their prefix. */
  public static final List<String> SUFFIXES =
      List.of(
          "auth",
          "auth_file",
          "acl",
          "tls",
          "trust_store",
          "trust_store_password_file",
          "key_store",
          "key_store_password_file",
          "client_config");

  /** Where the values come from, and how an error names the line it is about. */
  public interface Source {
    /** The value of {@code key} (with its prefix), or {@code null} when it is not set. */
    String value(String key);

    /** The directory that relative paths are resolved against. */
    Path directory();

    /** An error about {@code key}'s line (or the file, if the key is not set). */
    RuntimeException error(String key, String reason);

    /** A source made of its three parts, e.g. a configuration file's lines. */
    static Source of(
        java.util.function.Function<String, String> values,
        Path directory,
        java.util.function.BiFunction<String, String, RuntimeException> errors) {
      return new Source() {
        @Override
        public String value(String key) {
          return values.apply(key);
        }

        @Override
        public Path directory() {
          return directory;
        }

        @Override
        public RuntimeException error(String key, String reason) {
          return errors.apply(key, reason);
        }
      };
    }
  }

  private final String prefix;
  private final Source source;

  private ZooKeeperSecurityKeys(String prefix, Source source) {
    this.prefix = prefix;
    this.source = source;
  }

  /** The keys with {@code prefix}. */
  public static List<String> keys(String prefix) {
    return SUFFIXES.stream().map(s -> prefix + s).toList();
  }

  /** Whether any of the keys with {@code prefix} is set. */
  public static boolean anySet(String prefix, Source source) {
    return keys(prefix).stream().anyMatch(k -> source.value(k) != null);
  }

  /**
   * Reads and validates the keys with {@code prefix}; every error names the key's line.
   *
   * @throws RuntimeException whatever {@link Source#error} returns
   */
  public static ZooKeeperSecurity parse(String prefix, Source source) {
    return new ZooKeeperSecurityKeys(prefix, source).parse();
  }

  private ZooKeeperSecurity parse() {
    ZooKeeperSecurity.Auth auth = auth();
    boolean digest = auth == ZooKeeperSecurity.Auth.DIGEST;
    if (digest && value("auth_file") == null) {
      throw error("auth", "auth digest needs " + prefix + "auth_file, the file with user:password");
    }
    if (!digest && value("auth_file") != null) {
      throw error("auth_file", prefix + "auth_file is only read with " + prefix + "auth = digest");
    }
    Path authFile = file("auth_file");
    ZooKeeperSecurity.Acl acl = acl(auth);
    boolean tls = tls();
    Path trustStore = file("trust_store");
    Path keyStore = file("key_store");
    for (String key : List.of("trust_store", "key_store")) {
      if (!tls && value(key) != null) {
        throw error(key, prefix + key + " is set but " + prefix + "tls is not enabled");
      }
    }
    Path trustPassword = passwordFile("trust_store", trustStore);
    Path keyPassword = passwordFile("key_store", keyStore);
    try {
      return new ZooKeeperSecurity(
          auth,
          authFile,
          acl,
          tls,
          trustStore,
          trustPassword,
          keyStore,
          keyPassword,
          file("client_config"));
    } catch (LockException e) {
      throw error(value("auth") != null ? "auth" : "acl", e.getMessage());
    }
  }

  private ZooKeeperSecurity.Auth auth() {
    String text = value("auth");
    if (text == null) {
      return ZooKeeperSecurity.Auth.NONE;
    }
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "none" -> ZooKeeperSecurity.Auth.NONE;
      case "digest" -> ZooKeeperSecurity.Auth.DIGEST;
      case "sasl" -> ZooKeeperSecurity.Auth.SASL;
      default -> throw error("auth", "'" + text + "' is not one of none, digest, sasl");
    };
  }

  private ZooKeeperSecurity.Acl acl(ZooKeeperSecurity.Auth auth) {
    String text = value("acl");
    if (text == null) {
      return auth == ZooKeeperSecurity.Auth.NONE
          ? ZooKeeperSecurity.Acl.OPEN
          : ZooKeeperSecurity.Acl.CREATOR;
    }
    ZooKeeperSecurity.Acl acl =
        switch (text.toLowerCase(Locale.ROOT)) {
          case "open" -> ZooKeeperSecurity.Acl.OPEN;
          case "creator" -> ZooKeeperSecurity.Acl.CREATOR;
          case "creator_read" -> ZooKeeperSecurity.Acl.CREATOR_READ;
          default -> throw error("acl", "'" + text + "' is not one of open, creator, creator_read");
        };
    if (acl != ZooKeeperSecurity.Acl.OPEN && auth == ZooKeeperSecurity.Auth.NONE) {
      throw error(
          "acl", "acl " + text + " needs an identity to be the creator: set " + prefix + "auth");
    }
    return acl;
  }

  private boolean tls() {
    String text = value("tls");
    if (text == null) {
      return false;
    }
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "enabled" -> true;
      case "disabled" -> false;
      default -> throw error("tls", "'" + text + "' is not enabled or disabled");
    };
  }

  private Path passwordFile(String store, Path storeFile) {
    String key = store + "_password_file";
    Path file = file(key);
    if (file != null && storeFile == null) {
      throw error(key, prefix + key + " is set without " + prefix + store);
    }
    return file;
  }

  // The key's value as a readable file against the directory, or null when it is not set.
  private Path file(String key) {
    String text = value(key);
    if (text == null) {
      return null;
    }
    Path file;
    try {
      file = source.directory().resolve(text).normalize();
    } catch (InvalidPathException e) {
      throw error(key, "'" + text + "' is not a valid path: " + e.getReason());
    }
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw error(key, "file '" + file + "' does not exist or is not readable");
    }
    if (key.equals("auth_file")) {
      try {
        ZooKeeperSecrets.readDigest(file);
      } catch (LockException e) {
        throw error(key, e.getMessage());
      }
    }
    return file;
  }

  private String value(String suffix) {
    String v = source.value(prefix + suffix);
    return v == null ? null : v.strip();
  }

  private RuntimeException error(String suffix, String reason) {
    return source.error(prefix + suffix, reason);
  }
}
