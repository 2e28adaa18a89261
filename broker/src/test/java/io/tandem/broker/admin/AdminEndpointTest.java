package io.tandem.broker.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.broker.TestBroker;
import io.tandem.testing.AdminHttp;
import io.tandem.testing.JsonTree;
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
    AdminHttp.Reply health = broker.get("/health");
    assertEquals(200, health.status());
    assertEquals("active", health.json().string("status"), health.body());
    assertEquals("active", health.json().string("role"), health.body());
    broker.broker().roles().transition(io.tandem.broker.Role.STOPPING, "test");
    AdminHttp.Reply stopping = broker.get("/health");
    assertEquals(503, stopping.status());
    assertEquals("test", stopping.json().string("reason"), stopping.body());
    broker.close();
  }

  @Test
  void shouldDescribeDestinationsConnectionsAndListenersInState() throws Exception {
    try (TestBroker broker = TestBroker.start(dir);
        Connection c = broker.connect()) {
      Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      s.createProducer(s.createQueue("depth.check")).send(s.createTextMessage("x"));
      s.createConsumer(s.createTopic("t.one"));
      JsonTree state = broker.get("/state").json();
      assertEquals("active", state.string("role"), state.toString());
      assertEquals(1, state.number("connections"), state.toString());
      assertEquals(1, state.find("queues", "name", "depth.check").number("depth"));
      assertTrue(state.strings("listeners").contains(broker.amqpUri()), state.toString());
      assertEquals("t.one", state.find("subscriptions", "topic", "t.one").string("topic"));
      assertEquals(405, broker.admin().send("POST", "/health", null).status());
    }
  }

  @Test
  void shouldRefuseAnOversizedRequestBodyWithA400() throws Exception {
    try (TestBroker broker = TestBroker.start(dir)) {
      AdminHttp.Reply r = broker.admin().send("PUT", "/admin/queues/big", "x".repeat(5000));
      assertEquals(400, r.status(), r.body());
      assertEquals("properties longer than 4096 bytes", r.json().string("error"), r.body());
      assertEquals(201, broker.admin().send("PUT", "/admin/queues/small", "failsafe").status());
    }
  }
}
