package io.tandem.broker.admin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.tandem.broker.BrokerException;
import io.tandem.broker.Role;
import io.tandem.broker.amqp.ConnectionRegistry;
import io.tandem.broker.config.Endpoint;
import io.tandem.broker.destination.Destinations;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The admin endpoint's calls under {@code /admin/}, for {@code tandem} subcommands: {@code GET
 * /admin/connections}; and the mutating ones, {@code PUT|DELETE /admin/queues/NAME}, {@code POST
 * /admin/queues/NAME/purge}, {@code PUT|DELETE /admin/topics/NAME}, {@code POST /admin/shutdown}.
 *
 * <p>{@link AdminSecurity} has checked the caller's credentials and ADMIN permission before a call
 * gets here. On an unauthenticated endpoint (no users file, authorization disabled) a mutating call
 * is refused (403) unless the endpoint listens on a loopback address only, so only local users can
 * change the broker. In every mode it must carry the {@value #HEADER} header, which a web page
 * cannot add to a request without the browser asking first (a preflight this endpoint never
 * approves), so a page a local user visits cannot change the broker, even with the browser's cached
 * credentials. Destination calls need a broker that serves clients: anything else answers 503 with
 * {@code "error": "not primary"}.
 */
public final class AdminActions {
  /** The header every mutating call carries. */
  public static final String HEADER = "X-Tandem-Admin";

  private static final Logger LOG = Logger.getLogger(AdminActions.class.getName());
  private static final int MAX_BODY = 4096;
  private static final AtomicBoolean EXIT_PROCESS = new AtomicBoolean();

  private final BrokerView broker;
  private final boolean loopbackOnly;
  private final String listening;

  private final boolean authenticating;

  private AdminActions(BrokerView broker, Endpoint bound, boolean authenticating) {
    this.broker = broker;
    this.loopbackOnly = isLoopback(bound.host());
    this.listening = bound.host();
    this.authenticating = authenticating;
  }

  /**
   * Makes {@code POST /admin/shutdown} end the process (as SIGTERM does, through the shutdown
   * hooks) instead of only closing the broker: what {@code tandem broker} wants.
   */
  public static void exitProcessOnShutdown() {
    EXIT_PROCESS.set(true);
  }

  /**
   * Serves the calls on {@code http} for {@code broker}, whose endpoint is bound to {@code bound}.
   */
  static void register(HttpServer http, BrokerView broker, Endpoint bound, AdminGuard guard) {
    AdminActions actions = new AdminActions(broker, bound, guard.security().authenticating());
    http.createContext("/admin/", guard.guard(null, AdminGuard.Placement.CALLS, actions::handle));
  }

  static boolean isLoopback(String host) {
    try {
      for (InetAddress a : InetAddress.getAllByName(host)) {
        if (!a.isLoopbackAddress()) {
          return false;
        }
      }
      return true;
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private void handle(HttpExchange ex) throws IOException {
    boolean stop = false;
    try (ex) {
      String method = ex.getRequestMethod();
      String path = ex.getRequestURI().getPath();
      if (path.equals("/admin/connections")) {
        listConnections(ex, method);
        return;
      }
      String refusal = refusal(ex);
      if (refusal != null) {
        reply(ex, 403, Map.of("error", refusal));
        return;
      }
      Map<String, Object> result = mutate(ex, method, path);
      stop = "stopping".equals(result.get("result"));
      reply(ex, (Integer) result.remove("status"), result);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "admin request failed", e);
      throw e;
    }
    if (stop) {
      stopAfterReply();
    }
  }

  private void listConnections(HttpExchange ex, String method) throws IOException {
    if (!method.equals("GET")) {
      reply(ex, 405, Map.of("error", "method not allowed"));
    } else if (broker.destinations() == null || broker.roles().role() != Role.ACTIVE) {
      reply(ex, 503, notPrimary());
    } else {
      reply(ex, 200, Map.of("connections", connections()));
    }
  }

  private List<Map<String, Object>> connections() {
    ConnectionRegistry registry = broker.connections();
    return registry.describe().stream()
        .map(
            c -> {
              Map<String, Object> m = new LinkedHashMap<>();
              m.put("remote", c.remote());
              m.put("container_id", c.containerId());
              m.put("user", c.user());
              m.put("sessions", c.sessions());
              m.put("links", c.links());
              return m;
            })
        .toList();
  }

  /**
   * Why a mutating call is refused, or null. An authenticated caller (checked by {@link
   * AdminSecurity} before this) needs only the header.
   */
  private String refusal(HttpExchange ex) {
    if (!authenticating
        && (!loopbackOnly || !ex.getRemoteAddress().getAddress().isLoopbackAddress())) {
      return "mutating calls are refused: admin_listen is "
          + listening
          + ", not a loopback address, and the admin endpoint is unauthenticated (no users file);"
          + " listen on 127.0.0.1 to use them from this host, or configure users and acl_list";
    }
    if (ex.getRequestHeaders().getFirst(HEADER) == null) {
      return "mutating calls need the " + HEADER + " header";
    }
    return null;
  }

  private Map<String, Object> mutate(HttpExchange ex, String method, String path)
      throws IOException {
    if (path.equals("/admin/shutdown")) {
      return method.equals("POST") ? shutdown(ex) : status(405, "error", "method not allowed");
    }
    String kind =
        path.startsWith("/admin/queues/")
            ? "queue"
            : path.startsWith("/admin/topics/") ? "topic" : null;
    if (kind == null) {
      return status(404, "error", "no such admin call: " + method + " " + path);
    }
    String rest = path.substring(("/admin/" + kind + "s/").length());
    Destinations d = broker.destinations();
    Role role = broker.roles().role();
    if (d == null || role != Role.ACTIVE) {
      Map<String, Object> m = notPrimary();
      m.put("status", 503);
      return m;
    }
    try {
      return destinationCall(ex, method, kind, rest, d);
    } catch (BrokerException e) {
      int code =
          switch (e.category()) {
            case NOT_FOUND -> 404;
            case ILLEGAL_STATE -> 409;
            case UNAUTHORIZED -> 403;
            case INVALID_INPUT -> 400;
            default -> 500;
          };
      return status(code, "error", e.getMessage());
    }
  }

  private Map<String, Object> destinationCall(
      HttpExchange ex, String method, String kind, String rest, Destinations d) throws IOException {
    boolean queue = kind.equals("queue");
    if (queue && rest.endsWith("/purge") && method.equals("POST")) {
      String name = rest.substring(0, rest.length() - "/purge".length());
      Map<String, Object> m = status(200, "queue", name);
      m.put("purged", d.purgeQueue(name));
      return m;
    }
    if (rest.isEmpty()) {
      return status(404, "error", "no " + kind + " name given");
    }
    switch (method) {
      case "PUT" -> {
        String settings = body(ex);
        if (queue) {
          d.createQueue(rest, settings);
        } else {
          d.createTopic(rest, settings);
        }
        Map<String, Object> m = status(201, kind, rest);
        m.put("created", true);
        return m;
      }
      case "DELETE" -> {
        if (queue) {
          d.deleteQueue(rest);
        } else {
          d.deleteTopic(rest);
        }
        Map<String, Object> m = status(200, kind, rest);
        m.put("deleted", true);
        return m;
      }
      default -> {
        return status(405, "error", "method not allowed");
      }
    }
  }

  private Map<String, Object> shutdown(HttpExchange ex) {
    Object user = ex.getAttribute(AdminSecurity.USER);
    LOG.info(
        "shutdown requested through the admin endpoint"
            + (user == null ? "" : " by user '" + user + "'")
            + " from "
            + ex.getRemoteAddress());
    return status(202, "result", "stopping");
  }

  /** Stops once the answer is out: stopping closes this endpoint. */
  private void stopAfterReply() {
    Thread stopper =
        new Thread(
            () -> {
              if (EXIT_PROCESS.get()) {
                System.exit(0);
              } else if (broker instanceof AutoCloseable c) {
                try {
                  c.close();
                } catch (Exception e) {
                  LOG.log(Level.WARNING, "error while stopping", e);
                }
              }
            },
            "admin-shutdown");
    stopper.start();
  }

  private Map<String, Object> notPrimary() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("error", "not primary");
    m.put("role", broker.roles().role().label());
    m.put("reason", broker.roles().reason());
    return m;
  }

  private static Map<String, Object> status(int code, String key, Object value) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("status", code);
    m.put(key, value);
    return m;
  }

  private static String body(HttpExchange ex) throws IOException {
    try (InputStream in = ex.getRequestBody()) {
      byte[] bytes = in.readNBytes(MAX_BODY + 1);
      if (bytes.length > MAX_BODY) {
        throw new BrokerException(
            BrokerException.Category.INVALID_INPUT,
            "properties longer than " + MAX_BODY + " bytes");
      }
      return new String(bytes, StandardCharsets.UTF_8).strip();
    }
  }

  private static void reply(HttpExchange ex, int code, Object body) throws IOException {
    byte[] bytes = (Json.write(body) + "\n").getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }
}
