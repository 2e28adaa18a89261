package io.tandem.broker.amqp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.qpid.proton.Proton;
import org.apache.qpid.proton.amqp.messaging.AmqpValue;
import org.apache.qpid.proton.amqp.messaging.Source;
import org.apache.qpid.proton.amqp.messaging.Target;
import org.apache.qpid.proton.engine.Connection;
import org.apache.qpid.proton.engine.Delivery;
import org.apache.qpid.proton.engine.EndpointState;
import org.apache.qpid.proton.engine.Receiver;
import org.apache.qpid.proton.engine.Sasl;
import org.apache.qpid.proton.engine.Sender;
import org.apache.qpid.proton.engine.Session;
import org.apache.qpid.proton.engine.Transport;
import org.apache.qpid.proton.message.Message;

/**
 * A Proton-J client engine wired to a broker connection that runs in a Netty {@link
 * EmbeddedChannel}: {@link #pump} moves bytes both ways until neither side has anything more to
 * say, so a test acts on the client's engine objects, pumps, and reads the broker's answer from
 * them. The channel's time is frozen: scheduled work (the handshake timeout, engine ticks) runs
 * only when a test {@link #advance advances} it.
 */
final class ProtonClient implements AutoCloseable {
  /** More rounds than any conversation of these tests needs: a pump that does not settle fails. */
  private static final int MAX_ROUNDS = 10_000;

  private final EmbeddedChannel channel;
  private final Transport transport = Proton.transport();
  private final Connection connection = Proton.connection();
  private final String containerId;
  private Session session;
  private boolean endOfInput;
  private long nextTag;

  ProtonClient(ChannelHandler pipeline, String containerId) {
    this.channel = new EmbeddedChannel(pipeline);
    this.channel.freezeTime();
    this.containerId = containerId;
    Sasl sasl = transport.sasl();
    sasl.client();
    sasl.setMechanisms("ANONYMOUS");
    transport.bind(connection);
  }

  /** Opens the connection and one session, and checks that the broker answered both. */
  void open() {
    connection.setContainer(containerId);
    connection.open();
    session = connection.session();
    session.open();
    pump();
    if (connection.getRemoteState() != EndpointState.ACTIVE
        || session.getRemoteState() != EndpointState.ACTIVE) {
      throw new AssertionError(
          "broker did not open: connection "
              + connection.getRemoteState()
              + " "
              + connection.getRemoteCondition()
              + ", session "
              + session.getRemoteState());
    }
  }

  Connection connection() {
    return connection;
  }

  Session session() {
    return session;
  }

  /** Whether the broker closed this connection's channel. */
  boolean channelClosed() {
    return !channel.isOpen();
  }

  /** Attaches a link on which this client sends to {@code address}. */
  Sender sender(String name, String address) {
    Sender s = session.sender(name);
    Target target = new Target();
    target.setAddress(address);
    s.setTarget(target);
    s.setSource(new Source());
    s.open();
    pump();
    return s;
  }

  /** Attaches a link on which this client receives from {@code address}, without credit yet. */
  Receiver receiver(String name, String address) {
    Receiver r = session.receiver(name);
    Source source = new Source();
    source.setAddress(address);
    r.setSource(source);
    r.setTarget(new Target());
    r.open();
    pump();
    return r;
  }

  /** Sends an unsettled message with {@code body} and pumps; its delivery shows the outcome. */
  Delivery send(Sender sender, String body) {
    byte[] tag = Long.toString(nextTag++).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    Delivery d = sender.delivery(tag);
    byte[] data = encode(body);
    sender.send(data, 0, data.length);
    sender.advance();
    pump();
    return d;
  }

  /** The complete messages that arrived on {@code receiver}, each with its delivery. */
  List<Received> take(Receiver receiver) {
    List<Received> got = new ArrayList<>();
    Delivery d;
    while ((d = receiver.current()) != null && d.isReadable() && !d.isPartial()) {
      byte[] data = new byte[d.pending()];
      receiver.recv(data, 0, data.length);
      receiver.advance();
      Message m = Proton.message();
      m.decode(data, 0, data.length);
      got.add(new Received(d, m));
    }
    return got;
  }

  /** One message a client received. */
  record Received(Delivery delivery, Message message) {
    String body() {
      return (String) ((AmqpValue) message.getBody()).getValue();
    }

    /** The delivery count the broker put in the header: earlier deliveries of this message. */
    long deliveryCount() {
      return message.getHeader() == null ? 0 : message.getDeliveryCount();
    }
  }

  /** Hands {@code bytes} to the broker as if this client's engine had written them. */
  void injectRaw(byte[] bytes) {
    channel.writeInbound(Unpooled.wrappedBuffer(bytes));
    pump();
  }

  /** Moves the channel's (frozen) time forward and runs what became due, then pumps. */
  void advance(java.time.Duration step) {
    channel.advanceTimeBy(step.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
    channel.runPendingTasks();
    pump();
  }

  /** Moves bytes between the client engine and the broker's channel until both are quiet. */
  void pump() {
    for (int round = 0; round < MAX_ROUNDS; round++) {
      channel.runPendingTasks();
      boolean moved = toBroker();
      moved |= toClient();
      if (!channel.isOpen() && !endOfInput) {
        // what the broker wrote before it closed has been read: the client sees the end
        endOfInput = true;
        transport.close_tail();
        moved = true;
      }
      if (!moved) {
        return;
      }
    }
    throw new AssertionError("the conversation did not settle in " + MAX_ROUNDS + " rounds");
  }

  private boolean toBroker() {
    int pending = transport.pending();
    if (pending <= 0) {
      return false;
    }
    ByteBuffer head = transport.head();
    byte[] bytes = new byte[pending];
    head.get(bytes);
    transport.pop(pending);
    if (channel.isOpen()) {
      channel.writeInbound(Unpooled.wrappedBuffer(bytes));
    }
    return true;
  }

  private boolean toClient() {
    boolean moved = false;
    ByteBuf out;
    while ((out = channel.readOutbound()) != null) {
      try {
        moved |= out.isReadable();
        while (out.isReadable() && !endOfInput) {
          int capacity = transport.capacity();
          if (capacity <= 0) {
            // the client engine closed its input (it failed on, or finished with, the bytes)
            out.skipBytes(out.readableBytes());
            break;
          }
          ByteBuffer tail = transport.tail();
          int n = Math.min(capacity, out.readableBytes());
          tail.limit(tail.position() + n);
          out.readBytes(tail);
          transport.process();
        }
      } finally {
        out.release();
      }
    }
    return moved;
  }

  static byte[] encode(String body) {
    Message m = Proton.message();
    m.setBody(new AmqpValue(body));
    byte[] buf = new byte[1024 + body.length() * 4];
    int n = m.encode(buf, 0, buf.length);
    return java.util.Arrays.copyOf(buf, n);
  }

  @Override
  public void close() {
    channel.finishAndReleaseAll();
  }
}
