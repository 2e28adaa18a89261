package io.tandem.broker;

import io.tandem.broker.config.BrokerConfig;
import io.tandem.broker.config.ConfigLoader;
import io.tandem.broker.config.Endpoint;
import io.tandem.broker.server.Broker;
import io.tandem.testing.AdminHttp;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.qpid.jms.JmsConnectionFactory;

/** A broker on ephemeral ports for tests, configured from files written into a directory. */
public final class TestBroker implements AutoCloseable {
  private final Broker broker;

  private TestBroker(Broker broker) {
    this.broker = broker;
  }

  /** Starts a broker from {@code tandem.conf} lines (queues/topics allow everything by default). */
  public static TestBroker start(Path dir, String... confLines) {
    return new TestBroker(Broker.inMemory(config(dir, confLines)).start());
  }

  /** Starts a broker over {@code store}, configured like {@link #start}. */
  public static TestBroker start(
      io.tandem.broker.store.MessageStore store, Path dir, String... confLines) {
    return new TestBroker(new Broker(config(dir, confLines), store).start());
  }

  private static BrokerConfig config(Path dir, String... confLines) {
    try {
      Files.createDirectories(dir);
      StringBuilder conf = new StringBuilder("server = test\nstore = store\n");
      boolean hasQueues = false;
      boolean hasTopics = false;
      for (String line : confLines) {
        conf.append(line).append('\n');
        hasQueues |= line.startsWith("queues");
        hasTopics |= line.startsWith("topics");
      }
      if (!hasQueues) {
        Files.writeString(dir.resolve("queues.conf"), ">\n");
        conf.append("queues = queues.conf\n");
      }
      if (!hasTopics) {
        Files.writeString(dir.resolve("topics.conf"), ">\n");
        conf.append("topics = topics.conf\n");
      }
      Path file = dir.resolve("tandem.conf");
      Files.writeString(file, conf);
      return ConfigLoader.load(file)
          .withListeners(
              List.of(new Endpoint("amqp", "127.0.0.1", 0)), new Endpoint("http", "127.0.0.1", 0));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The broker. */
  public Broker broker() {
    return broker;
  }

  /** {@code amqp://127.0.0.1:PORT}. */
  public String amqpUri() {
    Endpoint e = broker.amqpEndpoints().get(0);
    return "amqp://" + e.host() + ":" + e.port();
  }

  /** The AMQP port. */
  public int amqpPort() {
    return broker.amqpEndpoints().get(0).port();
  }

  /** A Qpid JMS factory for this broker; {@code options} are URI query options. */
  public JmsConnectionFactory factory(String options) {
    return new JmsConnectionFactory(amqpUri() + (options.isEmpty() ? "" : "?" + options));
  }

  /** A started connection. */
  public Connection connect() throws JMSException {
    Connection c = factory("").createConnection();
    c.start();
    return c;
  }

  /** The broker's admin endpoint, read as operators' tools read it. */
  public AdminHttp admin() {
    Endpoint admin = broker.adminEndpoint();
    return AdminHttp.at(URI.create("http://" + admin.host() + ":" + admin.port()))
        .withTimeout(Duration.ofSeconds(30));
  }

  /** GETs {@code path} from the admin endpoint: status code and body. */
  public AdminHttp.Reply get(String path) {
    return admin().get(path);
  }

  @Override
  public void close() {
    broker.close();
  }
}
