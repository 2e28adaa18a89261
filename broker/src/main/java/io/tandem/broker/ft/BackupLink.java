package io.tandem.broker.ft;

import io.tandem.broker.amqp.PeerService;
import io.tandem.broker.config.Endpoint;
import io.tandem.broker.config.FtConfig;
import io.tandem.broker.tls.ClientTls;
import io.tandem.process.time.Clock;
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
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The backup's side of the peer link: dials the primary ({@code ft_active}), says HELLO, and then
 * exchanges heartbeats until the link breaks or the primary stays silent for {@code ft_activation}.
 * One {@link #session} is one connection; the caller decides what to do when it ends. When {@code
 * ft_active} is {@code amqps://} the connection runs TLS, verifying the primary's certificate. With
 * peer authentication, HELLO comes only after the primary proved the pair's password ({@link
 * PeerAuthentication}) and every later line is sealed: an answer that is not from a member that
 * proved it ends the session unpaired, so it can neither pair nor hold back an activation.
 */
final class BackupLink implements PrimaryLink {
  private static final Logger LOG = Logger.getLogger(BackupLink.class.getName());

  private final String server;
  private final Supplier<String> storeId;
  private final Supplier<PeerCredentials> credentials;
  private final FtConfig ft;
  private final ClientTls tls;
  private final PeerStatus status;
  private final Clock clock;
  private volatile Socket socket;
  private volatile boolean closed;
  private String lastRefusal;

  /**
   * @param credentials this member's credentials, read again for each connection; {@code null} when
   *     the pair does not authenticate
   */
  BackupLink(
      String server,
      Supplier<String> storeId,
      Supplier<PeerCredentials> credentials,
      FtConfig ft,
      ClientTls tls,
      PeerStatus status,
      Clock clock) {
    this.server = server;
    this.storeId = storeId;
    this.credentials = credentials;
    this.ft = ft;
    this.tls = tls;
    this.status = status;
    this.clock = clock;
  }

  @Override
  public Outcome session(LongConsumer onPaired) {
    Endpoint peer = ft.peer();
    int heartbeatMs = (int) ft.heartbeat().toMillis();
    try (Socket s = new Socket()) {
      socket = s;
      if (closed) {
        return new Outcome(false, "closing");
      }
      long deadline = clock.nanos() + ft.activation().toNanos();
      Socket io = dial(s, heartbeatMs);
      LineReader in = greet(io, Math.max(50, heartbeatMs / 4), deadline);
      OutputStream out = io.getOutputStream();
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
    } catch (Unauthenticated e) {
      return unpaired(e.getMessage());
    } catch (javax.net.ssl.SSLException e) {
      return unpaired("TLS handshake with primary at " + peer + " failed: " + e.getMessage());
    } catch (IOException e) {
      return new Outcome(false, "cannot reach primary at " + peer + ": " + e.getMessage());
    } finally {
      status.disconnected();
      socket = null;
    }
  }

  private Outcome exchange(OutputStream out, LineReader in, Endpoint peer) {
    HeartbeatWatch watch = new HeartbeatWatch(ft.activation(), clock.nanos());
    long every = ft.heartbeat().toNanos();
    long nextBeat = clock.nanos();
    try {
      while (!closed) {
        long now = clock.nanos();
        if (now - nextBeat >= 0) {
          send(out, in.seal.seal(PeerLine.heartbeat()));
          nextBeat = now + every;
        }
        if (in.next(now).isPresent()) {
          watch.heard(clock.nanos());
          status.heard();
        }
        if (watch.expired(clock.nanos())) {
          return new Outcome(
              true,
              "no heartbeat from primary at "
                  + peer
                  + " for "
                  + watch.silentMillis(clock.nanos())
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
    return unpaired("primary at " + peer + " refused to pair: " + reason);
  }

  /** A session that ended unpaired for {@code reason}; logged once until the reason changes. */
  private Outcome unpaired(String reason) {
    if (!reason.equals(lastRefusal)) {
      LOG.severe(reason);
      lastRefusal = reason;
    }
    return new Outcome(false, reason);
  }

  /**
   * Whether a broker answers as primary at {@code ft_active} right now (any answer to HELLO, even a
   * refusal, means it serves; with peer authentication, only a peer that proved the pair's password
   * counts). Used by a broker that just obtained the lock at startup: if its peer also serves,
   * their stores or locks are not shared.
   */
  @Override
  public boolean peerServes() {
    Endpoint peer = ft.peer();
    // a refused connection answers at once; a serving peer on a loaded host may take a while
    long waitMs = Math.max(ft.activation().toMillis(), 2_000);
    try (Socket s = new Socket()) {
      long deadline = clock.nanos() + waitMs * 1_000_000;
      return greet(dial(s, (int) waitMs), 100, deadline).next(deadline).isPresent();
    } catch (Unauthenticated e) {
      LOG.warning("ignoring the broker at " + peer + " at startup: " + e.getMessage());
      return false;
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

  /**
   * Over the dialled socket, authenticates the primary (with peer authentication, before {@code
   * deadlineNanos}) and says HELLO; the reader for its answer.
   */
  private LineReader greet(Socket s, int readTimeoutMs, long deadlineNanos) throws IOException {
    s.setSoTimeout(readTimeoutMs);
    OutputStream out = s.getOutputStream();
    out.write(PeerService.HEADER);
    LineReader in = new LineReader(s.getInputStream());
    if (credentials != null) {
      in.seal = authenticate(out, in, deadlineNanos);
    }
    send(out, in.seal.seal(PeerLine.hello(server, storeId.get())));
    return in;
  }

  /**
   * Runs the backup's half of {@link PeerAuthentication}; the seal for the rest of the link, or
   * {@link Unauthenticated} (after telling the primary, when it is the primary that failed).
   */
  private LineSeal authenticate(OutputStream out, LineReader in, long deadlineNanos)
      throws IOException {
    Endpoint peer = ft.peer();
    PeerAuthentication.Backup auth = PeerAuthentication.backup(credentials.get());
    send(out, auth.start());
    PeerLine challenge = answer(in, deadlineNanos, peer);
    if (challenge.verb().equals(PeerLine.REFUSED)) {
      throw new Unauthenticated("primary at " + peer + " refused to pair: " + challenge.args());
    }
    String proof = auth.answer(challenge);
    if (proof == null) {
      throw refuse(out, peer, auth.failure());
    }
    send(out, proof);
    PeerLine verified = answer(in, deadlineNanos, peer);
    if (verified.verb().equals(PeerLine.REFUSED)) {
      throw new Unauthenticated("primary at " + peer + " refused to pair: " + verified.args());
    }
    if (!auth.check(verified)) {
      throw refuse(out, peer, auth.failure());
    }
    return auth.seal();
  }

  private PeerLine answer(LineReader in, long deadlineNanos, Endpoint peer) throws IOException {
    try {
      return in.next(deadlineNanos)
          .orElseThrow(
              () ->
                  new Unauthenticated(
                      "primary at " + peer + " did not authenticate within ft_activation"));
    } catch (Unauthenticated e) {
      throw e;
    } catch (IOException e) {
      throw new Unauthenticated("primary at " + peer + " did not authenticate: " + e.getMessage());
    }
  }

  /** Tells the peer at {@code ft_active} that it failed to authenticate. */
  private Unauthenticated refuse(OutputStream out, Endpoint peer, String reason) {
    try {
      send(out, PeerLine.refused("authentication failed"));
    } catch (IOException e) {
      LOG.fine(() -> "telling the peer at " + peer + " it is refused: " + e);
    }
    return new Unauthenticated(
        "refusing to pair with the broker at " + peer + ": authentication failed: " + reason);
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

  /** The peer at {@code ft_active} did not prove the pair's password, or refused this backup's. */
  private static final class Unauthenticated extends IOException {
    private static final long serialVersionUID = 1L;

    Unauthenticated(String message) {
      super(message);
    }
  }

  /** Reads peer lines, opening their seals; a partial line survives read timeouts. */
  private final class LineReader {
    private final InputStream in;
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private LineSeal seal = LineSeal.none();

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
              Optional<PeerLine> parsed = seal.open(line).flatMap(PeerLine::parse);
              if (parsed.isEmpty()) {
                throw new IOException(
                    seal.active()
                        ? "a line from the primary without a valid seal"
                        : "unexpected line from the primary");
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
      } while (clock.nanos() - deadlineNanos < 0);
      return Optional.empty();
    }
  }
}
