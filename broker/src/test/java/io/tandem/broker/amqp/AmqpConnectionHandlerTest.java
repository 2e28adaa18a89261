package io.tandem.broker.amqp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.testing.FakeClock;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.qpid.proton.Proton;
import org.apache.qpid.proton.amqp.messaging.Accepted;
import org.apache.qpid.proton.amqp.messaging.AmqpValue;
import org.apache.qpid.proton.amqp.messaging.Modified;
import org.apache.qpid.proton.amqp.messaging.Rejected;
import org.apache.qpid.proton.amqp.messaging.Released;
import org.apache.qpid.proton.amqp.transport.AmqpError;
import org.apache.qpid.proton.amqp.transport.DeliveryState;
import org.apache.qpid.proton.amqp.transport.ErrorCondition;
import org.apache.qpid.proton.engine.Delivery;
import org.apache.qpid.proton.engine.EndpointState;
import org.apache.qpid.proton.engine.Receiver;
import org.apache.qpid.proton.engine.Sender;
import org.apache.qpid.proton.message.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The AMQP connection handler in memory: the pipeline {@link AmqpChannelInitializer} builds, in an
 * embedded channel, talking to a Proton-J client engine; destinations over a memory store; time
 * from a fake clock. No socket, no thread: each test is a conversation pumped to its end.
 */
class AmqpConnectionHandlerTest {
  private final FakeClock clock = new FakeClock();
  private final List<ProtonClient> clients = new ArrayList<>();
  private InMemoryBroker broker = new InMemoryBroker(clock);

  @AfterEach
  void closeClients() {
    clients.forEach(ProtonClient::close);
  }

  private ProtonClient connect(String containerId) {
    ProtonClient c = broker.connect(containerId);
    clients.add(c);
    return c;
  }

  /** Sends {@code bodies} to {@code queue} on a link of their own, each accepted. */
  private static void fill(ProtonClient c, String queue, String... bodies) {
    Sender s = c.sender("fill-" + queue, queue);
    for (String body : bodies) {
      assertInstanceOf(Accepted.class, c.send(s, body).getRemoteState());
    }
    s.close();
    c.pump();
  }

  private static List<String> bodies(List<ProtonClient.Received> got) {
    return got.stream().map(ProtonClient.Received::body).toList();
  }

  /** Gives {@code r} {@code credit} and returns what arrives on it. */
  private static List<ProtonClient.Received> flow(ProtonClient c, Receiver r, int credit) {
    r.flow(credit);
    c.pump();
    return c.take(r);
  }

  private static void settle(ProtonClient c, Delivery d, DeliveryState outcome) {
    d.disposition(outcome);
    d.settle();
    c.pump();
  }

  @Test
  void shouldOpenAConnectionAfterSaslAnonymous() {
    ProtonClient c = connect("client-1");

    assertEquals("test", c.connection().getRemoteContainer());
    assertEquals(1, broker.connections().count());
  }

  @Test
  void shouldGrantAProducerCreditAndAcceptAndSettleWhatItSends() {
    ProtonClient c = connect("producer");
    Sender s = c.sender("p", "q.accept");

    assertEquals(EndpointState.ACTIVE, s.getRemoteState());
    assertTrue(s.getCredit() > 0, "credit granted: " + s.getCredit());
    Delivery d = c.send(s, "hello");

    assertInstanceOf(Accepted.class, d.getRemoteState());
    assertTrue(d.remotelySettled());
    Receiver r = c.receiver("r", "q.accept");
    assertEquals(List.of("hello"), bodies(flow(c, r, 1)));
  }

  @Test
  void shouldSizeProducerCreditByMaxMsgMemoryWithholdItWhileMemoryIsFullAndGrantItAgainAfter() {
    broker = new InMemoryBroker(clock, 64 * 1024, 16 * 1024, Duration.ofSeconds(60));
    ProtonClient c = connect("producer");
    Sender s = c.sender("p", "q.memory");
    // until a link's messages are seen, each is assumed max_msg_size large: 64 KB / 16 KB
    assertEquals(4, s.getCredit());

    String body = "x".repeat(15 * 1024);
    int sent = 0;
    while (s.getCredit() > 0 && sent < 20) {
      assertInstanceOf(Accepted.class, c.send(s, body).getRemoteState());
      sent++;
    }
    assertEquals(0, s.getCredit(), "credit withheld after " + sent + " messages");
    assertTrue(broker.services().memory().exhausted());

    Receiver r = c.receiver("r", "q.memory");
    List<ProtonClient.Received> got = flow(c, r, sent);
    assertEquals(sent, got.size());
    got.forEach(m -> settle(c, m.delivery(), Accepted.getInstance()));

    assertFalse(broker.services().memory().exhausted());
    assertTrue(s.getCredit() > 0, "credit granted again once the memory was freed");
  }

  @Test
  void shouldDeliverNoMoreThanTheCreditTheConsumerGranted() {
    ProtonClient c = connect("consumer");
    fill(c, "q.credit", "m0", "m1", "m2", "m3", "m4");
    Receiver r = c.receiver("r", "q.credit");

    assertEquals(List.of(), c.take(r), "nothing without credit");
    assertEquals(List.of("m0", "m1"), bodies(flow(c, r, 2)));
    assertEquals(List.of(), c.take(r));
    assertEquals(List.of("m2"), bodies(flow(c, r, 1)));
  }

  @Test
  void shouldDrainTheCreditAQueueCannotUseAndSendNothingAfter() {
    ProtonClient c = connect("consumer");
    fill(c, "q.drain", "m0", "m1");
    Receiver r = c.receiver("r", "q.drain");

    r.drain(10);
    c.pump();

    assertEquals(List.of("m0", "m1"), bodies(c.take(r)));
    assertEquals(0, r.getCredit(), "the broker used up the rest of the credit");
    assertFalse(r.draining());
    fill(c, "q.drain", "m2");
    assertEquals(List.of(), c.take(r), "nothing arrives on drained credit");
    assertEquals(List.of("m2"), bodies(flow(c, r, 1)));
  }

  @Test
  void shouldRemoveAnAcceptedMessageAndSettleTheAcknowledgement() {
    ProtonClient c = connect("consumer");
    fill(c, "q.accepted", "m0");
    Receiver r = c.receiver("r", "q.accepted");
    Delivery d = flow(c, r, 1).get(0).delivery();

    settle(c, d, Accepted.getInstance());

    assertEquals(List.of(), flow(c, r, 1));
    r.close();
    c.pump();
    Receiver again = c.receiver("again", "q.accepted");
    assertEquals(List.of(), flow(c, again, 1), "an accepted message is gone");
  }

  @Test
  void shouldRedeliverAReleasedMessageWithoutCountingTheDelivery() {
    ProtonClient c = connect("consumer");
    fill(c, "q.released", "m0");
    Receiver r = c.receiver("r", "q.released");

    settle(c, flow(c, r, 1).get(0).delivery(), Released.getInstance());

    List<ProtonClient.Received> again = flow(c, r, 1);
    assertEquals(List.of("m0"), bodies(again));
    assertEquals(0, again.get(0).deliveryCount());
  }

  @Test
  void shouldRedeliverAModifiedFailedMessageWithTheDeliveryCounted() {
    ProtonClient c = connect("consumer");
    fill(c, "q.modified", "m0");
    Receiver r = c.receiver("r", "q.modified");
    Modified failed = new Modified();
    failed.setDeliveryFailed(true);

    settle(c, flow(c, r, 1).get(0).delivery(), failed);

    List<ProtonClient.Received> again = flow(c, r, 1);
    assertEquals(List.of("m0"), bodies(again));
    assertEquals(1, again.get(0).deliveryCount());
  }

  @Test
  void shouldMoveARejectedMessageToTheUndeliveredQueue() {
    ProtonClient c = connect("consumer");
    fill(c, "q.rejected", "m0");
    Receiver r = c.receiver("r", "q.rejected");

    settle(c, flow(c, r, 1).get(0).delivery(), new Rejected());

    assertEquals(List.of(), flow(c, r, 1), "a rejected message is not redelivered");
    Receiver dlq = c.receiver("dlq", "$sys.undelivered");
    assertEquals(List.of("m0"), bodies(flow(c, dlq, 1)));
  }

  @Test
  void shouldAnswerTheAttachOfALinkNameJustClosedInTheSameSession() {
    ProtonClient c = connect("reattach");
    Sender first = c.sender("same-name", "q.reattach");
    first.close();
    c.pump();
    assertEquals(EndpointState.CLOSED, first.getRemoteState());
    first.free();

    Sender second = c.sender("same-name", "q.reattach");

    assertEquals(EndpointState.ACTIVE, second.getRemoteState(), "the new attach is answered");
    assertInstanceOf(Accepted.class, c.send(second, "m0").getRemoteState());
  }

  @Test
  void shouldAnswerTheAttachOfAConsumerLinkNameJustDetachedInTheSameSession() {
    ProtonClient c = connect("reattach");
    fill(c, "q.redetach", "m0", "m1");
    Receiver first = c.receiver("same-name", "q.redetach");
    Delivery d = flow(c, first, 1).get(0).delivery();
    settle(c, d, Accepted.getInstance());
    first.detach();
    c.pump();
    assertEquals(EndpointState.CLOSED, first.getRemoteState());
    first.free();

    Receiver second = c.receiver("same-name", "q.redetach");

    assertEquals(EndpointState.ACTIVE, second.getRemoteState(), "the new attach is answered");
    assertEquals(List.of("m1"), bodies(flow(c, second, 1)));
  }

  /** A frame of type AMQP on channel 0 whose body is a described type Proton does not know. */
  private static byte[] frameOfAnUnknownType() {
    byte[] body = {0x00, 0x53, 0x7f, 0x45};
    ByteBuffer frame = ByteBuffer.allocate(8 + body.length);
    frame.putInt(8 + body.length).put((byte) 2).put((byte) 0).putShort((short) 0).put(body);
    return frame.array();
  }

  /** A frame header that announces more than the broker's max frame size. */
  private static byte[] frameOverTheLimit() {
    ByteBuffer frame = ByteBuffer.allocate(8 + 16);
    frame.putInt(InMemoryBroker.MAX_FRAME_SIZE * 16).put((byte) 2).put((byte) 0);
    frame.putShort((short) 0);
    return frame.array();
  }

  private void assertMalformedClosesOnlyItsConnection(byte[] frame) {
    ProtonClient bystander = connect("bystander");
    Sender bystanderSends = bystander.sender("p", "q.bystander");
    ProtonClient bad = connect("bad");

    bad.injectRaw(frame);

    assertTrue(bad.channelClosed(), "the connection that sent the frame is closed");
    ErrorCondition error = bad.connection().getRemoteCondition();
    assertNotNull(error, "the broker said why it closed");
    assertNotNull(error.getCondition(), "with an AMQP error condition: " + error);
    assertEquals(EndpointState.CLOSED, bad.connection().getRemoteState());
    assertEquals(1, broker.connections().count(), "only the bad connection is gone");
    assertFalse(bystander.channelClosed());
    assertInstanceOf(Accepted.class, bystander.send(bystanderSends, "still").getRemoteState());
    Receiver r = bystander.receiver("r", "q.bystander");
    assertEquals(List.of("still"), bodies(flow(bystander, r, 1)));
  }

  @Test
  void shouldCloseTheConnectionThatSentAFrameOfAnUnknownTypeAndNoOther() {
    assertMalformedClosesOnlyItsConnection(frameOfAnUnknownType());
  }

  @Test
  void shouldCloseTheConnectionThatSentAFrameOverTheLimitAndNoOther() {
    assertMalformedClosesOnlyItsConnection(frameOverTheLimit());
  }

  @Test
  void shouldCloseAConnectionIdleForLongerThanTheIdleTimeoutOnTheInjectedClock() {
    broker = new InMemoryBroker(clock, 0, 1024 * 1024, Duration.ofSeconds(1));
    ProtonClient c = connect("idle");

    clock.advance(Duration.ofMillis(500));
    c.advance(Duration.ofMillis(500));
    assertFalse(c.channelClosed(), "half the idle timeout is no reason to close");

    clock.advance(Duration.ofSeconds(2));
    c.advance(Duration.ofSeconds(2));

    assertTrue(c.channelClosed());
    ErrorCondition error = c.connection().getRemoteCondition();
    assertEquals(AmqpError.RESOURCE_LIMIT_EXCEEDED, error.getCondition(), String.valueOf(error));
  }

  @Test
  void shouldCountAMessagesTimeToLiveFromItsArrivalOnTheInjectedClock() {
    ProtonClient c = connect("ttl");
    Sender s = c.sender("p", "q.ttl");
    Message m = Proton.message();
    m.setBody(new AmqpValue("short-lived"));
    m.setTtl(60_000);
    byte[] buf = new byte[1024];
    int n = m.encode(buf, 0, buf.length);
    Delivery d = s.delivery(new byte[] {1});
    s.send(buf, 0, n);
    s.advance();
    c.pump();
    assertInstanceOf(Accepted.class, d.getRemoteState());

    clock.advance(Duration.ofSeconds(61));

    Receiver r = c.receiver("r", "q.ttl");
    assertEquals(List.of(), flow(c, r, 1), "expired 60 s after it arrived, by the broker's clock");
  }
}
