package io.tandem.broker.admin;

import com.sun.net.httpserver.HttpExchange;
import io.tandem.broker.config.AdminConfig;
import io.tandem.broker.config.BrokerConfig;
import io.tandem.broker.config.Endpoint;
import io.tandem.broker.security.AccessControl;
import io.tandem.broker.security.Permission;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.logging.Logger;

/**
 * Who may make an admin call. With {@code authorization = disabled} and no users file the endpoint
 * is unauthenticated (reads open, mutating calls only from loopback on a loopback-only endpoint, as
 * {@link AdminActions} enforces). Otherwise every call but the {@code admin_public} ones needs HTTP
 * Basic credentials of a users-file user holding the call's ADMIN permission, sent over https:// or
 * over a loopback connection.
 */
final class AdminSecurity {
  /** The exchange attribute holding the authenticated user's name. */
  static final String USER = "io.tandem.admin.user";

  static final String CHALLENGE = "Basic realm=\"tandem admin\", charset=\"UTF-8\"";

  private static final Logger LOG = Logger.getLogger(AdminSecurity.class.getName());

  /** Why a call was not let through: the status and error to answer with. */
  record Refusal(int status, String error) {}

  private final AccessControl access;
  private final AdminConfig config;
  private final boolean authenticating;
  private final boolean https;

  AdminSecurity(AccessControl access, AdminConfig config, Endpoint bound) {
    this.access = access;
    this.config = config;
    this.authenticating = access.enabled() || access.users().configured();
    this.https = bound.scheme().equals("https");
  }

  /** Reads the users, groups and acl files that {@code config} names. */
  static AccessControl accessControl(BrokerConfig config) {
    return AccessControl.load(
        config.security().authorization(),
        config.security().users(),
        config.security().groups(),
        config.security().aclList());
  }

  /** Whether calls need credentials (a users file is configured or authorization is enabled). */
  boolean authenticating() {
    return authenticating;
  }

  AdminConfig config() {
    return config;
  }

  /** Logs what an operator must know about the mode at startup. */
  void warnAtStart(Endpoint bound, boolean loopbackOnly) {
    if (!authenticating && !loopbackOnly) {
      LOG.warning(
          "admin endpoint "
              + bound
              + " is not on a loopback address and has no authentication (authorization ="
              + " disabled and no users file): /state and /admin/connections are readable by"
              + " anyone who reaches it, and mutating calls are refused");
    }
    if (authenticating && !access.users().configured()) {
      LOG.warning(
          "authorization = enabled but no users file is configured: no admin call but"
              + " admin_public ones can succeed");
    }
    if (authenticating && !https && !loopbackOnly) {
      LOG.warning(
          "admin endpoint "
              + bound
              + " is plain http on a non-loopback address: credentials are accepted only over"
              + " loopback connections; use admin_listen = https://... to administer it remotely");
    }
  }

  /**
   * The ADMIN permission a call needs: {@code create}, {@code delete}, {@code purge} or {@code
   * shutdown} for the matching mutation, {@code view} for everything else.
   */
  static Permission required(String method, String path) {
    if (path.equals("/admin/shutdown")) {
      return Permission.SHUTDOWN;
    }
    boolean destination = path.startsWith("/admin/queues/") || path.startsWith("/admin/topics/");
    if (!destination) {
      return Permission.VIEW;
    }
    if (method.equals("POST") && path.startsWith("/admin/queues/") && path.endsWith("/purge")) {
      return Permission.PURGE;
    }
    return switch (method) {
      case "PUT" -> Permission.CREATE;
      case "DELETE" -> Permission.DELETE;
      default -> Permission.VIEW;
    };
  }

  /**
   * Checks the call's credentials and permission; null lets it through (and records the user on the
   * exchange), else the refusal to answer with.
   *
   * @param publicName {@code health} or {@code metrics} for those paths, else null
   */
  Refusal check(HttpExchange ex, String publicName) {
    if (publicName != null && config.isPublic(publicName)) {
      return null;
    }
    if (!authenticating) {
      return null;
    }
    String call = ex.getRequestMethod() + " " + ex.getRequestURI().getPath();
    String remote = String.valueOf(ex.getRemoteAddress());
    if (!https && !ex.getRemoteAddress().getAddress().isLoopbackAddress()) {
      LOG.warning(
          "admin endpoint: refused " + call + " from " + remote + ": credentials over plain http");
      return new Refusal(
          403,
          "credentials are accepted over https:// or a loopback connection only; this endpoint is"
              + " plain http");
    }
    String header = ex.getRequestHeaders().getFirst("Authorization");
    if (header == null) {
      LOG.fine("admin endpoint: " + call + " from " + remote + " without credentials");
      return new Refusal(401, "credentials required");
    }
    Credentials c = Credentials.parse(header);
    if (c == null) {
      LOG.warning(
          "admin endpoint: authentication failed for "
              + call
              + " from "
              + remote
              + ": malformed Authorization header");
      return new Refusal(401, "authentication failed");
    }
    try {
      if (!access.users().verify(c.user(), c.password())) {
        LOG.warning(
            "admin endpoint: authentication failed for user '"
                + printable(c.user())
                + "' from "
                + remote
                + " ("
                + call
                + ")");
        return new Refusal(401, "authentication failed");
      }
    } finally {
      Arrays.fill(c.password(), '\0');
    }
    Permission need = required(ex.getRequestMethod(), ex.getRequestURI().getPath());
    if (!access.permitsAdmin(c.user(), need)) {
      LOG.warning(
          "admin endpoint: user '"
              + c.user()
              + "' from "
              + remote
              + " lacks the admin permission '"
              + need.configName()
              + "' ("
              + call
              + ")");
      return new Refusal(
          403, "user '" + c.user() + "' lacks the admin permission '" + need.configName() + "'");
    }
    ex.setAttribute(USER, c.user());
    return null;
  }

  /** A name as it may appear in a log line: no control characters, at most 64 characters. */
  static String printable(String s) {
    String t =
        s.codePoints()
            .map(ch -> Character.isISOControl(ch) ? '?' : ch)
            .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
            .toString();
    return t.length() > 64 ? t.substring(0, 64) + "..." : t;
  }

  /** HTTP Basic credentials (RFC 7617, UTF-8). */
  record Credentials(String user, char[] password) {
    static Credentials parse(String header) {
      String h = header.strip();
      if (h.length() < 6 || !h.substring(0, 6).toLowerCase(Locale.ROOT).equals("basic ")) {
        return null;
      }
      byte[] raw;
      try {
        raw = Base64.getDecoder().decode(h.substring(6).strip());
      } catch (IllegalArgumentException e) {
        return null;
      }
      try {
        CharBuffer chars =
            StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(raw));
        char[] all = new char[chars.remaining()];
        chars.get(all);
        int colon = -1;
        for (int i = 0; i < all.length && colon < 0; i++) {
          colon = all[i] == ':' ? i : -1;
        }
        if (colon <= 0) {
          Arrays.fill(all, '\0');
          return null;
        }
        Credentials c =
            new Credentials(
                new String(all, 0, colon), Arrays.copyOfRange(all, colon + 1, all.length));
        Arrays.fill(all, '\0');
        return c;
      } catch (CharacterCodingException e) {
        return null;
      } finally {
        Arrays.fill(raw, (byte) 0);
      }
    }
  }
}
