package io.tandem.bench.artemis;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.ha.SharedStoreBackupPolicyConfiguration;
import org.apache.activemq.artemis.core.config.ha.SharedStorePrimaryPolicyConfiguration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;

/**
 * Runs one embedded Artemis broker until SIGTERM.
 *
 * <p>Arguments: {@code DIR PORT JOURNAL_BUFFER_TIMEOUT_NS [single|primary|backup]}. The journal
 * buffer timeout is what {@code artemis create} would compute from the disk's sync time, so Artemis
 * runs tuned for this disk as its own tooling sets it up. {@code primary} and {@code backup} form a
 * shared-store pair over the same {@code DIR}. The lines starting with {@value #MARK} tell the
 * driver the server's state.
 */
public final class ArtemisMain {
  /** Prefix of the state lines written to standard output. */
  public static final String MARK = "bench-artemis:";

  /**
   * Artemis's audit loggers, off as in the distribution's {@code log4j2.properties}; held so the
   * level is not lost when the logger is collected. Left on, they log every message sent.
   */
  private static final Logger AUDIT = Logger.getLogger("org.apache.activemq.audit");

  /** The AMQP acceptor's options in the broker.xml that {@code artemis create} writes. */
  private static final String ACCEPTOR_OPTIONS =
      "?protocols=AMQP&tcpSendBufferSize=1048576&tcpReceiveBufferSize=1048576"
          + "&amqpMinLargeMessageSize=102400&useEpoll=true&amqpCredits=1000&amqpLowCredits=300"
          + "&amqpDuplicateDetection=true";

  private ArtemisMain() {}

  public static void main(String[] args) throws Exception {
    AUDIT.setLevel(Level.OFF);
    if (args.length < 3 || args.length > 4) {
      System.err.println(
          "usage: ArtemisMain DIR PORT JOURNAL_BUFFER_TIMEOUT_NS [single|primary|backup]");
      System.exit(2);
    }
    Path dir = Path.of(args[0]).toAbsolutePath();
    int port = Integer.parseInt(args[1]);
    int bufferTimeoutNs = Integer.parseInt(args[2]);
    String role = args.length == 4 ? args[3] : "single";
    EmbeddedActiveMQ embedded = new EmbeddedActiveMQ();
    embedded.setConfiguration(configuration(dir, port, bufferTimeoutNs, role));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    embedded.stop();
                  } catch (Exception e) {
                    e.printStackTrace();
                  }
                  stopped.countDown();
                }));
    embedded.start();
    ActiveMQServer server = embedded.getActiveMQServer();
    if (!server.isActive()) {
      System.out.println(MARK + " standby");
      while (!server.isActive() && stopped.getCount() > 0) {
        Thread.sleep(5);
      }
    }
    System.out.println(MARK + " active");
    stopped.await();
  }

  private static Configuration configuration(Path dir, int port, int bufferTimeoutNs, String role)
      throws Exception {
    Configuration c =
        new ConfigurationImpl()
            .setName("artemis-" + role)
            .setPersistenceEnabled(true)
            .setSecurityEnabled(false)
            .setJournalType(JournalType.NIO)
            .setJournalSyncTransactional(true)
            .setJournalSyncNonTransactional(true)
            .setJournalBufferTimeout_NIO(bufferTimeoutNs)
            .setJournalDirectory(dir.resolve("journal").toString())
            .setBindingsDirectory(dir.resolve("bindings").toString())
            .setPagingDirectory(dir.resolve("paging").toString())
            .setLargeMessagesDirectory(dir.resolve("large-messages").toString())
            .addAcceptorConfiguration("amqp", "tcp://127.0.0.1:" + port + ACCEPTOR_OPTIONS);
    switch (role) {
      case "primary" ->
          c.setHAPolicyConfiguration(
              new SharedStorePrimaryPolicyConfiguration().setFailoverOnServerShutdown(true));
      case "backup" ->
          c.setHAPolicyConfiguration(
              new SharedStoreBackupPolicyConfiguration().setAllowFailBack(false));
      case "single" -> {
        // no HA policy: a standalone server
      }
      default -> throw new IllegalArgumentException("unknown role " + role);
    }
    return c;
  }
}
