package io.tandem.broker.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.broker.Role;
import io.tandem.broker.config.ConfigLoader;
import io.tandem.broker.store.MemoryStore;
import io.tandem.testing.AdminHttp;
import io.tandem.testing.FakeClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrokerClockTest {

  @Test
  void shouldReadItsStartTimeAndRoleTimesFromTheInjectedClock(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("tandem.conf");
    Files.writeString(
        file,
        "server = test\nstore = store\nlisten = amqp://127.0.0.1:0\n"
            + "admin_listen = http://127.0.0.1:0\n");
    FakeClock clock = new FakeClock(Instant.parse("2030-05-06T07:08:09Z"));

    Broker broker = new Broker(ConfigLoader.load(file), new MemoryStore(), clock);
    try {
      assertEquals(Instant.parse("2030-05-06T07:08:09Z"), broker.startedAt());
      assertEquals(broker.startedAt(), broker.roles().since());
      clock.advance(Duration.ofMinutes(3));
      broker.start();
      assertEquals(Role.ACTIVE, broker.roles().role());
      assertEquals(Instant.parse("2030-05-06T07:11:09Z"), broker.roles().since());
      // nothing moved the fake clock while the broker started: every step took 0 ms by it
      assertTrue(broker.roles().reason().matches("started in 0 ms"), broker.roles().reason());
      clock.advance(Duration.ofSeconds(90));
      AdminHttp admin = AdminHttp.local(broker.adminEndpoint().port());
      assertEquals(270_000, admin.get("/state").json().number("uptime_ms"), "uptime by the clock");
    } finally {
      broker.close();
    }
    assertEquals(Role.STOPPED, broker.roles().role());
  }
}
