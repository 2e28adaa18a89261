package io.tandem.broker.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.function.Function;

/**
 * The server side of one SCRAM exchange (RFC 5802, without channel binding): {@link #first} answers
 * the client's first message with a salt, iteration count and nonce; {@link #last} checks the
 * client's proof and returns the server signature. The server never learns the password. An unknown
 * user is answered with a salt derived from the user name and a secret of this process, so the
 * exchange looks and costs the same as for a known user until the proof fails.
 */
public final class ScramServer {
  private final ScramHash hash;
  private final Function<String, StoredPassword> lookup;
  private final byte[] fakeSaltKey;
  private final SecureRandom random;
  private final int unknownIterations;
  private String user;
  private StoredPassword credential;
  private String gs2Header;
  private String clientFirstBare;
  private String serverFirst;
  private String nonce;
  private String failure;
  private boolean done;
  private byte[] provenClientKey;

  /**
   * @param lookup a user's stored password, or {@code null} for an unknown user
   * @param fakeSaltKey this process's secret for the salts of unknown users
   */
  public ScramServer(
      ScramHash hash,
      Function<String, StoredPassword> lookup,
      byte[] fakeSaltKey,
      SecureRandom random) {
    this(hash, lookup, fakeSaltKey, random, StoredPassword.DEFAULT_ITERATIONS);
  }

  /**
   * @param unknownIterations the iteration count announced to an unknown user: the one known users
   *     usually have, so that it does not tell them apart
   */
  public ScramServer(
      ScramHash hash,
      Function<String, StoredPassword> lookup,
      byte[] fakeSaltKey,
      SecureRandom random,
      int unknownIterations) {
    this.hash = hash;
    this.lookup = lookup;
    this.fakeSaltKey = fakeSaltKey.clone();
    this.random = random;
    this.unknownIterations = unknownIterations;
  }

  /** Answers client-first-message; {@code null} when it is malformed (see {@link #failure}). */
  public byte[] first(byte[] message) {
    if (user != null || failure != null) {
      return fail("a second first message");
    }
    String m = new String(message, StandardCharsets.UTF_8);
    String[] parts = m.split(",", 3);
    if (parts.length < 3) {
      return fail("malformed client-first-message");
    }
    if (!parts[0].equals("n") && !parts[0].equals("y")) {
      return fail(
          parts[0].startsWith("p=") ? "channel binding is not offered" : "malformed gs2 header");
    }
    gs2Header = parts[0] + "," + parts[1] + ",";
    clientFirstBare = parts[2];
    String[] bare = clientFirstBare.split(",", -1);
    if (bare.length < 2 || !bare[0].startsWith("n=") || !bare[1].startsWith("r=")) {
      return fail("malformed client-first-message-bare");
    }
    String name = ScramClient.decodeName(bare[0].substring(2));
    String clientNonce = bare[1].substring(2);
    if (name == null || name.isEmpty() || clientNonce.isEmpty()) {
      return fail("malformed user name or nonce");
    }
    if (!parts[1].isEmpty() && !parts[1].equals("a=" + ScramClient.encodeName(name))) {
      return fail("authorization identity differs from the user name");
    }
    user = name;
    credential = lookup.apply(name);
    byte[] salt;
    int iterations;
    if (credential == null) {
      salt =
          Arrays.copyOf(
              ScramHash.SHA_256.hmac(fakeSaltKey, name.getBytes(StandardCharsets.UTF_8)), 16);
      iterations = unknownIterations;
    } else {
      salt = credential.salt();
      iterations = credential.iterations();
    }
    byte[] n = new byte[18];
    random.nextBytes(n);
    nonce = clientNonce + Base64.getEncoder().encodeToString(n);
    serverFirst =
        "r=" + nonce + ",s=" + Base64.getEncoder().encodeToString(salt) + ",i=" + iterations;
    return serverFirst.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Checks client-final-message; returns server-final-message when the proof holds, {@code null}
   * otherwise (see {@link #failure}).
   */
  public byte[] last(byte[] message) {
    if (serverFirst == null || done || failure != null) {
      return fail("client-final-message out of order");
    }
    String m = new String(message, StandardCharsets.UTF_8);
    int p = m.lastIndexOf(",p=");
    if (!m.startsWith("c=") || p < 0) {
      return fail("malformed client-final-message");
    }
    String withoutProof = m.substring(0, p);
    String[] attrs = withoutProof.split(",", -1);
    if (attrs.length < 2 || !attrs[1].equals("r=" + nonce)) {
      return fail("nonce mismatch");
    }
    byte[] binding = decode(attrs[0].substring(2));
    byte[] proof = decode(m.substring(p + 3));
    if (binding == null
        || !Arrays.equals(binding, gs2Header.getBytes(StandardCharsets.UTF_8))
        || proof == null) {
      return fail("malformed channel binding or proof");
    }
    byte[] auth =
        (clientFirstBare + "," + serverFirst + "," + withoutProof).getBytes(StandardCharsets.UTF_8);
    byte[] storedKey = credential == null ? randomKey() : credential.storedKey(hash);
    byte[] signature = hash.hmac(storedKey, auth);
    byte[] clientKey = new byte[signature.length];
    for (int i = 0; i < signature.length && i < proof.length; i++) {
      clientKey[i] = (byte) (proof[i] ^ signature[i]);
    }
    boolean ok =
        proof.length == signature.length
            && MessageDigest.isEqual(hash.hash(clientKey), storedKey)
            && credential != null;
    if (!ok) {
      return fail("invalid proof");
    }
    done = true;
    provenClientKey = clientKey;
    byte[] serverSignature = hash.hmac(credential.serverKey(hash), auth);
    return ("v=" + Base64.getEncoder().encodeToString(serverSignature))
        .getBytes(StandardCharsets.UTF_8);
  }

  /** The user the client named, once {@link #first} has run. */
  public String user() {
    return user;
  }

  /** Whether the exchange ended with a valid proof. */
  public boolean succeeded() {
    return done;
  }

  /**
   * The ClientKey the client's valid proof revealed, or {@code null} unless {@link #succeeded}: the
   * same bytes as {@link ScramClient#clientKey} on the client's side, known to no eavesdropper
   * without the stored key.
   */
  public byte[] clientKey() {
    return provenClientKey == null ? null : provenClientKey.clone();
  }

  /** Why the exchange failed, or {@code null}. */
  public String failure() {
    return failure;
  }

  private byte[] randomKey() {
    byte[] k = new byte[hash.length()];
    random.nextBytes(k);
    return k;
  }

  private byte[] fail(String reason) {
    if (failure == null) {
      failure = reason;
    }
    return null;
  }

  private static byte[] decode(String b64) {
    try {
      return Base64.getDecoder().decode(b64);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
