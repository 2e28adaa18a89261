package io.tandem.broker.ft;

import io.tandem.broker.amqp.PeerService;
import io.tandem.broker.config.Endpoint;
import io.tandem.broker.config.FtConfig;
import io.tandem.broker.tls.ClientTls;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The backup's side of the peer link: dials the primary ({@code ft_active}), says HELLO, and then
 * exchanges heartbeats until the link breaks or the primary stays silent for {@code ft_activation}.
 * One {@link #session} is one connection; the caller decides what to do when it ends. When {@code
 * ft_active} is {@code amqps://} the connection runs TLS, verifying the primary's certificate.
 */
final class BackupLink implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(BackupLink.class.getName());

  /** How a session ended. {@code paired}: the primary had welcomed this backup. */
  record Outcome(boolean paired, String reason) {}

  private final String server;
  private final Supplier<String> storeId;
  private final FtConfig ft;
  private final ClientTls tls;
  private final PeerStatus status;
  private final LongSupplier nanoTime;
  private volatile Socket socket;
  private volatile boolean closed;
  private String lastRefusal;

  BackupLink(
      String server,
      Supplier<String> storeId,
      FtConfig ft,
      ClientTls tls,
      PeerStatus status,
      LongSupplier nanoTime) {
    this.server = server;
    this.storeId = storeId;
    this.ft = ft;
    this.tls = tls;
    this.status = status;
    this.nanoTime = nanoTime;
  }

  /**
   * Connects, pairs and keeps the link until it ends; {@code onPaired} hears the primary's epoch
   * once the primary welcomed this backup.
   */
  Outcome session(LongConsumer onPaired) {
    Endpoint peer = ft.peer();
    int heartbeatMs = (int) ft.heartbeat().toMillis();
    try (Socket s = new Socket()) {
      socket = s;
      if (closed) {
        return new Outcome(false, "closing");
      }
      Socket io = dial(s, heartbeatMs);
      LineReader in = greet(io, Math.max(50, heartbeatMs / 4));
      OutputStream out = io.getOutputStream();
      long deadline = nanoTime.getAsLong() + ft.activation().toNanos();
      Optional<PeerLine> reply = in.next(deadline);
      if (reply.isEmpty()) {
        return new Outcome(false, "primary at " + peer + " did not answer within ft_activation");
      }
      if (!reply.get().verb().equals(PeerLine.WELCOME)) {
        return refused(peer, reply.get());
      }
      lastRefusal = null;
      long epoch = reply.get().arg(1).map(BackupLink::parseLong).orElse(0L);
      status.connected(peer.toString());
      onPaired.accept(epoch);
      return exchange(out, in, peer);
    } catch (javax.net.ssl.SSLException e) {
      String reason = "TLS handshake with primary at " + peer + " failed: " + e.getMessage();
      if (!reason.equals(lastRefusal)) {
        LOG.severe(reason);
        lastRefusal = reason;
      }
      return new Outcome(false, reason);
    } catch (IOException e) {
      return new Outcome(false, "cannot reach primary at " + peer + ": " + e.getMessage());
    } finally {
      status.disconnected();
      socket = null;
    }
  }

  private Outcome exchange(OutputStream out, LineReader in, Endpoint peer) {
    HeartbeatWatch watch = new HeartbeatWatch(ft.activation(), nanoTime.getAsLong());
    long every = ft.heartbeat().toNanos();
    long nextBeat = nanoTime.getAsLong();
    try {
      while (!closed) {
        long now = nanoTime.getAsLong();
        if (now - nextBeat >= 0) {
          send(out, PeerLine.heartbeat());
          nextBeat = now + every;
        }
        if (in.next(now).isPresent()) {
          watch.heard(nanoTime.getAsLong());
          status.heard();
        }
        if (watch.expired(nanoTime.getAsLong())) {
          return new Outcome(
              true,
              "no heartbeat from primary at "
                  + peer
                  + " for "
                  + watch.silentMillis(nanoTime.getAsLong())
                  + " ms (ft_activation)");
        }
      }
      return new Outcome(true, "closing");
    } catch (EOFException e) {
      return new Outcome(true, "peer connection to primary at " + peer + " closed");
    } catch (IOException e) {
      return new Outcome(
          true, "peer connection to primary at " + peer + " broke: " + e.getMessage());
    }
  }

  private Outcome refused(Endpoint peer, PeerLine reply) {
    String reason = reply.verb().equals(PeerLine.REFUSED) ? reply.args() : "unexpected answer";
    if (!reason.equals(lastRefusal)) {
      LOG.severe("primary at " + peer + " refused to pair: " + reason);
      lastRefusal = reason;
    }
    return new Outcome(false, "primary at " + peer + " refused to pair: " + reason);
  }

  /**
   * Whether a broker answers as primary at {@code ft_active} right now (any answer to HELLO, even a
   * refusal, means it serves). Used by a broker that just obtained the lock at startup: if its peer
   * also serves, their stores or locks are not shared.
   */
  boolean peerServes() {
    Endpoint peer = ft.peer();
    // a refused connection answers at once; a serving peer on a loaded host may take a while
    long waitMs = Math.max(ft.activation().toMillis(), 2_000);
    try (Socket s = new Socket()) {
      return greet(dial(s, (int) waitMs), 100)
          .next(nanoTime.getAsLong() + waitMs * 1_000_000)
          .isPresent();
    } catch (javax.net.ssl.SSLHandshakeException e) {
      // a TLS listener answered: a backup opens none, so the peer serves
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Connects {@code s} to the primary and, with {@code ft_ssl_*}, runs the TLS handshake within the
   * same timeout; the socket to talk through (closing {@code s} closes it too).
   */
  private Socket dial(Socket s, int connectTimeoutMs) throws IOException {
    Endpoint peer = ft.peer();
    s.connect(new InetSocketAddress(peer.host(), peer.port()), connectTimeoutMs);
    s.setTcpNoDelay(true);
    if (tls == null) {
      return s;
    }
    s.setSoTimeout(connectTimeoutMs);
    return tls.handshake(s, peer.host(), peer.port());
  }

  /** Says HELLO over the dialled socket; the reader for the answer. */
  private LineReader greet(Socket s, int readTimeoutMs) throws IOException {
    s.setSoTimeout(readTimeoutMs);
    OutputStream out = s.getOutputStream();
    out.write(PeerService.HEADER);
    send(out, PeerLine.hello(server, storeId.get()));
    return new LineReader(s.getInputStream());
  }

  private static void send(OutputStream out, String line) throws IOException {
    out.write(line.getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  private static long parseLong(String s) {
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** Ends a running session at once. */
  @Override
  public void close() {
    closed = true;
    Socket s = socket;
    if (s != null) {
      try {
        s.close();
      } catch (IOException e) {
        LOG.fine(() -> "closing peer socket: " + e);
      }
    }
  }

  /** Reads peer lines; a partial line survives read timeouts. */
  private final class LineReader {
    private final InputStream in;
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

    LineReader(InputStream in) {
      this.in = in;
    }

    /**
     * The next line, waiting until {@code deadlineNanos} (at least one socket timeout); empty if
     * none arrived in time.
     */
    Optional<PeerLine> next(long deadlineNanos) throws IOException {
      do {
        try {
          int b;
          while ((b = in.read()) >= 0) {
            if (b == '\n') {
              String line = partial.toString(StandardCharsets.US_ASCII);
              partial.reset();
              Optional<PeerLine> parsed = PeerLine.parse(line);
              if (parsed.isEmpty()) {
                throw new IOException("unexpected line from the primary");
              }
              return parsed;
            }
            if (partial.size() >= PeerLine.MAX_LENGTH) {
              throw new IOException("over-long line from the primary");
            }
            partial.write(b);
          }
          throw new EOFException("closed by the primary");
        } catch (SocketTimeoutException e) {
          // nothing yet; check the deadline
        }
      } while (nanoTime.getAsLong() - deadlineNanos < 0);
      return Optional.empty();
    }
  }
}
