package io.tandem.broker.admin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.tandem.broker.BrokerException;
import io.tandem.broker.Role;
import io.tandem.broker.config.Endpoint;
import io.tandem.broker.destination.QueueStats;
import io.tandem.broker.destination.SubscriptionStats;
import io.tandem.broker.security.AccessControl;
import io.tandem.broker.store.StoreWatchdog;
import io.tandem.broker.tls.ServerTls;
import io.tandem.broker.tls.TlsSettings;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Serves {@code /health}, {@code /state}, {@code /metrics} and the {@code /admin/} calls over HTTP,
 * or HTTPS for {@code https://}, each behind {@link AdminGuard}.
 */
public final class AdminServer implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(AdminServer.class.getName());

  private final HttpServer server;
  private final BrokerView broker;
  private final Endpoint endpoint;

  /**
   * Reads requests and answers {@code /health}: enough threads that clients which send half a
   * request and stall, each holding one while the server reads, leave {@code /health} answered.
   */
  private static final int READER_THREADS = 16;

  private final ThreadPoolExecutor readers =
      new ThreadPoolExecutor(
          READER_THREADS,
          READER_THREADS,
          30,
          TimeUnit.SECONDS,
          new LinkedBlockingQueue<>(),
          r -> {
            Thread t = new Thread(r, "admin-http");
            t.setDaemon(true);
            return t;
          });

  private final AdminGuard guard;

  private AdminServer(HttpServer server, BrokerView broker, Endpoint endpoint, AdminGuard guard) {
    this.server = server;
    this.broker = broker;
    this.endpoint = endpoint;
    this.guard = guard;
    readers.allowCoreThreadTimeOut(true);
  }

  /** Listens on {@code endpoint} and serves {@code broker}'s state, without {@code /metrics}. */
  public static AdminServer start(Endpoint endpoint, BrokerView broker) {
    return start(endpoint, broker, null);
  }

  /**
   * Listens on {@code endpoint} and serves {@code broker}'s state, and {@code /metrics} from {@code
   * metrics} (Prometheus text) unless it is null. Reads the users, groups and acl files that the
   * broker's configuration names; errors name file and line.
   */
  public static AdminServer start(
      Endpoint endpoint, BrokerView broker, java.util.function.Supplier<String> metrics) {
    AccessControl access = AdminSecurity.accessControl(broker.config());
    HttpServer http;
    try {
      http = createServer(endpoint, broker.config().tls().admin());
    } catch (IOException e) {
      throw new BrokerException(
          BrokerException.Category.NETWORK,
          "cannot listen on admin_listen " + endpoint + ": " + e.getMessage(),
          e);
    }
    Endpoint bound = new Endpoint(endpoint.scheme(), endpoint.host(), http.getAddress().getPort());
    AdminSecurity security = new AdminSecurity(access, broker.config().adminAccess(), bound);
    AdminGuard guard =
        new AdminGuard(
            new HostCheck(bound.host(), broker.config().adminAccess().hostnames()), security);
    AdminServer admin = new AdminServer(http, broker, bound, guard);
    http.createContext(
        "/health", guard.guard("health", AdminGuard.Placement.INLINE, admin::health));
    http.createContext("/state", guard.guard(null, AdminGuard.Placement.CALLS, admin::state));
    if (metrics != null) {
      http.createContext(
          "/metrics",
          guard.guard("metrics", AdminGuard.Placement.CALLS, ex -> metrics(ex, metrics)));
    }
    AdminActions.register(http, broker, bound, guard);
    http.createContext("/", guard.guard(null, AdminGuard.Placement.CALLS, AdminServer::notFound));
    http.setExecutor(admin.readers);
    http.start();
    security.warnAtStart(bound, AdminActions.isLoopback(bound.host()));
    LOG.info(
        "admin endpoint on "
            + bound
            + (security.authenticating()
                ? " (credentials required except for admin_public: "
                    + String.join(",", broker.config().adminAccess().publicPaths())
                    + ")"
                : " (unauthenticated: no users file and authorization = disabled)"));
    return admin;
  }

  /** An HTTP server, or for {@code https://} an HTTPS one with the admin endpoint's TLS. */
  private static HttpServer createServer(Endpoint endpoint, TlsSettings tls) throws IOException {
    InetSocketAddress address = new InetSocketAddress(endpoint.host(), endpoint.port());
    if (!endpoint.scheme().equals("https")) {
      return HttpServer.create(address, 16);
    }
    if (tls == null) {
      throw new BrokerException(
          BrokerException.Category.CONFIG, "admin_listen " + endpoint + " needs TLS settings");
    }
    ServerTls server = ServerTls.create(tls);
    HttpsServer https = HttpsServer.create(address, 16);
    https.setHttpsConfigurator(
        new HttpsConfigurator(server.sslContext()) {
          @Override
          public void configure(HttpsParameters params) {
            params.setSSLParameters(server.parameters());
          }
        });
    return https;
  }

  /** The bound address. */
  public Endpoint endpoint() {
    return endpoint;
  }

  /**
   * 200 only while the broker serves and its store answers: a store operation older than {@code
   * store_io_timeout} makes it 503 at once, before the watchdog has acted. Reads memory only.
   */
  private void health(HttpExchange ex) throws IOException {
    Role role = broker.roles().role();
    StoreWatchdog watchdog = broker.storeWatchdog();
    String stall = watchdog == null ? "" : watchdog.reason();
    boolean serving = role == Role.ACTIVE && stall.isEmpty();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", serving ? "active" : stall.isEmpty() ? role.label() : "stalled");
    body.put("server", broker.config().server());
    body.put("role", role.label());
    if (watchdog != null) {
      body.put("store", stall.isEmpty() ? "live" : "stalled");
    }
    if (!serving) {
      body.put("reason", stall.isEmpty() ? broker.roles().reason() : stall);
    }
    respond(ex, serving ? 200 : 503, body);
  }

  private void state(HttpExchange ex) throws IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("server", broker.config().server());
    body.put("role", broker.roles().role().label());
    body.put("reason", broker.roles().reason());
    body.put("uptime_ms", broker.uptime().toMillis());
    body.put("listeners", broker.listeners().stream().map(Endpoint::toString).toList());
    body.put("admin", endpoint.toString());
    body.put("store", broker.config().store().toString());
    body.putAll(broker.availability());
    StoreWatchdog watchdog = broker.storeWatchdog();
    if (watchdog != null) {
      body.put("store_io", watchdog.describe());
    }
    if (broker.destinations() != null) {
      body.put("connections", broker.connections().count());
      body.put(
          "memory",
          Map.of("used_bytes", broker.memory().used(), "limit_bytes", broker.memory().limit()));
      body.put(
          "queues", broker.destinations().queueStats().stream().map(AdminServer::queue).toList());
      body.put("topics", topics());
      body.put(
          "subscriptions",
          broker.destinations().subscriptionStats().stream()
              .map(AdminServer::subscription)
              .toList());
    }
    respond(ex, 200, body);
  }

  private List<Map<String, Object>> topics() {
    List<SubscriptionStats> subs = broker.destinations().subscriptionStats();
    return broker.destinations().topicCounters().entrySet().stream()
        .map(
            e -> {
              Map<String, Object> m = new LinkedHashMap<>();
              m.put("name", e.getKey());
              m.put("published", e.getValue());
              m.put(
                  "subscriptions", subs.stream().filter(s -> s.topic().equals(e.getKey())).count());
              return m;
            })
        .toList();
  }

  private static Map<String, Object> queue(QueueStats q) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", q.name());
    m.put("depth", q.messages());
    m.put("pending", q.pending());
    m.put("unacknowledged", q.unacknowledged());
    m.put("bytes", q.bytes());
    m.put("consumers", q.consumers());
    m.put("enqueued", q.enqueued());
    m.put("dequeued", q.dequeued());
    return m;
  }

  private static Map<String, Object> subscription(SubscriptionStats s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("key", s.key());
    m.put("topic", s.topic());
    m.put("name", s.name());
    m.put("client_id", s.clientId());
    m.put("durable", s.durable());
    m.put("shared", s.shared());
    m.put("depth", s.queue().messages());
    m.put("consumers", s.queue().consumers());
    return m;
  }

  private static void metrics(HttpExchange ex, java.util.function.Supplier<String> metrics)
      throws IOException {
    try (ex) {
      if (!"GET".equals(ex.getRequestMethod())) {
        ex.getResponseHeaders().set("Allow", "GET");
        ex.sendResponseHeaders(405, -1);
        return;
      }
      byte[] bytes = metrics.get().getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
      ex.sendResponseHeaders(200, bytes.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(bytes);
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "metrics request failed", e);
      throw e;
    }
  }

  private static void respond(HttpExchange ex, int status, Object body) throws IOException {
    try (ex) {
      if (!"GET".equals(ex.getRequestMethod()) && !"HEAD".equals(ex.getRequestMethod())) {
        byte[] msg =
            Json.write(Map.of("error", "method not allowed")).getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Allow", "GET, HEAD");
        ex.sendResponseHeaders(405, msg.length);
        ex.getResponseBody().write(msg);
        return;
      }
      byte[] bytes = (Json.write(body) + "\n").getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", "application/json");
      ex.sendResponseHeaders(status, "HEAD".equals(ex.getRequestMethod()) ? -1 : bytes.length);
      if (!"HEAD".equals(ex.getRequestMethod())) {
        try (OutputStream out = ex.getResponseBody()) {
          out.write(bytes);
        }
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "admin request failed", e);
      throw e;
    }
  }

  private static void notFound(HttpExchange ex) throws IOException {
    try (ex) {
      byte[] bytes =
          (Json.write(Map.of("error", "no such path: " + ex.getRequestURI().getPath())) + "\n")
              .getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", "application/json");
      ex.sendResponseHeaders(404, bytes.length);
      ex.getResponseBody().write(bytes);
    }
  }

  /** Stops serving. */
  @Override
  public void close() {
    server.stop(0);
    readers.shutdownNow();
    guard.close();
  }
}
