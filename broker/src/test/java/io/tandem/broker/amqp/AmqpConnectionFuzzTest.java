package io.tandem.broker.amqp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalServerChannel;
import io.tandem.broker.TestBroker;
import io.tandem.broker.config.BrokerConfig;
import io.tandem.broker.server.Broker;
import io.tandem.testing.Await;
import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Coverage-guided fuzzing of an AMQP connection fed raw bytes. The bytes go through the pipeline
 * {@link AmqpChannelInitializer} builds, with the services of a running broker, over Netty's in-VM
 * transport (real event loop, so the broker's other threads may call into the connection as they do
 * on a socket). Whatever the bytes: nothing escapes the pipeline or ends in an internal error, the
 * connection closes and leaves the broker's connection registry as it found it, the event loop
 * allocates at most linearly in the input, and a bystander Qpid JMS connection on the broker's AMQP
 * port keeps sending and receiving.
 *
 * <p>An input is one byte choosing the size of the writes (1 to 256 bytes; 0: one write), then the
 * bytes. Seeds: {@link ClientFrames#conversations} and {@code AmqpConnectionFuzzTestInputs/}; see
 * docs/fuzzing.md.
 */
class AmqpConnectionFuzzTest {
  /** The bystander is checked on the first input and every this many after it. */
  private static final int BYSTANDER_EVERY = 64;

  private static final long ALLOCATION_PER_BYTE = 1024;
  private static final long ALLOCATION_PER_INPUT = 32L << 20;
  private static final Duration WAIT = Duration.ofSeconds(10);

  private static Path dir;
  private static TestBroker broker;
  private static Connection bystander;
  private static Session session;
  private static MessageProducer producer;
  private static MessageConsumer consumer;
  private static DefaultEventLoopGroup loop;
  private static Channel server;
  private static final BlockingQueue<Channel> accepted = new LinkedBlockingQueue<>();
  private static final List<String> failures = new ArrayList<>();
  private static final Logger AMQP_LOG = Logger.getLogger("io.tandem.broker.amqp");
  private static final Handler RECORDER = new FailureRecorder();
  private static long loopThread;
  private static int baseline;
  private static long inputs;

  @BeforeAll
  static void startBroker() throws Exception {
    dir = Files.createTempDirectory("amqp-fuzz");
    broker = TestBroker.start(dir, "amqp_max_frame_size = 4KB", "max_msg_memory = 16MB");
    bystander = broker.connect();
    session = bystander.createSession(false, Session.AUTO_ACKNOWLEDGE);
    var q = session.createQueue("bystander.q");
    producer = session.createProducer(q);
    consumer = session.createConsumer(q);
    // the protocol errors the fuzzer provokes are logged by the thousand: keep them off the
    // console, but record what must never happen
    AMQP_LOG.setUseParentHandlers(false);
    AMQP_LOG.setLevel(Level.FINE);
    AMQP_LOG.addHandler(RECORDER);
    loop = new DefaultEventLoopGroup(1);
    server = inVmListener(services(broker.broker()));
    loopThread = loop.submit(() -> Thread.currentThread().getId()).get();
    baseline = broker.broker().connections().count();
  }

  @AfterAll
  static void stopBroker() throws Exception {
    try {
      bystanderStillWorks();
    } finally {
      AMQP_LOG.removeHandler(RECORDER);
      AMQP_LOG.setUseParentHandlers(true);
      AMQP_LOG.setLevel(null);
      if (server != null) {
        server.close().await(WAIT.toMillis());
      }
      if (loop != null) {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(WAIT.toMillis());
      }
      if (bystander != null) {
        bystander.close();
      }
      if (broker != null) {
        broker.close();
      }
      deleteTree(dir);
    }
  }

  static Stream<byte[]> conversations() {
    return ClientFrames.conversations().stream()
        .flatMap(c -> Stream.of(prepend((byte) 0, c), prepend((byte) 7, c)));
  }

  // When fuzzing, this one invocation holds Jazzer's start (instrumenting the broker's classes,
  // slow on a loaded machine) and the whole maxDuration run, so the bound is far above both; it
  // still ends a seed that hangs when the seeds are replayed as a unit test.
  @Timeout(300)
  @MethodSource("conversations")
  @FuzzTest(maxDuration = "15s")
  void anyBytesCloseOnlyTheirOwnConnection(byte[] input) throws Exception {
    int chunk = input.length == 0 || input[0] == 0 ? Integer.MAX_VALUE : (input[0] & 0xff);
    byte[] bytes = input.length == 0 ? input : Arrays.copyOfRange(input, 1, input.length);
    synchronized (failures) {
      failures.clear();
    }
    long before = allocatedOnLoop();
    Channel client = connect();
    Channel child = accepted.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    assertNotNull(child, "the broker accepted no connection");
    for (int at = 0; at < bytes.length && client.isActive(); at += chunk) {
      int n = Math.min(chunk, bytes.length - at);
      client.writeAndFlush(Unpooled.wrappedBuffer(bytes, at, n)).await(WAIT.toMillis());
    }
    client.close().await(WAIT.toMillis());
    assertTrue(child.closeFuture().await(WAIT.toMillis()), "the connection closes");
    Await.until(
        "connection registry back to " + baseline,
        WAIT,
        () -> broker.broker().connections().count() == baseline);
    long allocated = allocatedOnLoop() - before;
    synchronized (failures) {
      assertEquals(List.of(), failures);
    }
    assertTrue(
        allocated <= ALLOCATION_PER_INPUT + ALLOCATION_PER_BYTE * bytes.length,
        () -> allocated + " bytes allocated for " + bytes.length + " bytes of input");
    if (inputs++ % BYSTANDER_EVERY == 0) {
      bystanderStillWorks();
    }
  }

  private static void bystanderStillWorks() throws Exception {
    String text = "still here " + inputs;
    producer.send(session.createTextMessage(text));
    TextMessage got = (TextMessage) consumer.receive(WAIT.toMillis());
    assertNotNull(got, "the bystander receives what it sent");
    assertEquals(text, got.getText());
    assertEquals(200, broker.get("/health").status());
  }

  /** The services the broker gives its own listeners (see Broker#openListeners). */
  private static AmqpServices services(Broker b) {
    BrokerConfig c = b.config();
    return new AmqpServices(
        c.server(),
        b.destinations(),
        b.memory(),
        Authenticator.open(),
        b.connections(),
        c.idleTimeout(),
        c.maxFrameSize(),
        c.maxMsgSize(),
        c.maxConnections(),
        null,
        c.limits(),
        io.tandem.process.time.Clock.system());
  }

  private static Channel inVmListener(AmqpServices services) throws InterruptedException {
    AmqpChannelInitializer pipeline = new AmqpChannelInitializer(services);
    return new ServerBootstrap()
        .group(loop)
        .channel(LocalServerChannel.class)
        .childHandler(
            new ChannelInitializer<Channel>() {
              @Override
              protected void initChannel(Channel ch) {
                pipeline.initChannel(ch);
                ch.pipeline().addLast("escaped", new EscapeRecorder());
                accepted.add(ch);
              }
            })
        .bind(new LocalAddress("amqp-fuzz"))
        .sync()
        .channel();
  }

  private static Channel connect() throws InterruptedException {
    return new Bootstrap()
        .group(loop)
        .channel(LocalChannel.class)
        .handler(new Discard())
        .connect(server.localAddress())
        .sync()
        .channel();
  }

  private static long allocatedOnLoop() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
        .getThreadAllocatedBytes(loopThread);
  }

  private static byte[] prepend(byte first, byte[] rest) {
    byte[] b = new byte[rest.length + 1];
    b[0] = first;
    System.arraycopy(rest, 0, b, 1, rest.length);
    return b;
  }

  private static void fail(String what) {
    synchronized (failures) {
      failures.add(what);
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (root == null || !Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted((a, b) -> b.compareTo(a)).toList()) {
        Files.delete(p);
      }
    }
  }

  /** Anything the broker's handlers let through to the end of the pipeline. */
  private static final class EscapeRecorder extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      io.netty.util.ReferenceCountUtil.release(msg);
      fail("a message passed the AMQP handler: " + msg);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      fail("escaped the pipeline: " + cause);
      ctx.close();
    }
  }

  /** The connection's own report of an exception it did not expect. */
  private static final class FailureRecorder extends Handler {
    private static final java.util.regex.Pattern UNEXPECTED =
        java.util.regex.Pattern.compile(
            "(?s)(connection \\S+ failed: |closing connection \\S+ after an internal error).*");

    @Override
    public void publish(LogRecord r) {
      String msg = String.valueOf(r.getMessage());
      // Matched on the broker's own wording only: a container id or link name from the input may
      // hold any text, " failed: " included.
      if (r.getThrown() != null || UNEXPECTED.matcher(msg).matches()) {
        fail(r.getLoggerName() + ": " + msg + (r.getThrown() == null ? "" : " " + r.getThrown()));
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }

  /** The client side ignores what the broker answers. */
  private static final class Discard extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ((ByteBuf) msg).release();
    }
  }
}
