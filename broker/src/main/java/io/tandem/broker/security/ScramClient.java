package io.tandem.broker.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The client side of one SCRAM exchange (RFC 5802, no channel binding): used where Tandem proves a
 * password to another Tandem process (the FT peer link) and by tests that check the server.
 */
public final class ScramClient {
  private static final String GS2 = "n,,";
  private final ScramHash hash;
  private final String user;
  private final char[] password;
  private final SecureRandom random;
  private String clientFirstBare;
  private byte[] expectedServerSignature;
  private byte[] clientKey;

  public ScramClient(ScramHash hash, String user, char[] password, SecureRandom random) {
    this.hash = hash;
    this.user = user;
    this.password = password.clone();
    this.random = random;
  }

  /** client-first-message. */
  public byte[] first() {
    byte[] n = new byte[18];
    random.nextBytes(n);
    clientFirstBare = "n=" + encodeName(user) + ",r=" + Base64.getEncoder().encodeToString(n);
    return (GS2 + clientFirstBare).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * client-final-message for {@code serverFirst}; throws {@link IllegalArgumentException} when the
   * server's message is malformed or does not extend this client's nonce.
   */
  public byte[] last(byte[] serverFirst) {
    String s = new String(serverFirst, StandardCharsets.UTF_8);
    String[] attrs = s.split(",", -1);
    if (attrs.length < 3
        || !attrs[0].startsWith("r=")
        || !attrs[1].startsWith("s=")
        || !attrs[2].startsWith("i=")) {
      throw new IllegalArgumentException("malformed server-first-message");
    }
    String nonce = attrs[0].substring(2);
    String clientNonce = clientFirstBare.substring(clientFirstBare.indexOf(",r=") + 3);
    if (!nonce.startsWith(clientNonce) || nonce.length() == clientNonce.length()) {
      throw new IllegalArgumentException("the server's nonce does not extend the client's");
    }
    byte[] salt = Base64.getDecoder().decode(attrs[1].substring(2));
    int iterations = Integer.parseInt(attrs[2].substring(2));
    if (iterations < StoredPassword.MIN_ITERATIONS || iterations > StoredPassword.MAX_ITERATIONS) {
      throw new IllegalArgumentException("iteration count " + iterations + " out of range");
    }
    byte[] salted = hash.saltedPassword(StoredPassword.normalize(password), salt, iterations);
    byte[] clientKey = StoredPassword.clientKey(hash, salted);
    byte[] storedKey = hash.hash(clientKey);
    String withoutProof =
        "c="
            + Base64.getEncoder().encodeToString(GS2.getBytes(StandardCharsets.UTF_8))
            + ",r="
            + nonce;
    byte[] auth = (clientFirstBare + "," + s + "," + withoutProof).getBytes(StandardCharsets.UTF_8);
    byte[] signature = hash.hmac(storedKey, auth);
    byte[] proof = new byte[clientKey.length];
    for (int i = 0; i < proof.length; i++) {
      proof[i] = (byte) (clientKey[i] ^ signature[i]);
    }
    expectedServerSignature = hash.hmac(StoredPassword.serverKey(hash, salted), auth);
    this.clientKey = clientKey;
    return (withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof))
        .getBytes(StandardCharsets.UTF_8);
  }

  /** Whether server-final-message proves the server holds this user's stored password. */
  public boolean verify(byte[] serverFinal) {
    String s = new String(serverFinal, StandardCharsets.UTF_8);
    if (expectedServerSignature == null || !s.startsWith("v=")) {
      return false;
    }
    byte[] v;
    try {
      v = Base64.getDecoder().decode(s.substring(2).split(",", 2)[0]);
    } catch (IllegalArgumentException e) {
      return false;
    }
    return MessageDigest.isEqual(v, expectedServerSignature);
  }

  /**
   * The ClientKey behind the proof {@link #last} sent, or {@code null} before it: a server that
   * accepted the proof recovered the same bytes ({@link ScramServer#clientKey}), and nobody else
   * who saw the exchange can, so the FT peer link derives its line key from it.
   */
  public byte[] clientKey() {
    return clientKey == null ? null : clientKey.clone();
  }

  /** A user name as SCRAM writes it: {@code ,} and {@code =} escaped. */
  static String encodeName(String name) {
    return name.replace("=", "=3D").replace(",", "=2C");
  }

  /** The inverse of {@link #encodeName}; {@code null} for a malformed escape. */
  static String decodeName(String text) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c != '=') {
        b.append(c);
      } else if (text.startsWith("=2C", i)) {
        b.append(',');
        i += 2;
      } else if (text.startsWith("=3D", i)) {
        b.append('=');
        i += 2;
      } else {
        return null;
      }
    }
    return b.toString();
  }
}
