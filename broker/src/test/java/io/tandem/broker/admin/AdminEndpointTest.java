package io.tandem.broker.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.broker.TestBroker;
import jakarta.jms.Connection;
import jakarta.jms.Session;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminEndpointTest {
  @TempDir Path dir;

  @Test
  void shouldReportHealthyWhileActiveAndUnavailableAfterStop() throws Exception {
    TestBroker broker = TestBroker.start(dir);
    TestBroker.HttpResult health = broker.get("/health");
    assertEquals(200, health.status());
    assertTrue(health.body().contains("\"status\":\"active\""), health.body());
    broker.broker().roles().transition(io.tandem.broker.Role.STOPPING, "test");
    TestBroker.HttpResult stopping = broker.get("/health");
    assertEquals(503, stopping.status());
    assertTrue(stopping.body().contains("\"reason\":\"test\""), stopping.body());
    broker.close();
  }

  @Test
  void shouldDescribeDestinationsConnectionsAndListenersInState() throws Exception {
    try (TestBroker broker = TestBroker.start(dir);
        Connection c = broker.connect()) {
      Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      s.createProducer(s.createQueue("depth.check")).send(s.createTextMessage("x"));
      s.createConsumer(s.createTopic("t.one"));
      String state = broker.get("/state").body();
      assertTrue(state.contains("\"role\":\"active\""), state);
      assertTrue(state.contains("\"connections\":1"), state);
      assertTrue(state.contains("\"name\":\"depth.check\",\"depth\":1"), state);
      assertTrue(state.contains(broker.amqpUri()), state);
      assertTrue(state.contains("\"topic\":\"t.one\""), state);
      assertEquals(405, postStatus(broker));
    }
  }

  private static int postStatus(TestBroker broker) throws Exception {
    var admin = broker.broker().adminEndpoint();
    var req =
        java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://" + admin.host() + ":" + admin.port() + "/health"))
            .POST(java.net.http.HttpRequest.BodyPublishers.noBody())
            .build();
    return java.net.http.HttpClient.newHttpClient()
        .send(req, java.net.http.HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }
}
