package io.tandem.broker.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.UUID;
import org.apache.qpid.proton.Proton;
import org.apache.qpid.proton.amqp.messaging.Accepted;
import org.apache.qpid.proton.amqp.messaging.AmqpValue;
import org.apache.qpid.proton.amqp.messaging.Source;
import org.apache.qpid.proton.amqp.messaging.Target;
import org.apache.qpid.proton.amqp.transport.DeliveryState;
import org.apache.qpid.proton.amqp.transport.ErrorCondition;
import org.apache.qpid.proton.engine.Collector;
import org.apache.qpid.proton.engine.Connection;
import org.apache.qpid.proton.engine.Delivery;
import org.apache.qpid.proton.engine.Endpoint;
import org.apache.qpid.proton.engine.Event;
import org.apache.qpid.proton.engine.Receiver;
import org.apache.qpid.proton.engine.Sasl;
import org.apache.qpid.proton.engine.Sender;
import org.apache.qpid.proton.engine.Session;
import org.apache.qpid.proton.engine.Transport;
import org.apache.qpid.proton.message.Message;

/**
 * One persistent message sent to a queue and received back, over a plain blocking socket driving a
 * Proton engine. A cluster manager's deepest monitor uses it: it passes only if the broker accepts,
 * stores and delivers. Older probe messages left by an interrupted run are consumed and ignored.
 */
final class AmqpProbe {
  private static final int MAX_MESSAGE_BYTES = 64 * 1024;

  private final String host;
  private final int port;
  private final String queue;
  private final String user;
  private final String password;
  private final String probeId = "tandem-probe-" + UUID.randomUUID();

  private Transport transport;
  private Connection connection;
  private boolean sent;
  private boolean accepted;
  private boolean received;

  AmqpProbe(String host, int port, String queue, String user, String password) {
    this.host = host;
    this.port = port;
    this.queue = queue;
    this.user = user;
    this.password = password;
  }

  /** Runs the round trip; returns normally only if it completed within {@code timeout}. */
  void run(Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), (int) Math.max(1, timeout.toMillis()));
      socket.setSoTimeout(50);
      Collector collector = open();
      InputStream in = socket.getInputStream();
      OutputStream out = socket.getOutputStream();
      byte[] buffer = new byte[16 * 1024];
      while (!(accepted && received)) {
        if (System.nanoTime() > deadline) {
          throw new IOException(
              "no round trip within " + timeout.toMillis() + " ms" + progress() + " on " + queue);
        }
        write(out);
        read(in, buffer);
        handleEvents(collector);
      }
      connection.close();
      write(out);
    }
  }

  private String progress() {
    if (!sent) {
      return " (no credit to send)";
    }
    return accepted ? " (sent and stored, not received)" : " (sent, not acknowledged)";
  }

  private Collector open() {
    transport = Proton.transport();
    Sasl sasl = transport.sasl();
    sasl.client();
    if (user != null) {
      sasl.plain(user, password);
    } else {
      sasl.setMechanisms("ANONYMOUS");
    }
    connection = Proton.connection();
    connection.setContainer(probeId);
    connection.setHostname(host);
    Collector collector = Proton.collector();
    connection.collect(collector);
    transport.bind(connection);
    connection.open();
    Session session = connection.session();
    session.open();
    Sender sender = session.sender("probe-sender");
    Target target = new Target();
    target.setAddress(queue);
    sender.setTarget(target);
    sender.setSource(new Source());
    sender.open();
    Receiver receiver = session.receiver("probe-receiver");
    Source source = new Source();
    source.setAddress(queue);
    receiver.setSource(source);
    receiver.setTarget(new Target());
    receiver.open();
    receiver.flow(16);
    return collector;
  }

  private void write(OutputStream out) throws IOException {
    int pending;
    while ((pending = transport.pending()) > 0) {
      ByteBuffer head = transport.head();
      byte[] bytes = new byte[pending];
      head.get(bytes);
      out.write(bytes);
      transport.pop(pending);
    }
    out.flush();
  }

  private void read(InputStream in, byte[] buffer) throws IOException {
    int n;
    try {
      n = in.read(buffer, 0, Math.min(buffer.length, Math.max(1, transport.capacity())));
    } catch (SocketTimeoutException e) {
      return;
    }
    if (n < 0) {
      throw new IOException("the broker closed the connection" + progress());
    }
    ByteBuffer tail = transport.tail();
    tail.put(buffer, 0, n);
    transport.process();
  }

  private void handleEvents(Collector collector) throws IOException {
    Event event;
    while ((event = collector.peek()) != null) {
      try {
        handle(event);
      } finally {
        collector.pop();
      }
    }
  }

  private void handle(Event event) throws IOException {
    switch (event.getType()) {
      case LINK_FLOW -> {
        if (event.getLink() instanceof Sender s && s.getCredit() > 0 && !sent) {
          send(s);
        }
      }
      case DELIVERY -> onDelivery(event.getDelivery());
      case CONNECTION_REMOTE_CLOSE -> closedByBroker("connection", event.getConnection());
      case SESSION_REMOTE_CLOSE -> closedByBroker("session", event.getSession());
      case LINK_REMOTE_CLOSE -> closedByBroker("link", event.getLink());
      case TRANSPORT_ERROR ->
          throw new IOException("transport error: " + describe(transport.getCondition()));
      default -> {
        // other engine events need no action from a one-message probe
      }
    }
  }

  private void send(Sender sender) {
    Message message = Proton.message();
    message.setMessageId(probeId);
    message.setDurable(true);
    message.setBody(new AmqpValue(probeId));
    byte[] bytes = new byte[MAX_MESSAGE_BYTES];
    int length = message.encode(bytes, 0, bytes.length);
    sender.delivery(probeId.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    sender.send(bytes, 0, length);
    sender.advance();
    sent = true;
  }

  private void onDelivery(Delivery delivery) throws IOException {
    if (delivery.getLink() instanceof Sender) {
      DeliveryState state = delivery.getRemoteState();
      if (state instanceof Accepted) {
        accepted = true;
        delivery.settle();
      } else if (state != null) {
        throw new IOException("the broker did not store the probe message: " + state);
      }
      return;
    }
    if (!delivery.isReadable() || delivery.isPartial()) {
      return;
    }
    Receiver receiver = (Receiver) delivery.getLink();
    byte[] bytes = new byte[delivery.pending()];
    int length = receiver.recv(bytes, 0, bytes.length);
    receiver.advance();
    Message message = Proton.message();
    message.decode(bytes, 0, length);
    delivery.disposition(Accepted.getInstance());
    delivery.settle();
    receiver.flow(1);
    if (probeId.equals(message.getMessageId())) {
      received = true;
    }
  }

  private static void closedByBroker(String what, Endpoint endpoint) throws IOException {
    throw new IOException(
        "the broker closed the probe's " + what + ": " + describe(endpoint.getRemoteCondition()));
  }

  private static String describe(ErrorCondition condition) {
    if (condition == null || condition.getCondition() == null) {
      return "no error given";
    }
    return condition.getCondition() + " " + condition.getDescription();
  }
}
