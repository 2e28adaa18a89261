package io.tandem.broker.ft;

import java.util.Optional;

/**
 * One line of the peer protocol, after the {@link io.tandem.broker.amqp.PeerService#HEADER}:
 *
 * <pre>
 * backup  → primary: HELLO &lt;server&gt; &lt;store id or -&gt;
 * primary → backup:  WELCOME &lt;server&gt; &lt;epoch&gt;   or   REFUSED &lt;reason&gt; (then close)
 * both ways:         HEARTBEAT                     (every ft_heartbeat)
 * </pre>
 *
 * With {@code authorization = enabled} the lines above are preceded by the peer authentication
 * ({@link PeerAuthentication}), whose lines carry SCRAM messages (which hold no spaces), and each
 * of them then ends with its {@link LineSeal}:
 *
 * <pre>
 * backup  → primary: AUTH &lt;server&gt; &lt;backup's client-first&gt;
 * primary → backup:  CHALLENGE &lt;primary's server-first&gt; &lt;primary's client-first&gt;
 * backup  → primary: PROOF &lt;backup's client-final&gt; &lt;backup's server-first&gt;
 * primary → backup:  VERIFIED &lt;primary's server-final&gt; &lt;primary's client-final&gt;
 * </pre>
 *
 * @param verb HELLO, WELCOME, REFUSED, HEARTBEAT, AUTH, CHALLENGE, PROOF or VERIFIED
 * @param args the rest of the line (for REFUSED, the whole reason)
 */
record PeerLine(String verb, String args) {
  static final String HELLO = "HELLO";
  static final String WELCOME = "WELCOME";
  static final String REFUSED = "REFUSED";
  static final String HEARTBEAT = "HEARTBEAT";
  static final String AUTH = "AUTH";
  static final String CHALLENGE = "CHALLENGE";
  static final String PROOF = "PROOF";
  static final String VERIFIED = "VERIFIED";

  /** The longest line either side accepts; longer input closes the connection. */
  static final int MAX_LENGTH = 512;

  /** Parses a line; empty if it is not one of the verbs. */
  static Optional<PeerLine> parse(String line) {
    String text = line.strip();
    int space = text.indexOf(' ');
    String verb = space < 0 ? text : text.substring(0, space);
    String args = space < 0 ? "" : text.substring(space + 1).strip();
    return switch (verb) {
      case HELLO, WELCOME, REFUSED, HEARTBEAT, AUTH, CHALLENGE, PROOF, VERIFIED ->
          Optional.of(new PeerLine(verb, args));
      default -> Optional.empty();
    };
  }

  /** The {@code i}-th space-separated argument, or empty. */
  Optional<String> arg(int i) {
    String[] parts = args.isEmpty() ? new String[0] : args.split(" +");
    return i < parts.length ? Optional.of(parts[i]) : Optional.empty();
  }

  static String hello(String server, String storeId) {
    return HELLO + " " + server + " " + storeId + "\n";
  }

  static String welcome(String server, long epoch) {
    return WELCOME + " " + server + " " + epoch + "\n";
  }

  static String refused(String reason) {
    return REFUSED + " " + reason.replace('\n', ' ') + "\n";
  }

  /** A line of the authentication: {@code verb} and its arguments, none of which is empty. */
  static String auth(String verb, String... args) {
    StringBuilder b = new StringBuilder(verb);
    for (String a : args) {
      b.append(' ').append(a);
    }
    return b.append('\n').toString();
  }

  static String heartbeat() {
    return HEARTBEAT + "\n";
  }
}
