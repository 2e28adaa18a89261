package io.tandem.broker.ems;

import io.tandem.process.config.ConfigLine;
import io.tandem.process.config.Values;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * tibemsd.conf into tandem.conf, key by key (the table of docs/migrating-from-ems.md): a key that
 * means the same is copied once its value passed Tandem's check, a key that changed form is
 * rewritten, and every other line is reported.
 */
final class TibemsdMapping {
  /** The keys naming the other files, converted by their own mappings. */
  static final List<String> FILE_KEYS = List.of("queues", "topics", "users", "groups", "acl_list");

  /** What EMS listens on without a listen line: every interface, port 7222. */
  static final String EMS_DEFAULT_LISTEN = "amqp://0.0.0.0:7222";

  /** Where in EMS's store directory Tandem's store goes. */
  static final String STORE_DIR = "tandem";

  /** The file a password in clear is moved to, so that tandem.conf holds no secret. */
  static final String PASSWORD_FILE = "server.password";

  private final Path emsDir;
  private final Output conf;
  private final List<Unmapped> unmapped;
  private final Map<String, EmsFile.Line> seen = new HashMap<>();
  private final Map<String, EmsFile.Line> files = new LinkedHashMap<>();
  private final List<String> listeners = new ArrayList<>();
  private EmsFile.Line listenOrigin;
  private String password;
  private boolean tlsIdentity;

  TibemsdMapping(Path emsDir, Output conf, List<Unmapped> unmapped) {
    this.emsDir = emsDir;
    this.conf = conf;
    this.unmapped = unmapped;
  }

  /** The lines of the file keys ({@link #FILE_KEYS}) that were set. */
  Map<String, EmsFile.Line> files() {
    return files;
  }

  /** The password in clear that tibemsd.conf gave, or null. */
  String password() {
    return password;
  }

  void map(List<EmsFile.Line> lines) {
    for (EmsFile.Line line : lines) {
      int eq = line.text().indexOf('=');
      if (eq <= 0) {
        report(line, "expected 'parameter = value'");
        continue;
      }
      String key = line.text().substring(0, eq).strip().toLowerCase(Locale.ROOT);
      String value = line.text().substring(eq + 1).strip();
      EmsFile.Line first = key.equals("listen") ? null : seen.putIfAbsent(key, line);
      if (first != null) {
        report(
            line, key + " is set again (first on line " + first.number() + "); the first is kept");
      } else if (value.isEmpty()) {
        report(line, key + " has no value");
      } else {
        dispatch(line, key, value);
      }
    }
    if (!tlsIdentity && listeners.removeIf(url -> url.startsWith("amqps://"))) {
      report(
          listenOrigin,
          "the ssl:// listeners not mapped: Tandem's amqps:// listeners need ssl_server_identity"
              + " (a PEM file), which tibemsd.conf does not give in a form Tandem reads");
    }
    String listen = listeners.isEmpty() ? EMS_DEFAULT_LISTEN : String.join(", ", listeners);
    if (listenOrigin == null) {
      conf.comment("no listen in tibemsd.conf: EMS's default port 7222 on every interface");
    }
    conf.add("listen = " + listen, listenOrigin);
  }

  private void dispatch(EmsFile.Line line, String key, String value) {
    ConfigLine at = new ConfigLine(line.file(), line.number(), key, value);
    switch (key) {
      case "server" -> checked(line, key, value, () -> serverName(at));
      case "max_msg_memory", "store_minimum" ->
          checked(line, key, value, () -> Values.size(value, at));
      case "max_connections" ->
          checked(line, key, value, () -> Values.intInRange(value, at, 0, 1_000_000));
      case "handshake_timeout", "ft_heartbeat", "ft_activation", "ft_reconnect_timeout" ->
          checked(line, key, value, () -> Values.time(value, at, ChronoUnit.SECONDS));
      case "authorization", "ssl_require_client_cert", "ft_ssl_verify_hostname" -> bool(line, at);
      case "ft_ssl_expected_hostname" -> checked(line, key, value, () -> {});
      case "listen" -> listen(line, value);
      case "ft_active" -> ftActive(line, value);
      case "store" -> store(line, value);
      case "queues", "topics", "users", "groups", "acl_list" -> files.put(key, line);
      case "password" -> password(line, value);
      case "ssl_password", "ft_ssl_password" -> secret(line, key, value);
      case "ssl_server_identity", "ssl_server_key", "ssl_server_trusted" ->
          tlsFile(line, key, value);
      case "ft_ssl_identity", "ft_ssl_private_key", "ft_ssl_trusted" -> tlsFile(line, key, value);
      case "max_msg_size" -> maxMsgSize(line, at);
      case "server_timeout_client_connection" -> idleTimeout(line, at);
      case "store_crc", "always_exit_on_disk_error" -> alwaysOn(line, at);
      case "user_auth" -> {
        if (!value.equalsIgnoreCase("local")) {
          report(line, NoEquivalent.reason(key) + " ('" + value + "')");
        }
      }
      default -> report(line, NoEquivalent.reason(key));
    }
  }

  private static void serverName(ConfigLine at) {
    if (!at.value().matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
      throw at.error(
          "server name '"
              + at.value()
              + "' must be 1-64 letters, digits, '_', '.' or '-' in Tandem");
    }
  }

  /** Copies {@code key = value} once {@code check} passed; its failure is the reason reported. */
  private void checked(EmsFile.Line line, String key, String value, Runnable check) {
    String problem = EmsFile.problem(check);
    if (problem != null) {
      report(line, key + " not mapped: " + problem);
    } else {
      write(line, key, value);
    }
  }

  private void write(EmsFile.Line line, String key, String value) {
    if (value.indexOf('#') >= 0) {
      report(line, key + " not mapped: its value holds '#', which tandem.conf reads as a comment");
      return;
    }
    conf.add(key + " = " + value, line);
  }

  private void bool(EmsFile.Line line, ConfigLine at) {
    boolean[] on = new boolean[1];
    String problem = EmsFile.problem(() -> on[0] = Values.bool(at.value(), at));
    if (problem != null) {
      report(line, at.key() + " not mapped: " + problem);
    } else {
      write(line, at.key(), on[0] ? "enabled" : "disabled");
    }
  }

  private void alwaysOn(EmsFile.Line line, ConfigLine at) {
    boolean[] on = new boolean[1];
    String problem = EmsFile.problem(() -> on[0] = Values.bool(at.value(), at));
    if (problem != null || !on[0]) {
      report(
          line,
          at.key()
              + " = "
              + at.value()
              + " has no equivalent: Tandem always checks each record's CRC and always stops"
              + " serving on a store error");
    }
  }

  private void listen(EmsFile.Line line, String value) {
    if (listenOrigin == null) {
      listenOrigin = line;
    }
    for (String url : value.split(",")) {
      String converted = url(line, url.strip());
      if (converted != null) {
        listeners.add(converted);
      }
    }
  }

  private void ftActive(EmsFile.Line line, String value) {
    if (value.contains(",")) {
      report(line, "ft_active not mapped: Tandem's names exactly one peer URL");
      return;
    }
    String url = url(line, value);
    if (url != null) {
      conf.add("ft_active = " + url, line);
    }
  }

  /**
   * An EMS URL, {@code tcp://[host:]port} or {@code ssl://[host:]port}, as Tandem writes it, or
   * null (reported) when it is none of these.
   */
  private String url(EmsFile.Line line, String url) {
    String lower = url.toLowerCase(Locale.ROOT);
    String scheme;
    if (lower.startsWith("tcp://")) {
      scheme = "amqp://";
    } else if (lower.startsWith("ssl://")) {
      scheme = "amqps://";
    } else {
      report(
          line,
          "'"
              + url
              + "' not mapped: Tandem listens on tcp:// (amqp://) and ssl:// (amqps://) only");
      return null;
    }
    String rest = url.substring(6);
    int colon = rest.lastIndexOf(':');
    String host = colon < 0 ? "0.0.0.0" : rest.substring(0, colon);
    String port = colon < 0 ? rest : rest.substring(colon + 1);
    if (host.isEmpty() || !port.matches("[0-9]{1,5}") || Integer.parseInt(port) > 65535) {
      report(line, "'" + url + "' not mapped: expected tcp://[host:]port");
      return null;
    }
    return scheme + host + ":" + port;
  }

  /** A path of tibemsd.conf, which EMS reads from its own directory: made absolute. */
  private Path path(EmsFile.Line line, String key, String value) {
    try {
      return emsDir.resolve(value).toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      report(line, key + " not mapped: '" + value + "' is not a path");
      return null;
    }
  }

  /**
   * EMS's store directory holds meta.db, sync-msgs.db and async-msgs.db in EMS's format, the names
   * Tandem's store uses: Tandem's goes into a directory of its own inside it, on the same volume,
   * so that neither broker ever reads or writes the other's files.
   */
  private void store(EmsFile.Line line, String value) {
    Path p = path(line, "store", value);
    if (p != null) {
      conf.comment(
          "the store: a directory of its own inside EMS's (Tandem does not read EMS's store"
              + " files, and never writes over them)");
      write(line, "store", p.resolve(STORE_DIR).toString());
    }
  }

  private void tlsFile(EmsFile.Line line, String key, String value) {
    String lower = value.toLowerCase(Locale.ROOT);
    for (String ext : List.of(".p12", ".pfx", ".jks", ".der", ".pk8")) {
      if (lower.endsWith(ext)) {
        report(
            line,
            key
                + " not mapped: Tandem reads PEM files only; convert "
                + value
                + " with openssl and set "
                + key
                + " to the PEM file");
        return;
      }
    }
    Path p = path(line, key, value);
    if (p != null) {
      write(line, key, p.toString());
      tlsIdentity |= key.equals("ssl_server_identity");
    }
  }

  private static boolean mangled(String value) {
    return value.startsWith("$");
  }

  private void secret(EmsFile.Line line, String key, String value) {
    if (mangled(value)) {
      report(
          line,
          key
              + " not mapped: EMS keeps it mangled and Tandem cannot read it back; set "
              + key
              + " to the password itself");
    } else {
      write(line, key, value);
    }
  }

  private void password(EmsFile.Line line, String value) {
    if (mangled(value)) {
      report(
          line,
          "password not mapped: EMS keeps it mangled and Tandem cannot read it back; write the"
              + " password of the server user into "
              + PASSWORD_FILE
              + " (mode 0600) and add password_file = "
              + PASSWORD_FILE);
      return;
    }
    password = value;
    conf.add("password_file = " + PASSWORD_FILE, line);
  }

  private void maxMsgSize(EmsFile.Line line, ConfigLine at) {
    long[] size = new long[1];
    String problem = EmsFile.problem(() -> size[0] = Values.size(at.value(), at));
    if (problem != null) {
      report(line, "max_msg_size not mapped: " + problem);
    } else if (size[0] == 0) {
      report(
          line,
          "max_msg_size = 0 (no limit) has no equivalent: Tandem always limits a message's size"
              + " (default 64MB, at most 496MB)");
    } else {
      write(line, "max_msg_size", at.value());
    }
  }

  private void idleTimeout(EmsFile.Line line, ConfigLine at) {
    long[] seconds = new long[1];
    String problem =
        EmsFile.problem(
            () -> seconds[0] = Values.time(at.value(), at, ChronoUnit.SECONDS).toSeconds());
    if (problem != null) {
      report(line, "server_timeout_client_connection not mapped: " + problem);
    } else if (seconds[0] == 0) {
      report(
          line,
          "server_timeout_client_connection = 0 (never) has no equivalent: Tandem closes a"
              + " connection silent for amqp_idle_timeout (default 60 s); clients' heartbeats keep"
              + " theirs open");
    } else {
      conf.comment(
          "server_timeout_client_connection: the idle timeout Tandem announces and enforces");
      write(line, "amqp_idle_timeout", at.value());
    }
  }

  private void report(EmsFile.Line line, String reason) {
    unmapped.add(line.unmapped(reason));
    conf.comment(line.file().getFileName() + ":" + line.number() + ": not mapped: " + reason);
  }
}
