package io.tandem.broker.cli;

import io.tandem.broker.BrokerException;
import io.tandem.broker.admin.AdminActions;
import io.tandem.broker.admin.Json;
import io.tandem.broker.tls.ClientTls;
import io.tandem.broker.tls.TlsSettings;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Calls a broker's admin endpoint over HTTP or HTTPS and reads its JSON answers. Over HTTPS the
 * endpoint's certificate must verify against the CA file given (or the JDK's default CAs) and name
 * the host called.
 */
final class AdminClient {
  private final URI base;
  private final Duration timeout;
  private final HttpClient http;
  private final AdminCredentials credentials;

  AdminClient(URI base, Duration timeout) {
    this(base, timeout, null, null);
  }

  /** A client sending {@code credentials} (null for none) with every request. */
  AdminClient(URI base, Duration timeout, AdminCredentials credentials) {
    this(base, timeout, null, credentials);
  }

  /**
   * A client; {@code caFile} (PEM) names the CAs to trust over HTTPS, null for the JDK's, and
   * {@code credentials} (null for none) go with every request.
   */
  AdminClient(URI base, Duration timeout, Path caFile, AdminCredentials credentials) {
    this.base = base;
    this.timeout = timeout;
    this.credentials = credentials;
    HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(timeout);
    if ("https".equalsIgnoreCase(base.getScheme())) {
      ClientTls tls =
          ClientTls.create(
              new TlsSettings(
                  null, null, null, caFile, false, TlsSettings.PROTOCOLS, java.util.List.of()),
              null,
              true);
      b.sslContext(tls.sslContext()).sslParameters(tls.parameters());
    }
    this.http = b.build();
  }

  URI base() {
    return base;
  }

  /**
   * An answer: the HTTP status and the JSON body ({@code Map}, or an empty map if the body was not
   * a JSON object).
   */
  record Response(int status, Map<String, Object> json) {
    boolean ok() {
      return status / 100 == 2;
    }

    String error() {
      Object e = json.get("error");
      return e == null ? "HTTP " + status : e.toString();
    }
  }

  Response get(String path) {
    return send("GET", path, null);
  }

  /**
   * Sends a request; mutating ones carry the admin header.
   *
   * @throws BrokerException {@code NETWORK} if the endpoint cannot be reached or does not answer
   */
  Response send(String method, String path, String body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(resolve(path)).timeout(timeout);
    if (!method.equals("GET")) {
      b.header(AdminActions.HEADER, "tandem-cli");
    }
    if (credentials != null) {
      b.header("Authorization", credentials.basic());
    }
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    try {
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(r.statusCode(), parse(r.body()));
    } catch (IOException e) {
      throw new BrokerException(
          BrokerException.Category.NETWORK,
          "cannot reach the admin endpoint at " + base + ": " + describe(e),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BrokerException(BrokerException.Category.NETWORK, "interrupted", e);
    }
  }

  private static String describe(IOException e) {
    if (e instanceof java.net.ConnectException) {
      return "connection refused (no broker listens there, or it is not running)";
    }
    if (e instanceof java.net.http.HttpTimeoutException) {
      return "no answer within " + "the timeout (" + e.getMessage() + ")";
    }
    String msg = e.getMessage();
    return e.getClass().getSimpleName() + (msg == null ? "" : " (" + msg + ")");
  }

  /** Joins {@code path} (already split into raw segments) to the base, quoting what must be. */
  private URI resolve(String path) {
    try {
      return new URI(base.getScheme(), null, base.getHost(), base.getPort(), path, null, null);
    } catch (URISyntaxException e) {
      throw new BrokerException(BrokerException.Category.INVALID_INPUT, e.getMessage(), e);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> parse(String body) {
    try {
      Object v = Json.read(body);
      return v instanceof Map<?, ?> ? (Map<String, Object>) v : Map.of();
    } catch (IllegalArgumentException e) {
      return Map.of();
    }
  }
}
