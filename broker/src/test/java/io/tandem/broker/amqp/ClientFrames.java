package io.tandem.broker.amqp;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.qpid.proton.Proton;
import org.apache.qpid.proton.amqp.Binary;
import org.apache.qpid.proton.amqp.Symbol;
import org.apache.qpid.proton.amqp.UnsignedInteger;
import org.apache.qpid.proton.amqp.messaging.AmqpValue;
import org.apache.qpid.proton.amqp.messaging.Source;
import org.apache.qpid.proton.amqp.messaging.Target;
import org.apache.qpid.proton.amqp.security.SaslInit;
import org.apache.qpid.proton.amqp.transport.Attach;
import org.apache.qpid.proton.amqp.transport.Begin;
import org.apache.qpid.proton.amqp.transport.Close;
import org.apache.qpid.proton.amqp.transport.Detach;
import org.apache.qpid.proton.amqp.transport.End;
import org.apache.qpid.proton.amqp.transport.Flow;
import org.apache.qpid.proton.amqp.transport.Open;
import org.apache.qpid.proton.amqp.transport.Role;
import org.apache.qpid.proton.amqp.transport.Transfer;
import org.apache.qpid.proton.codec.AMQPDefinedTypes;
import org.apache.qpid.proton.codec.DecoderImpl;
import org.apache.qpid.proton.codec.EncoderImpl;
import org.apache.qpid.proton.message.Message;

/**
 * What a client sends, frame by frame, written with Proton's codec: the seeds of the AMQP fuzz
 * target, so that mutations start from conversations that reach links and transfers.
 */
final class ClientFrames {
  static final byte[] SASL_HEADER = {'A', 'M', 'Q', 'P', 3, 1, 0, 0};
  static final byte[] AMQP_HEADER = {'A', 'M', 'Q', 'P', 0, 1, 0, 0};

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final EncoderImpl encoder;

  ClientFrames() {
    DecoderImpl decoder = new DecoderImpl();
    encoder = new EncoderImpl(decoder);
    AMQPDefinedTypes.registerAllTypes(decoder, encoder);
  }

  /** SASL ANONYMOUS, then the AMQP header and open. */
  ClientFrames open(String containerId) {
    out.writeBytes(SASL_HEADER);
    SaslInit init = new SaslInit();
    init.setMechanism(Symbol.valueOf("ANONYMOUS"));
    frame(1, 0, init, null);
    out.writeBytes(AMQP_HEADER);
    Open open = new Open();
    open.setContainerId(containerId);
    open.setMaxFrameSize(UnsignedInteger.valueOf(4096));
    frame(0, 0, open, null);
    Begin begin = new Begin();
    begin.setNextOutgoingId(UnsignedInteger.ZERO);
    begin.setIncomingWindow(UnsignedInteger.valueOf(100));
    begin.setOutgoingWindow(UnsignedInteger.valueOf(100));
    frame(0, 0, begin, null);
    return this;
  }

  /** Attaches link {@code handle}: a sender to {@code address}, or a receiver from it. */
  ClientFrames attach(int handle, boolean sender, String address) {
    return attach(handle, sender, address, true);
  }

  /**
   * Like {@link #attach(int, boolean, String)}; without {@code deliveryCount} a sender omits the
   * initial-delivery-count the specification makes mandatory for it.
   */
  ClientFrames attach(int handle, boolean sender, String address, boolean deliveryCount) {
    Attach attach = new Attach();
    attach.setName("link-" + handle);
    attach.setHandle(UnsignedInteger.valueOf(handle));
    attach.setRole(sender ? Role.SENDER : Role.RECEIVER);
    Source source = new Source();
    Target target = new Target();
    if (sender) {
      target.setAddress(address);
      if (deliveryCount) {
        attach.setInitialDeliveryCount(UnsignedInteger.ZERO);
      }
    } else {
      source.setAddress(address);
    }
    attach.setSource(source);
    attach.setTarget(target);
    frame(0, 0, attach, null);
    return this;
  }

  /** Gives a receiver link credit. */
  ClientFrames flow(int handle, int credit) {
    Flow flow = new Flow();
    flow.setHandle(UnsignedInteger.valueOf(handle));
    flow.setNextIncomingId(UnsignedInteger.ZERO);
    flow.setIncomingWindow(UnsignedInteger.valueOf(100));
    flow.setNextOutgoingId(UnsignedInteger.ZERO);
    flow.setOutgoingWindow(UnsignedInteger.valueOf(100));
    flow.setDeliveryCount(UnsignedInteger.ZERO);
    flow.setLinkCredit(UnsignedInteger.valueOf(credit));
    frame(0, 0, flow, null);
    return this;
  }

  /** Sends one message with {@code body} on link {@code handle}. */
  ClientFrames transfer(int handle, int deliveryId, String body) {
    Transfer transfer = new Transfer();
    transfer.setHandle(UnsignedInteger.valueOf(handle));
    transfer.setDeliveryId(UnsignedInteger.valueOf(deliveryId));
    transfer.setDeliveryTag(new Binary(new byte[] {(byte) deliveryId}));
    transfer.setMessageFormat(UnsignedInteger.ZERO);
    Message m = Proton.message();
    m.setBody(new AmqpValue(body));
    m.setDurable(true);
    byte[] payload = new byte[1024];
    int n = m.encode(payload, 0, payload.length);
    frame(0, 0, transfer, ByteBuffer.wrap(payload, 0, n));
    return this;
  }

  /** An AMQP frame on channel 0 whose body is {@code body} as it is. */
  ClientFrames raw(byte[] body) {
    ByteBuffer frame = ByteBuffer.allocate(8 + body.length);
    frame.putInt(8 + body.length).put((byte) 2).put((byte) 0).putShort((short) 0).put(body);
    out.write(frame.array(), 0, frame.capacity());
    return this;
  }

  ClientFrames detach(int handle) {
    Detach detach = new Detach();
    detach.setHandle(UnsignedInteger.valueOf(handle));
    detach.setClosed(true);
    frame(0, 0, detach, null);
    return this;
  }

  ClientFrames close() {
    frame(0, 0, new End(), null);
    frame(0, 0, new Close(), null);
    return this;
  }

  byte[] bytes() {
    return out.toByteArray();
  }

  private void frame(int type, int channel, Object body, ByteBuffer payload) {
    ByteBuffer buf = ByteBuffer.allocate(8192);
    buf.position(8);
    encoder.setByteBuffer(buf);
    encoder.writeObject(body);
    if (payload != null) {
      buf.put(payload);
    }
    int size = buf.position();
    buf.putInt(0, size).put(4, (byte) 2).put(5, (byte) type).putShort(6, (short) channel);
    out.write(buf.array(), 0, size);
  }

  /**
   * The seeds: a producer, a consumer, a conversation that stops after open, and a producer whose
   * attach lacks the initial-delivery-count (once a NullPointerException that escaped the handler).
   */
  static List<byte[]> conversations() {
    return List.of(
        new ClientFrames()
            .open("fuzz-producer")
            .attach(0, true, "fuzz.q")
            .transfer(0, 0, "hello")
            .transfer(0, 1, "world")
            .detach(0)
            .close()
            .bytes(),
        new ClientFrames()
            .open("fuzz-consumer")
            .attach(1, false, "fuzz.q")
            .flow(1, 10)
            .detach(1)
            .close()
            .bytes(),
        new ClientFrames().open("fuzz-idle").bytes(),
        new ClientFrames()
            .open("fuzz-no-delivery-count")
            .attach(0, true, "fuzz.q", false)
            .transfer(0, 0, "hello")
            .bytes());
  }
}
