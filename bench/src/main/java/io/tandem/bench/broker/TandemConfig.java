package io.tandem.bench.broker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a Tandem configuration: every {@code bench.*} queue and topic is failsafe, so a PERSISTENT
 * send is acknowledged after fdatasync as Artemis's synced journal does.
 */
final class TandemConfig {
  private TandemConfig() {}

  static Path write(Launch launch, int adminPort, long maxMsgMemory) throws IOException {
    Path dir = launch.dir();
    List<String> lines = new ArrayList<>();
    lines.add("server = bench");
    lines.add("listen = amqp://127.0.0.1:" + launch.amqpPort());
    lines.add("admin_listen = http://127.0.0.1:" + adminPort);
    lines.add("store = " + launch.store().toAbsolutePath());
    lines.add("queues = queues.conf");
    lines.add("topics = topics.conf");
    lines.add("max_msg_memory = " + maxMsgMemory);
    if (launch.role() != Launch.PairRole.SINGLE) {
      lines.add("ft_active = amqp://127.0.0.1:" + launch.peerAmqpPort());
      lines.add("ft_heartbeat = 1");
      lines.add("ft_activation = 3");
    }
    Path conf = dir.resolve("tandem.conf");
    Files.write(conf, lines);
    Files.write(dir.resolve("queues.conf"), List.of(">", "bench.>  failsafe"));
    Files.write(dir.resolve("topics.conf"), List.of(">", "bench.>  failsafe"));
    return conf;
  }
}
