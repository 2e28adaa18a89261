package io.tandem.pacemaker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A broker's tandem.conf on free ports, with its store where the test wants it. */
record BrokerFiles(Path config, Path store, int amqpPort, int adminPort) {

  static BrokerFiles create(Path dir, Path store) throws IOException {
    int amqp = Commands.freePort();
    int admin = Commands.freePort();
    Files.writeString(dir.resolve("queues.conf"), ">\norders.> failsafe\n");
    Path config = dir.resolve("tandem.conf");
    Files.writeString(
        config,
        "server = agent-test\n"
            + "listen = amqp://127.0.0.1:"
            + amqp
            + "\nadmin_listen = http://127.0.0.1:"
            + admin
            + "\nstore = "
            + store
            + "\nqueues = queues.conf\n");
    return new BrokerFiles(config, store, amqp, admin);
  }

  String healthUrl() {
    return "http://127.0.0.1:" + adminPort + "/health";
  }

  String amqpUrl() {
    return "amqp://127.0.0.1:" + amqpPort;
  }
}
