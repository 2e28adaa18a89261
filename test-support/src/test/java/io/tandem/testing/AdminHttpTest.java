package io.tandem.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AdminHttpTest {
  private HttpServer server;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 4);
    server.createContext(
        "/",
        ex -> {
          String auth = ex.getRequestHeaders().getFirst("Authorization");
          String header = ex.getRequestHeaders().getFirst(AdminHttp.ADMIN_HEADER);
          byte[] body =
              ("{\"method\":\""
                      + ex.getRequestMethod()
                      + "\",\"path\":\""
                      + ex.getRequestURI().getPath()
                      + "\",\"auth\":"
                      + (auth == null ? "null" : "\"" + auth + "\"")
                      + ",\"header\":"
                      + (header != null)
                      + "}")
                  .getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(ex.getRequestMethod().equals("GET") ? 200 : 202, body.length);
          try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void shouldReturnStatusAndParsedJsonWithCredentials() {
    AdminHttp admin = AdminHttp.local(server.getAddress().getPort()).withBasicAuth("u", "p");
    AdminHttp.Reply state = admin.get("/state");
    assertEquals(200, state.status());
    assertEquals("/state", state.json().string("path"));
    assertEquals(AdminHttp.basic("u", "p"), state.json().string("auth"));
    assertEquals(false, state.json().bool("header"));
    AdminHttp.Reply shutdown = admin.post("/admin/shutdown", null);
    assertEquals(202, shutdown.status());
    assertTrue(shutdown.json().bool("header"), shutdown.body());
  }

  @Test
  void shouldAnswerMinusOneWhenNothingListens() {
    int port = AdminHttp.freePort();
    assertEquals(-1, AdminHttp.status(port, "/health"));
    assertTrue(AdminHttp.local(port).poll("/health").isEmpty());
  }
}
