package io.tandem.broker.cli;

import io.tandem.broker.BrokerException;
import io.tandem.broker.config.BrokerConfig;
import io.tandem.broker.config.ConfigLoader;
import io.tandem.broker.config.TlsConfig;
import io.tandem.broker.tls.ClientTls;
import io.tandem.broker.tls.ServerTls;
import io.tandem.broker.tls.TlsSettings;
import io.tandem.process.config.ConfigFile;
import io.tandem.process.config.ConfigLine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code tandem config check} checks once the configuration loaded as a start loads it: the
 * TLS files a start reads, and the store directory as the user running the check sees it. Each
 * check adds the line it reports, or throws a {@link BrokerException} (CONFIG) naming the file.
 */
final class ConfigCheck {
  /** The keys naming files that loading the configuration reads and validates. */
  private static final List<String> FILES =
      List.of("queues", "topics", "users", "groups", "acl_list", "password_file");

  private ConfigCheck() {}

  static List<String> report(ConfigLoader.Loaded loaded) {
    BrokerConfig config = loaded.config();
    List<String> lines = new ArrayList<>();
    lines.add("configuration " + config.source() + ": valid");
    for (String key : FILES) {
      String file = loaded.values().get(key);
      if (file != null && !file.isEmpty()) {
        lines.add(key + " " + file + ": valid");
      }
    }
    tls(config.tls(), lines);
    lines.add(store(config));
    return lines;
  }

  private static void tls(TlsConfig tls, List<String> lines) {
    if (tls.server() != null) {
      ServerTls.create(tls.server());
      lines.add("TLS of the amqps listeners: " + files(tls.server()) + ": loaded");
    }
    if (tls.admin() != null) {
      ServerTls.create(tls.admin());
      lines.add("TLS of the admin endpoint: " + files(tls.admin()) + ": loaded");
    }
    if (tls.ft() != null) {
      ClientTls.create(tls.ft(), tls.ftExpectedHostname(), tls.ftVerifyHostname());
      lines.add("TLS of the peer link: " + files(tls.ft()) + ": loaded");
    }
  }

  private static String files(TlsSettings s) {
    List<String> named = new ArrayList<>();
    if (s.identity() != null) {
      named.add("identity " + s.identity());
    }
    if (s.key() != null) {
      named.add("key " + s.key());
    }
    if (s.trusted() != null) {
      named.add("trusted " + s.trusted());
    }
    return named.isEmpty() ? "the JDK's CAs" : String.join(", ", named);
  }

  /**
   * The store as a broker run by this user would find it: a directory it can read and write, or one
   * it can create (a standalone or FT broker creates a missing store; ha mode does not).
   */
  private static String store(BrokerConfig config) {
    Path store = config.store();
    String user = System.getProperty("user.name");
    if (Files.isDirectory(store)) {
      if (!Files.isReadable(store) || !Files.isWritable(store) || !Files.isExecutable(store)) {
        throw refused(config, "store " + store + " is not readable and writable by user " + user);
      }
      return "store " + store + ": a directory user " + user + " can read and write";
    }
    if (Files.exists(store)) {
      throw refused(config, "store " + store + " is not a directory");
    }
    if (!Files.notExists(store)) {
      // neither there nor known to be missing: a directory above it is closed to this user
      throw refused(
          config,
          "store "
              + store
              + " is out of reach of user "
              + user
              + ": a directory above it is closed");
    }
    Path existing = store.getParent();
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null
        || !Files.isDirectory(existing)
        || !Files.isWritable(existing)
        || !Files.isExecutable(existing)) {
      throw refused(
          config,
          "store "
              + store
              + " does not exist, and user "
              + user
              + " cannot create it in "
              + existing);
    }
    return "store "
        + store
        + ": not there yet; a standalone or FT broker run by user "
        + user
        + " creates it in "
        + existing
        + " (ha mode needs it to exist)";
  }

  /** An error at the {@code store} line of the configuration, or at the file when it is unset. */
  private static BrokerException refused(BrokerConfig config, String reason) {
    Path file = config.source();
    String at = file.toString();
    for (ConfigLine line : ConfigFile.readKeyValues(file)) {
      if (line.key().equals("store")) {
        at = file + ":" + line.number();
      }
    }
    return new BrokerException(BrokerException.Category.CONFIG, at + ": " + reason);
  }
}
