package io.tandem.broker.ft;

import io.tandem.broker.security.ScramClient;
import io.tandem.broker.security.ScramHash;
import io.tandem.broker.security.ScramServer;
import io.tandem.broker.security.StoredPassword;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/**
 * The FT peers' mutual authentication: two SCRAM-SHA-256 exchanges (RFC 5802) run crosswise in four
 * lines, so that each member proves the pair's password itself, against the other's users file,
 * under a nonce the other just chose. The backup proves first; the primary proves only after the
 * backup's proof held, so an impostor backup never gets the primary's proof. The password never
 * crosses the link. Both ends then derive the {@link LineSeal} key from the two proven ClientKeys
 * and the whole exchange, so that the rest of the link belongs to this exchange.
 *
 * <p>Both halves are plain state: lines in, lines out, with {@link #failure} saying why a step
 * returned {@code null}. They never block except for one key derivation each.
 */
sealed class PeerAuthentication permits PeerAuthentication.Backup, PeerAuthentication.Primary {
  static final ScramHash HASH = ScramHash.SHA_256;
  private static final byte[] LABEL = "tandem ft peer link 1\n".getBytes(StandardCharsets.US_ASCII);
  private static final SecureRandom RANDOM = new SecureRandom();

  /** This process's secret for the salts of names it does not know ({@link ScramServer}). */
  private static final byte[] FAKE_SALT_KEY = randomBytes(32);

  private final PeerCredentials credentials;
  private final ScramClient client;
  private final ScramServer server;
  private final StringBuilder transcript = new StringBuilder();
  private String failure;
  private LineSeal seal;

  private PeerAuthentication(PeerCredentials credentials, SecureRandom random) {
    this.credentials = credentials;
    this.client =
        new ScramClient(HASH, credentials.user(), credentials.password().toCharArray(), random);
    StoredPassword entry = credentials.entry();
    String user = credentials.user();
    this.server = new ScramServer(HASH, n -> n.equals(user) ? entry : null, FAKE_SALT_KEY, random);
  }

  /** The backup's half. */
  static Backup backup(PeerCredentials credentials) {
    return new Backup(credentials, RANDOM);
  }

  /** The primary's half. */
  static Primary primary(PeerCredentials credentials) {
    return new Primary(credentials, RANDOM);
  }

  /** Why the last step failed, or {@code null}. */
  String failure() {
    return failure;
  }

  /** The seal for the rest of the link, once the exchange succeeded; else {@code null}. */
  LineSeal seal() {
    return seal;
  }

  /** The backup's half: {@link #start}, then {@link #answer} the CHALLENGE, then {@link #check}. */
  static final class Backup extends PeerAuthentication {
    private Backup(PeerCredentials credentials, SecureRandom random) {
      super(credentials, random);
    }

    /** The AUTH line. */
    String start() {
      return sent(PeerLine.auth(PeerLine.AUTH, credentials().user(), text(client().first())));
    }

    /** The PROOF line answering the primary's CHALLENGE, or {@code null}. */
    String answer(PeerLine challenge) {
      if (!expect(challenge, PeerLine.CHALLENGE, 2)) {
        return null;
      }
      byte[] proof;
      try {
        proof = client().last(bytes(challenge.arg(0).get()));
      } catch (IllegalArgumentException e) {
        return fail("the primary's challenge is not for this exchange: " + e.getMessage());
      }
      byte[] first = server().first(bytes(challenge.arg(1).get()));
      if (first == null) {
        return fail("the primary's SCRAM first message: " + server().failure());
      }
      if (!credentials().user().equals(server().user())) {
        return fail(
            "the primary authenticates as '" + server().user() + "', not as this pair's user");
      }
      return sent(PeerLine.auth(PeerLine.PROOF, text(proof), text(first)));
    }

    /**
     * Checks the primary's VERIFIED line: its server signature and, above all, its own proof. True
     * when the primary proved the password; {@link #seal} is then ready.
     */
    boolean check(PeerLine verified) {
      if (!expect(verified, PeerLine.VERIFIED, 2)) {
        return false;
      }
      if (!client().verify(bytes(verified.arg(0).get()))) {
        return failed("the primary's server signature is wrong");
      }
      if (server().last(bytes(verified.arg(1).get())) == null) {
        return failed("the primary's proof of the password failed (" + server().failure() + ")");
      }
      derive(true, client().clientKey(), server().clientKey());
      return true;
    }
  }

  /** The primary's half: {@link #challenge} the AUTH, then {@link #verify} the PROOF. */
  static final class Primary extends PeerAuthentication {
    private Primary(PeerCredentials credentials, SecureRandom random) {
      super(credentials, random);
    }

    /**
     * The CHALLENGE line answering the backup's AUTH, or {@code null}; a backup of another name
     * fails with {@link #wrongName}.
     */
    String challenge(PeerLine auth) {
      if (!expect(auth, PeerLine.AUTH, 2)) {
        return null;
      }
      String name = auth.arg(0).get();
      if (!name.equals(credentials().user())) {
        return fail(
            "server names differ: this primary is '"
                + credentials().user()
                + "', the backup is '"
                + name
                + "'");
      }
      byte[] first = server().first(bytes(auth.arg(1).get()));
      if (first == null || !name.equals(server().user())) {
        return fail("malformed SCRAM first message (" + server().failure() + ")");
      }
      return sent(PeerLine.auth(PeerLine.CHALLENGE, text(first), text(client().first())));
    }

    /**
     * The VERIFIED line when the backup's PROOF holds (then {@link #seal} is ready), else {@code
     * null}: the primary's own proof is computed only for a backup that proved the password.
     */
    String verify(PeerLine proof) {
      if (!expect(proof, PeerLine.PROOF, 2)) {
        return null;
      }
      byte[] signature = server().last(bytes(proof.arg(0).get()));
      if (signature == null) {
        return fail("the backup's proof of the password failed (" + server().failure() + ")");
      }
      byte[] own;
      try {
        own = client().last(bytes(proof.arg(1).get()));
      } catch (IllegalArgumentException e) {
        return fail("the backup's SCRAM first message: " + e.getMessage());
      }
      String line = sent(PeerLine.auth(PeerLine.VERIFIED, text(signature), text(own)));
      derive(false, server().clientKey(), client().clientKey());
      return line;
    }
  }

  PeerCredentials credentials() {
    return credentials;
  }

  ScramClient client() {
    return client;
  }

  ScramServer server() {
    return server;
  }

  /** Checks a received line's verb and argument count and adds it to the transcript. */
  boolean expect(PeerLine line, String verb, int args) {
    if (!line.verb().equals(verb)) {
      return failed(
          "expected "
              + verb
              + ", got "
              + line.verb()
              + (line.verb().equals(PeerLine.REFUSED) ? " (" + line.args() + ")" : ""));
    }
    if (line.arg(args - 1).isEmpty() || line.arg(args).isPresent()) {
      return failed(verb + " needs " + args + " arguments");
    }
    transcript.append(canonical(line)).append('\n');
    return true;
  }

  /** Adds a line this end sends to the transcript; returns it. */
  String sent(String line) {
    transcript.append(canonical(PeerLine.parse(line).orElseThrow())).append('\n');
    return line;
  }

  /** The seal's key: HMAC under both proven ClientKeys of the whole exchange. */
  void derive(boolean backupSide, byte[] backupClientKey, byte[] primaryClientKey) {
    byte[] key = new byte[backupClientKey.length + primaryClientKey.length];
    System.arraycopy(backupClientKey, 0, key, 0, backupClientKey.length);
    System.arraycopy(primaryClientKey, 0, key, backupClientKey.length, primaryClientKey.length);
    byte[] text = transcript.toString().getBytes(StandardCharsets.US_ASCII);
    byte[] data = new byte[LABEL.length + text.length];
    System.arraycopy(LABEL, 0, data, 0, LABEL.length);
    System.arraycopy(text, 0, data, LABEL.length, text.length);
    seal = LineSeal.of(HASH.hmac(key, data), backupSide);
  }

  String fail(String reason) {
    failed(reason);
    return null;
  }

  boolean failed(String reason) {
    if (failure == null) {
      failure = reason;
    }
    return false;
  }

  private static String canonical(PeerLine line) {
    return line.args().isEmpty() ? line.verb() : line.verb() + " " + line.args();
  }

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }
}
