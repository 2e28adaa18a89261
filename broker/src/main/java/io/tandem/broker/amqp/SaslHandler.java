package io.tandem.broker.amqp;

import java.nio.charset.StandardCharsets;
import java.util.logging.Logger;
import org.apache.qpid.proton.engine.Sasl;
import org.apache.qpid.proton.engine.SaslListener;
import org.apache.qpid.proton.engine.Transport;

/** The server side of SASL for one connection: ANONYMOUS and PLAIN. */
final class SaslHandler implements SaslListener {
  private static final Logger LOG = Logger.getLogger(SaslHandler.class.getName());
  private final Authenticator authenticator;
  private final String remote;
  private String user = "anonymous";

  SaslHandler(Authenticator authenticator, String remote) {
    this.authenticator = authenticator;
    this.remote = remote;
  }

  String user() {
    return user;
  }

  @Override
  public void onSaslInit(Sasl sasl, Transport transport) {
    String[] mechs = sasl.getRemoteMechanisms();
    String mech = mechs.length > 0 ? mechs[0] : "";
    byte[] response = new byte[Math.max(0, sasl.pending())];
    sasl.recv(response, 0, response.length);
    boolean ok =
        switch (mech) {
          case "ANONYMOUS" -> authenticator.anonymousAllowed();
          case "PLAIN" -> plain(response);
          default -> false;
        };
    if (!ok) {
      LOG.warning(
          "authentication failed for " + remote + " (mechanism " + mech + ", user " + user + ")");
    }
    sasl.done(ok ? Sasl.SaslOutcome.PN_SASL_OK : Sasl.SaslOutcome.PN_SASL_AUTH);
  }

  private boolean plain(byte[] response) {
    int first = indexOf(response, 0);
    int second = first < 0 ? -1 : indexOf(response, first + 1);
    if (second < 0) {
      return false;
    }
    user = new String(response, first + 1, second - first - 1, StandardCharsets.UTF_8);
    String password =
        new String(response, second + 1, response.length - second - 1, StandardCharsets.UTF_8);
    return authenticator.check(user, password);
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
  public void onSaslResponse(Sasl sasl, Transport transport) {
    // ANONYMOUS and PLAIN complete in one step
  }

  @Override
  public void onSaslOutcome(Sasl sasl, Transport transport) {
    // server side: not called
  }
}
