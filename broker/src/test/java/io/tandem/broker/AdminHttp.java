package io.tandem.broker;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Reads a broker's admin endpoint on 127.0.0.1 the way operators' tools do, for process tests. */
public final class AdminHttp {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private AdminHttp() {}

  /** The status of {@code GET path}, or -1 if nothing answers. */
  public static int status(int port, String path) {
    try {
      return HTTP.send(request(port, path), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** The body of {@code GET path}, or empty if nothing answers. */
  public static String body(int port, String path) {
    return body(port, path, null);
  }

  /**
   * The body of {@code GET path} sent with {@code authorization} as its {@code Authorization}
   * header (none when null), or empty if nothing answers.
   */
  public static String body(int port, String path, String authorization) {
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
    if (authorization != null) {
      r.header("Authorization", authorization);
    }
    try {
      return HTTP.send(
              r.timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString())
          .body();
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  private static HttpRequest request(int port, String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(2))
        .build();
  }

  /** An HTTP Basic {@code Authorization} header value. */
  public static String basic(String user, String password) {
    return "Basic "
        + java.util.Base64.getEncoder()
            .encodeToString(
                (user + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /** A port nothing listens on right now. */
  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
