package io.tandem.broker.admin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What every request passes before its handler: the {@code Host} check, the refusal of {@code
 * OPTIONS} (no CORS is offered, so no preflight is ever approved), and {@link AdminSecurity}. The
 * server's own threads read requests and answer {@code /health} themselves; every other call runs
 * on the {@code admin-call} threads, so a slow {@code /state}, scrape or password check never holds
 * up {@code /health}.
 */
final class AdminGuard implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(AdminGuard.class.getName());
  private static final int CALL_THREADS = 4;
  private static final int CALLS_QUEUED = 64;

  /** Where a handler runs. */
  enum Placement {
    /** On the thread that read the request: {@code /health}, which reads memory only. */
    INLINE,
    /** On the admin-call threads. */
    CALLS
  }

  private final HostCheck hosts;
  private final AdminSecurity security;
  private final ExecutorService calls =
      new ThreadPoolExecutor(
          CALL_THREADS,
          CALL_THREADS,
          30,
          TimeUnit.SECONDS,
          new ArrayBlockingQueue<>(CALLS_QUEUED),
          r -> {
            Thread t = new Thread(r, "admin-call");
            t.setDaemon(true);
            return t;
          });

  AdminGuard(HostCheck hosts, AdminSecurity security) {
    this.hosts = hosts;
    this.security = security;
    ((ThreadPoolExecutor) calls).allowCoreThreadTimeOut(true);
  }

  AdminSecurity security() {
    return security;
  }

  /**
   * {@code handler} behind the checks.
   *
   * @param publicName {@code health} or {@code metrics} (what {@code admin_public} may list), else
   *     null
   */
  HttpHandler guard(String publicName, Placement placement, HttpHandler handler) {
    return ex -> {
      if (!admitted(ex)) {
        return;
      }
      if (placement == Placement.INLINE) {
        authorizeAndHandle(ex, publicName, handler);
        return;
      }
      try {
        calls.execute(() -> authorizeAndHandle(ex, publicName, handler));
      } catch (RejectedExecutionException e) {
        LOG.warning(
            "admin endpoint: refused "
                + ex.getRequestMethod()
                + " "
                + ex.getRequestURI().getPath()
                + " from "
                + ex.getRemoteAddress()
                + ": "
                + CALLS_QUEUED
                + " calls already wait");
        refuse(ex, 503, "the admin endpoint is busy; try again", null);
      }
    };
  }

  /** The Host and method checks, answered at once on the reading thread. */
  private boolean admitted(HttpExchange ex) throws IOException {
    String host = ex.getRequestHeaders().getFirst("Host");
    if (!hosts.allows(host)) {
      String shown = AdminSecurity.printable(host);
      LOG.warning(
          "admin endpoint: refused "
              + ex.getRequestMethod()
              + " "
              + ex.getRequestURI().getPath()
              + " from "
              + ex.getRemoteAddress()
              + " with Host '"
              + shown
              + "', not a name of this endpoint");
      refuse(
          ex,
          421,
          "Host '"
              + shown
              + "' is not a name of this admin endpoint; if clients reach it by that name, add it"
              + " to admin_hostnames",
          null);
      return false;
    }
    if (ex.getRequestMethod().equals("OPTIONS")) {
      LOG.fine("admin endpoint: refused OPTIONS from " + ex.getRemoteAddress());
      refuse(ex, 405, "OPTIONS is not served: this endpoint offers no CORS", null);
      return false;
    }
    return true;
  }

  private void authorizeAndHandle(HttpExchange ex, String publicName, HttpHandler handler) {
    try {
      AdminSecurity.Refusal r = security.check(ex, publicName);
      if (r != null) {
        refuse(ex, r.status(), r.error(), r.status() == 401 ? AdminSecurity.CHALLENGE : null);
        return;
      }
      handler.handle(ex);
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.FINE, "admin request failed", e);
      ex.close();
    }
  }

  private static void refuse(HttpExchange ex, int status, String error, String challenge)
      throws IOException {
    try (ex) {
      byte[] bytes = (Json.write(Map.of("error", error)) + "\n").getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", "application/json");
      if (challenge != null) {
        ex.getResponseHeaders().set("WWW-Authenticate", challenge);
      }
      if (status == 405) {
        ex.getResponseHeaders().set("Allow", "GET, HEAD, PUT, POST, DELETE");
      }
      boolean head = ex.getRequestMethod().equals("HEAD");
      ex.sendResponseHeaders(status, head ? -1 : bytes.length);
      if (!head) {
        try (OutputStream out = ex.getResponseBody()) {
          out.write(bytes);
        }
      }
    }
  }

  @Override
  public void close() {
    calls.shutdownNow();
  }
}
