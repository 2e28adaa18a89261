package io.tandem.broker.admin;

import io.tandem.testing.JsonTree;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, so a test controls every header (the JDK client will not send a
 * chosen Host) and can send half a request.
 */
final class RawHttp {
  /** A status, the headers (names in lower case) and the body. */
  record Answer(int status, Map<String, String> headers, String body) {
    /** The {@code error} field of the JSON body (failing the test if there is none). */
    String error() {
      return JsonTree.parse(body).string("error");
    }
  }

  private RawHttp() {}

  static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /** Sends {@code method path} with {@code headers} (a Host is added unless given). */
  static Answer call(int port, String method, String path, Map<String, String> headers)
      throws IOException {
    return call("127.0.0.1", port, method, path, headers);
  }

  /** As {@link #call(int, String, String, Map)} to {@code address}. */
  static Answer call(
      String address, int port, String method, String path, Map<String, String> headers)
      throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(address, port), 5000);
      s.setSoTimeout(10_000);
      StringBuilder req = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
      Map<String, String> h = new LinkedHashMap<>(headers);
      h.putIfAbsent("Host", address + ":" + port);
      h.put("Connection", "close");
      h.put("Content-Length", "0");
      h.forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
      req.append("\r\n");
      OutputStream out = s.getOutputStream();
      out.write(req.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
      return read(s.getInputStream());
    }
  }

  static Answer get(int port, String path, Map<String, String> headers) throws IOException {
    return call(port, "GET", path, headers);
  }

  private static Answer read(InputStream in) throws IOException {
    String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    int end = text.indexOf("\r\n\r\n");
    String head = end < 0 ? text : text.substring(0, end);
    String[] lines = head.split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.put(
          lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT),
          lines[i].substring(colon + 1).strip());
    }
    return new Answer(status, headers, end < 0 ? "" : text.substring(end + 4));
  }
}
