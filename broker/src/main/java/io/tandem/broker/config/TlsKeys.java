package io.tandem.broker.config;

import io.tandem.broker.BrokerException;
import io.tandem.broker.tls.ClientTls;
import io.tandem.broker.tls.ServerTls;
import io.tandem.broker.tls.TlsSettings;
import io.tandem.process.config.ConfigLine;
import io.tandem.process.config.Values;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.net.ssl.SSLContext;

/**
 * Reads the TLS keys into a {@link TlsConfig} and loads every file they name once, so that a
 * missing file, an unreadable key, a wrong password or a key that does not match its certificate
 * stops the broker at startup with the file and line of the key at fault.
 */
final class TlsKeys {
  static final List<String> SERVER =
      List.of(
          "ssl_server_identity",
          "ssl_server_key",
          "ssl_password",
          "ssl_server_trusted",
          "ssl_require_client_cert");
  static final List<String> ADMIN =
      List.of(
          "admin_ssl_identity",
          "admin_ssl_key",
          "admin_ssl_password",
          "admin_ssl_trusted",
          "admin_ssl_require_client_cert");
  static final List<String> FT =
      List.of(
          "ft_ssl_identity",
          "ft_ssl_private_key",
          "ft_ssl_password",
          "ft_ssl_trusted",
          "ft_ssl_expected_hostname",
          "ft_ssl_verify_hostname");
  static final List<String> SHARED = List.of("ssl_protocols", "ssl_ciphers");

  private static final Set<String> OLD_PROTOCOLS =
      Set.of("sslv2", "sslv2hello", "sslv3", "tlsv1", "tlsv1.0", "tlsv1.1");

  private TlsKeys() {}

  static List<String> keys() {
    List<String> all = new ArrayList<>(SERVER);
    all.addAll(ADMIN);
    all.addAll(FT);
    all.addAll(SHARED);
    return all;
  }

  static TlsConfig parse(
      ConfigLoader.Settings s, Path dir, List<Endpoint> listen, Endpoint admin, FtConfig ft) {
    List<String> protocols = protocols(s.line("ssl_protocols", "TLSv1.2,TLSv1.3"));
    List<String> ciphers = ciphers(s);
    TlsSettings server = server(s, dir, protocols, ciphers);
    boolean amqps = listen.stream().anyMatch(e -> e.scheme().equals("amqps"));
    if (amqps && server == null) {
      throw s.line("listen", "").error("an amqps:// listener needs ssl_server_identity");
    }
    if (server != null) {
      check(s, () -> ServerTls.create(server), "ssl_server_identity", SERVER);
    }
    TlsSettings adminTls = admin(s, dir, admin, server, protocols, ciphers);
    TlsSettings ftTls = ft(s, dir, ft, amqps, protocols, ciphers);
    String expected =
        s.has("ft_ssl_expected_hostname") ? s.text("ft_ssl_expected_hostname", "") : null;
    boolean verify =
        Values.bool(
            s.text("ft_ssl_verify_hostname", "enabled"),
            s.line("ft_ssl_verify_hostname", "enabled"));
    if (ftTls != null) {
      check(s, () -> ClientTls.create(ftTls, expected, verify), "ft_ssl_trusted", FT);
    }
    return new TlsConfig(server, adminTls, ftTls, expected, verify);
  }

  private static TlsSettings server(
      ConfigLoader.Settings s, Path dir, List<String> protocols, List<String> ciphers) {
    if (!s.has("ssl_server_identity")) {
      requireAbsent(s, SERVER, "ssl_server_identity is not");
      return null;
    }
    Path trusted = file(s, "ssl_server_trusted", dir);
    boolean require = flag(s, "ssl_require_client_cert");
    if (require && trusted == null) {
      throw s.line("ssl_require_client_cert", "")
          .error("ssl_require_client_cert is enabled but ssl_server_trusted names no CA file");
    }
    return new TlsSettings(
        file(s, "ssl_server_identity", dir),
        file(s, "ssl_server_key", dir),
        s.has("ssl_password") ? s.text("ssl_password", "") : null,
        trusted,
        require,
        protocols,
        ciphers);
  }

  private static TlsSettings admin(
      ConfigLoader.Settings s,
      Path dir,
      Endpoint admin,
      TlsSettings server,
      List<String> protocols,
      List<String> ciphers) {
    if (!admin.scheme().equals("https")) {
      requireAbsent(s, ADMIN, "admin_listen is not https://");
      return null;
    }
    boolean own = s.has("admin_ssl_identity");
    if (!own) {
      requireAbsent(s, List.of("admin_ssl_key", "admin_ssl_password"), "admin_ssl_identity is not");
      if (server == null) {
        throw s.line("admin_listen", "")
            .error("an https:// admin_listen needs admin_ssl_identity or ssl_server_identity");
      }
    }
    Path trusted =
        s.has("admin_ssl_trusted")
            ? file(s, "admin_ssl_trusted", dir)
            : server == null ? null : server.trusted();
    boolean require = flag(s, "admin_ssl_require_client_cert");
    if (require && trusted == null) {
      throw s.line("admin_ssl_require_client_cert", "")
          .error("admin_ssl_require_client_cert is enabled but no trusted CA file is named");
    }
    TlsSettings t =
        own
            ? new TlsSettings(
                file(s, "admin_ssl_identity", dir),
                file(s, "admin_ssl_key", dir),
                s.has("admin_ssl_password") ? s.text("admin_ssl_password", "") : null,
                trusted,
                require,
                protocols,
                ciphers)
            : new TlsSettings(
                server.identity(),
                server.key(),
                server.password(),
                trusted,
                require,
                protocols,
                ciphers);
    check(s, () -> ServerTls.create(t), own ? "admin_ssl_identity" : "admin_listen", ADMIN);
    return t;
  }

  private static TlsSettings ft(
      ConfigLoader.Settings s,
      Path dir,
      FtConfig ft,
      boolean amqps,
      List<String> protocols,
      List<String> ciphers) {
    if (ft == null) {
      requireAbsent(s, FT, "ft_active is not");
      return null;
    }
    if (!ft.peer().scheme().equals("amqps")) {
      requireAbsent(s, FT, "ft_active is amqp:// (write amqps:// to run the peer link over TLS)");
      return null;
    }
    if (!s.has("ft_ssl_trusted")) {
      throw s.line("ft_active", "")
          .error("ft_active is amqps:// but ft_ssl_trusted names no CA file to verify the peer");
    }
    if (!amqps) {
      throw s.line("ft_active", "")
          .error(
              "ft_active is amqps://, so the peer dials this member with TLS too: listen needs"
                  + " an amqps:// listener");
    }
    if (!s.has("ft_ssl_identity")) {
      requireAbsent(s, List.of("ft_ssl_private_key", "ft_ssl_password"), "ft_ssl_identity is not");
    }
    return new TlsSettings(
        file(s, "ft_ssl_identity", dir),
        file(s, "ft_ssl_private_key", dir),
        s.has("ft_ssl_password") ? s.text("ft_ssl_password", "") : null,
        file(s, "ft_ssl_trusted", dir),
        false,
        protocols,
        ciphers);
  }

  /** Loads the files; a failure is reported at the line of the key naming the bad file. */
  private static void check(
      ConfigLoader.Settings s, Runnable load, String fallbackKey, List<String> keys) {
    try {
      load.run();
    } catch (BrokerException e) {
      String msg = e.getMessage();
      for (String key : keys) {
        if (s.has(key) && !s.text(key, "").isEmpty() && msg.startsWith(s.text(key, ""))) {
          throw s.line(key, "").error(msg);
        }
      }
      for (String key : keys) {
        if (s.has(key) && msg.contains(s.text(key, ""))) {
          throw s.line(key, "").error(msg);
        }
      }
      throw s.line(fallbackKey, "").error(msg);
    }
  }

  private static Path file(ConfigLoader.Settings s, String key, Path dir) {
    return s.has(key) ? s.existingFile(key, dir) : null;
  }

  private static boolean flag(ConfigLoader.Settings s, String key) {
    ConfigLine l = s.line(key, "disabled");
    return Values.bool(l.value(), l);
  }

  private static void requireAbsent(ConfigLoader.Settings s, List<String> keys, String because) {
    for (String key : keys) {
      if (s.has(key)) {
        throw s.line(key, "").error(key + " is set but " + because);
      }
    }
  }

  static List<String> protocols(ConfigLine l) {
    List<String> out = new ArrayList<>();
    for (String p : l.value().split("[,\\s]+")) {
      String lower = p.toLowerCase(Locale.ROOT);
      if (lower.isEmpty()) {
        continue;
      }
      if (OLD_PROTOCOLS.contains(lower)) {
        throw l.error(p + " is older than TLS 1.2 and is refused (allowed: TLSv1.2, TLSv1.3)");
      }
      String name =
          switch (lower) {
            case "tlsv1.2" -> "TLSv1.2";
            case "tlsv1.3" -> "TLSv1.3";
            default -> throw l.error("unknown protocol '" + p + "' (allowed: TLSv1.2, TLSv1.3)");
          };
      if (!out.contains(name)) {
        out.add(name);
      }
    }
    if (out.isEmpty()) {
      throw l.error("names no protocol (allowed: TLSv1.2, TLSv1.3)");
    }
    return out;
  }

  private static List<String> ciphers(ConfigLoader.Settings s) {
    if (!s.has("ssl_ciphers")) {
      return List.of();
    }
    ConfigLine l = s.line("ssl_ciphers", "");
    Set<String> supported;
    try {
      supported =
          new HashSet<>(
              Arrays.asList(SSLContext.getDefault().getSupportedSSLParameters().getCipherSuites()));
    } catch (NoSuchAlgorithmException e) {
      throw l.error("this JDK offers no TLS: " + e.getMessage());
    }
    List<String> out = new ArrayList<>();
    for (String c : l.value().split("[,:\\s]+")) {
      if (c.isEmpty()) {
        continue;
      }
      if (!supported.contains(c)) {
        throw l.error(
            "cipher suite '"
                + c
                + "' is not supported by this JDK (use IANA names such as"
                + " TLS_AES_128_GCM_SHA256 or TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256)");
      }
      out.add(c);
    }
    return out;
  }
}
