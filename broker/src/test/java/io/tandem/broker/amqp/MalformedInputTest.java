package io.tandem.broker.amqp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.broker.TestBroker;
import jakarta.jms.Connection;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile bytes close only the connection that sent them. */
class MalformedInputTest {
  private static final byte[] AMQP_HEADER = {'A', 'M', 'Q', 'P', 0, 1, 0, 0};
  private static final byte[] SASL_HEADER = {'A', 'M', 'Q', 'P', 3, 1, 0, 0};

  @TempDir Path dir;
  TestBroker broker;
  Connection bystander;
  Session session;

  @BeforeEach
  void start() throws Exception {
    broker = TestBroker.start(dir, "amqp_max_frame_size = 4KB");
    bystander = broker.connect();
    session = bystander.createSession(false, Session.AUTO_ACKNOWLEDGE);
  }

  @AfterEach
  void stop() throws Exception {
    bystander.close();
    broker.close();
  }

  /** Sends {@code bytes}, then reads until the broker closes; returns what it sent back. */
  private byte[] sendAndAwaitClose(byte[]... chunks) throws Exception {
    try (Socket s = new Socket("127.0.0.1", broker.amqpPort())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      for (byte[] chunk : chunks) {
        out.write(chunk);
      }
      out.flush();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      byte[] buf = new byte[4096];
      try {
        int n;
        while ((n = in.read(buf)) >= 0) {
          got.write(buf, 0, n);
        }
      } catch (SocketTimeoutException e) {
        throw new AssertionError(
            "broker did not close the connection; got " + got.size() + " bytes", e);
      }
      return got.toByteArray();
    }
  }

  private void assertBrokerStillServes() throws Exception {
    var q = session.createQueue("still.alive");
    session.createProducer(q).send(session.createTextMessage("ok"));
    assertEquals("ok", ((TextMessage) session.createConsumer(q).receive(5000)).getText());
    assertEquals(200, broker.get("/health").status());
  }

  @Test
  void shouldCloseOnGarbage() throws Exception {
    byte[] reply =
        sendAndAwaitClose("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    assertTrue(
        reply.length >= 8 && reply[0] == 'A' && reply[1] == 'M',
        "broker answers with its protocol header");
    assertBrokerStillServes();
  }

  @Test
  void shouldCloseOnWrongProtocolVersion() throws Exception {
    sendAndAwaitClose(new byte[] {'A', 'M', 'Q', 'P', 0, 9, 9, 9});
    assertBrokerStillServes();
  }

  @Test
  void shouldCloseWhenSaslIsSkipped() throws Exception {
    sendAndAwaitClose(AMQP_HEADER, new byte[64]);
    assertBrokerStillServes();
  }

  @Test
  void shouldCloseOnFrameOverTheLimit() throws Exception {
    ByteBuffer frame = ByteBuffer.allocate(8);
    frame.putInt(1_000_000).put((byte) 2).put((byte) 1).putShort((short) 0);
    byte[] reply = sendAndAwaitClose(SASL_HEADER, frame.array(), new byte[1000]);
    assertTrue(reply.length >= 8, "broker sent its header before closing");
    assertBrokerStillServes();
  }

  @Test
  void shouldCloseOnFrameShorterThanItsHeader() throws Exception {
    ByteBuffer frame = ByteBuffer.allocate(8);
    frame.putInt(3).put((byte) 2).put((byte) 1).putShort((short) 0);
    sendAndAwaitClose(SASL_HEADER, frame.array());
    assertBrokerStillServes();
  }

  @Test
  void shouldCloseOnUndecodableFrameBody() throws Exception {
    ByteBuffer frame = ByteBuffer.allocate(24);
    frame.putInt(24).put((byte) 2).put((byte) 1).putShort((short) 0);
    frame.put(
        new byte[] {0x00, 0x53, 0x41, (byte) 0xd0, 0x7f, 0x7f, 0x7f, 0x7f, 1, 2, 3, 4, 5, 6, 7, 8});
    sendAndAwaitClose(SASL_HEADER, frame.array());
    assertBrokerStillServes();
  }

  @Test
  void shouldCloseOnAFrameBodyOfAnUnknownDescribedType() throws Exception {
    // found by AmqpConnectionFuzzTest: Proton fails a second time when its input is closed
    byte[] unknownDescribedList = {0x00, 0x53, 0x7f, 0x45};
    byte[] conversation = new ClientFrames().open("unknown-type").raw(unknownDescribedList).bytes();
    sendAndAwaitClose(conversation);
    assertBrokerStillServes();
  }
}
