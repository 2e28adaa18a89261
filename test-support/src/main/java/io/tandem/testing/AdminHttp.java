package io.tandem.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Calls a broker's admin endpoint the way operators' tools do ({@code /health}, {@code /state},
 * {@code /admin/...}) and parses its JSON answers, for tests. Immutable: the {@code with} methods
 * return a reader that also sends credentials, trusts a CA or waits another time.
 */
public final class AdminHttp {
  /** The header the broker requires on every mutating admin call. */
  public static final String ADMIN_HEADER = "X-Tandem-Admin";

  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
  private static final HttpClient PLAIN = client(null);

  private final URI base;
  private final Duration timeout;
  private final String authorization;
  private final HttpClient http;

  private AdminHttp(URI base, Duration timeout, String authorization, HttpClient http) {
    this.base = base;
    this.timeout = timeout;
    this.authorization = authorization;
    this.http = http;
  }

  /** A reader of {@code http://127.0.0.1:port}. */
  public static AdminHttp local(int port) {
    return at(URI.create("http://127.0.0.1:" + port));
  }

  /** A reader of the endpoint at {@code base} ({@code http://} or {@code https://host:port}). */
  public static AdminHttp at(URI base) {
    return new AdminHttp(base, DEFAULT_TIMEOUT, null, PLAIN);
  }

  /** This reader, waiting at most {@code value} for each answer (2 s unless told). */
  public AdminHttp withTimeout(Duration value) {
    return new AdminHttp(base, value, authorization, http);
  }

  /** This reader, sending HTTP Basic credentials with every request. */
  public AdminHttp withBasicAuth(String user, String password) {
    return new AdminHttp(base, timeout, basic(user, password), http);
  }

  /** This reader, trusting over HTTPS only the certificates that {@code ssl} trusts. */
  public AdminHttp withTrust(SSLContext ssl) {
    return new AdminHttp(base, timeout, authorization, client(ssl));
  }

  /** This reader, trusting over HTTPS only the CAs in the PKCS#12 trust store {@code store}. */
  public AdminHttp withTrustStore(Path store, String password) {
    try (InputStream in = Files.newInputStream(store)) {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(in, password.toCharArray());
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ssl = SSLContext.getInstance("TLS");
      ssl.init(null, tmf.getTrustManagers(), null);
      return withTrust(ssl);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot use trust store " + store, e);
    }
  }

  /**
   * {@code GET path}.
   *
   * @throws UncheckedIOException if nothing answers in time
   */
  public Reply get(String path) {
    return send("GET", path, null);
  }

  /** {@code POST path} with {@code body} (none if null) and the admin header. */
  public Reply post(String path, String body) {
    return send("POST", path, body);
  }

  /**
   * {@code method path} with {@code body} (none if null); any method but {@code GET} and {@code
   * HEAD} carries the admin header.
   *
   * @throws UncheckedIOException if nothing answers in time
   */
  public Reply send(String method, String path, String body) {
    HttpRequest.Builder r = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout);
    if (authorization != null) {
      r.header("Authorization", authorization);
    }
    if (!method.equals("GET") && !method.equals("HEAD")) {
      r.header(ADMIN_HEADER, "test");
    }
    r.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    try {
      HttpResponse<String> a = http.send(r.build(), HttpResponse.BodyHandlers.ofString());
      return new Reply(a.statusCode(), a.body());
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + base.resolve(path) + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** {@code GET path}, or empty if nothing answers in time. */
  public Optional<Reply> poll(String path) {
    try {
      return Optional.of(get(path));
    } catch (UncheckedIOException e) {
      return Optional.empty();
    } catch (IllegalStateException e) {
      return Optional.empty();
    }
  }

  /** The status of {@code GET path}, or -1 if nothing answers in time. */
  public int status(String path) {
    return poll(path).map(Reply::status).orElse(-1);
  }

  /** The status of {@code GET path} on {@code http://127.0.0.1:port}, or -1. */
  public static int status(int port, String path) {
    return local(port).status(path);
  }

  /** An HTTP Basic {@code Authorization} header value. */
  public static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /** A port nothing listens on right now. */
  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static HttpClient client(SSLContext ssl) {
    HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(DEFAULT_TIMEOUT);
    if (ssl != null) {
      b.sslContext(ssl);
    }
    return b.build();
  }

  /**
   * An answer: its status and body.
   *
   * @param status the HTTP status code
   * @param body the body as text
   */
  public record Reply(int status, String body) {
    /** The body parsed as JSON. */
    public JsonTree json() {
      return JsonTree.parse(body);
    }
  }
}
