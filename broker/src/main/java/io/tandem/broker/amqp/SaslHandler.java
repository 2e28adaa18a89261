package io.tandem.broker.amqp;

import io.tandem.broker.security.ScramHash;
import io.tandem.broker.security.ScramServer;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.logging.Logger;
import org.apache.qpid.proton.engine.Sasl;
import org.apache.qpid.proton.engine.SaslListener;
import org.apache.qpid.proton.engine.Transport;

/**
 * The server side of SASL for one connection: EXTERNAL, SCRAM-SHA-512, SCRAM-SHA-256, PLAIN and
 * ANONYMOUS, as {@link Authenticator} offers them. A failure is logged with the remote address, the
 * mechanism and the user name the client gave, never with what it sent as its password.
 */
final class SaslHandler implements SaslListener {
  private static final Logger LOG = Logger.getLogger(SaslHandler.class.getName());

  /** Where the exchange is; only {@link #transition} changes it. */
  enum Stage {
    /** Mechanisms not chosen yet: the client may also skip SASL and send the AMQP header. */
    OFFERED,
    /** A SCRAM server-first-message was sent; the client's final message is awaited. */
    CHALLENGED,
    /** Authenticated (or ANONYMOUS): the AMQP layer may run. */
    SUCCEEDED,
    /** Refused; Proton closes the connection after the outcome. */
    FAILED;

    /** The moves the exchange may make: a failure from anywhere, nothing out of an end. */
    boolean canMoveTo(Stage to) {
      return switch (this) {
        case OFFERED -> to != OFFERED;
        case CHALLENGED -> to != OFFERED;
        case SUCCEEDED, FAILED -> false;
      };
    }
  }

  private final Authenticator authenticator;
  private final String remote;
  private List<String> offered = List.of();
  private String certificateUser;
  private Stage stage = Stage.OFFERED;
  private String mechanism = "";
  private String user;
  private ScramServer scram;

  SaslHandler(Authenticator authenticator, String remote) {
    this.authenticator = authenticator;
    this.remote = remote;
  }

  /**
   * Sets the mechanisms once the connection's transport is known (after its TLS handshake).
   *
   * @param certificateUser the verified client certificate's user, or {@code null}
   */
  void offer(Sasl sasl, boolean tls, String certificateUser) {
    this.certificateUser = certificateUser;
    offered = authenticator.mechanisms(tls, certificateUser != null);
    sasl.setMechanisms(offered.toArray(new String[0]));
  }

  /** The authenticated user, or {@code null} for ANONYMOUS or a client that skipped SASL. */
  String user() {
    return user;
  }

  Stage stage() {
    return stage;
  }

  /** Whether a connection that never started SASL may go on (as ANONYMOUS would). */
  boolean skipAllowed() {
    return authenticator.anonymousAllowed();
  }

  @Override
  public void onSaslInit(Sasl sasl, Transport transport) {
    String[] mechs = sasl.getRemoteMechanisms();
    mechanism = mechs.length > 0 ? mechs[0] : "";
    byte[] response = received(sasl);
    if (stage != Stage.OFFERED || !offered.contains(mechanism)) {
      fail(sasl, stage != Stage.OFFERED ? "a second init" : "mechanism not offered");
      return;
    }
    ScramHash hash = ScramHash.forMechanism(mechanism);
    if (hash != null) {
      scram = authenticator.scram(hash);
      if (response.length == 0) {
        // the client sends its first message in answer to an empty challenge
        sasl.send(new byte[0], 0, 0);
        transition(Stage.CHALLENGED);
        return;
      }
      scramFirst(sasl, response);
      return;
    }
    switch (mechanism) {
      case Authenticator.ANONYMOUS -> succeed(sasl, null);
      case Authenticator.PLAIN -> plain(sasl, response);
      case Authenticator.EXTERNAL -> external(sasl, response);
      default -> fail(sasl, "mechanism not offered");
    }
  }

  @Override
  public void onSaslResponse(Sasl sasl, Transport transport) {
    byte[] response = received(sasl);
    if (stage != Stage.CHALLENGED || scram == null) {
      fail(sasl, "unexpected response");
      return;
    }
    if (scram.user() == null) {
      scramFirst(sasl, response);
      return;
    }
    byte[] last = scram.last(response);
    if (last == null) {
      fail(sasl, scram.failure());
      return;
    }
    sasl.send(last, 0, last.length);
    succeed(sasl, scram.user());
  }

  private void scramFirst(Sasl sasl, byte[] message) {
    byte[] first = scram.first(message);
    user = scram.user();
    if (first == null) {
      fail(sasl, scram.failure());
      return;
    }
    sasl.send(first, 0, first.length);
    transition(Stage.CHALLENGED);
  }

  /** {@code authzid NUL authcid NUL password}: an authzid other than the user is refused. */
  private void plain(Sasl sasl, byte[] response) {
    int first = indexOf(response, 0);
    int second = first < 0 ? -1 : indexOf(response, first + 1);
    if (second < 0) {
      fail(sasl, "malformed PLAIN response");
      return;
    }
    String authzid = new String(response, 0, first, StandardCharsets.UTF_8);
    user = new String(response, first + 1, second - first - 1, StandardCharsets.UTF_8);
    CharBuffer decoded =
        StandardCharsets.UTF_8.decode(
            ByteBuffer.wrap(response, second + 1, response.length - second - 1));
    char[] password = new char[decoded.remaining()];
    decoded.get(password);
    Arrays.fill(decoded.array(), '\0');
    Arrays.fill(response, (byte) 0);
    try {
      if (!authzid.isEmpty() && !authzid.equals(user)) {
        fail(sasl, "authorization identity differs from the user name");
      } else if (user.isEmpty() || !authenticator.checkPlain(user, password)) {
        fail(sasl, "wrong user name or password");
      } else {
        succeed(sasl, user);
      }
    } finally {
      Arrays.fill(password, '\0');
    }
  }

  private void external(Sasl sasl, byte[] response) {
    String authzid = new String(response, StandardCharsets.UTF_8);
    user = certificateUser;
    if (certificateUser == null) {
      fail(sasl, "no verified client certificate naming a user");
    } else if (!authzid.isEmpty() && !authzid.equals(certificateUser)) {
      fail(sasl, "authorization identity differs from the certificate's user");
    } else {
      succeed(sasl, certificateUser);
    }
  }

  private void succeed(Sasl sasl, String name) {
    user = name;
    transition(Stage.SUCCEEDED);
    sasl.done(Sasl.SaslOutcome.PN_SASL_OK);
    LOG.fine(() -> "authenticated " + remote + " (mechanism " + mechanism + ", user " + name + ")");
  }

  private void fail(Sasl sasl, String reason) {
    String who = user == null ? "" : ", user '" + user + "'";
    LOG.warning(
        "authentication failed for "
            + remote
            + " (mechanism "
            + (mechanism.isEmpty() ? "none" : mechanism)
            + who
            + "): "
            + reason);
    user = null;
    if (stage.canMoveTo(Stage.FAILED)) {
      transition(Stage.FAILED);
      sasl.done(Sasl.SaslOutcome.PN_SASL_AUTH);
    }
  }

  private void transition(Stage to) {
    if (!stage.canMoveTo(to)) {
      throw new IllegalStateException("SASL exchange cannot move from " + stage + " to " + to);
    }
    stage = to;
  }

  private static byte[] received(Sasl sasl) {
    byte[] response = new byte[Math.max(0, sasl.pending())];
    sasl.recv(response, 0, response.length);
    return response;
  }

  private static int indexOf(byte[] b, int from) {
    for (int i = from; i < b.length; i++) {
      if (b[i] == 0) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public void onSaslMechanisms(Sasl sasl, Transport transport) {
    // server side: not called
  }

  @Override
  public void onSaslChallenge(Sasl sasl, Transport transport) {
    // server side: not called
  }

  @Override
  public void onSaslOutcome(Sasl sasl, Transport transport) {
    // server side: not called
  }
}
