package io.tandem.broker.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumMap;
import java.util.Map;

/**
 * A password as the users file keeps it: SCRAM's stored key and server key (RFC 5802) for SHA-256
 * and SHA-512, under one random salt and iteration count. The password itself cannot be read back
 * from it, and guessing one costs {@code iterations} HMACs per try. Text form: {@code
 * {scram}ITERATIONS$SALT$STOREDKEY256$SERVERKEY256$STOREDKEY512$SERVERKEY512}, base64, so it holds
 * neither {@code :} nor {@code #}.
 */
public final class StoredPassword {
  /** The text every stored form starts with. */
  public static final String PREFIX = "{scram}";

  /** Iterations {@code bin/tandem passwd} uses unless told otherwise. */
  public static final int DEFAULT_ITERATIONS = 16384;

  /** RFC 7677's floor for SCRAM-SHA-256; fewer is refused. */
  public static final int MIN_ITERATIONS = 4096;

  /** Above this one PLAIN login costs the broker too much CPU. */
  public static final int MAX_ITERATIONS = 1_000_000;

  private static final int SALT_BYTES = 16;
  private static final byte[] CLIENT_KEY = "Client Key".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] SERVER_KEY = "Server Key".getBytes(StandardCharsets.US_ASCII);

  private final int iterations;
  private final byte[] salt;
  private final Map<ScramHash, Keys> keys;

  /** One hash's pair of keys. */
  record Keys(byte[] storedKey, byte[] serverKey) {}

  private StoredPassword(int iterations, byte[] salt, Map<ScramHash, Keys> keys) {
    this.iterations = iterations;
    this.salt = salt;
    this.keys = keys;
  }

  /** Derives the stored form of {@code password} under a fresh random salt. */
  public static StoredPassword derive(char[] password, int iterations, SecureRandom random) {
    checkIterations(iterations);
    byte[] salt = new byte[SALT_BYTES];
    random.nextBytes(salt);
    return derive(password, salt, iterations);
  }

  /** Derives the stored form of {@code password} under {@code salt}. */
  public static StoredPassword derive(char[] password, byte[] salt, int iterations) {
    checkIterations(iterations);
    Map<ScramHash, Keys> keys = new EnumMap<>(ScramHash.class);
    for (ScramHash h : ScramHash.values()) {
      byte[] salted = h.saltedPassword(normalize(password), salt, iterations);
      keys.put(h, new Keys(h.hash(clientKey(h, salted)), serverKey(h, salted)));
    }
    return new StoredPassword(iterations, salt.clone(), keys);
  }

  /**
   * Parses the text form; throws {@link IllegalArgumentException} with a reason that does not quote
   * the text.
   */
  public static StoredPassword parse(String text) {
    if (!text.startsWith(PREFIX)) {
      throw new IllegalArgumentException(
          "not a stored password (it must start with " + PREFIX + ")");
    }
    String[] parts = text.substring(PREFIX.length()).split("\\$", -1);
    if (parts.length != 6) {
      throw new IllegalArgumentException(
          "a stored password has 6 '$'-separated fields after " + PREFIX + ", not " + parts.length);
    }
    int iterations;
    try {
      iterations = Integer.parseInt(parts[0]);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("the iteration count is not a number");
    }
    checkIterations(iterations);
    byte[] salt = base64(parts[1], "salt", -1);
    if (salt.length < 8) {
      throw new IllegalArgumentException("the salt is shorter than 8 bytes");
    }
    Map<ScramHash, Keys> keys = new EnumMap<>(ScramHash.class);
    int i = 2;
    for (ScramHash h : ScramHash.values()) {
      byte[] stored = base64(parts[i++], h.mechanism() + " stored key", h.length());
      byte[] server = base64(parts[i++], h.mechanism() + " server key", h.length());
      keys.put(h, new Keys(stored, server));
    }
    return new StoredPassword(iterations, salt, keys);
  }

  /** The text form. */
  public String encode() {
    Base64.Encoder b = Base64.getEncoder();
    StringBuilder s = new StringBuilder(PREFIX).append(iterations).append('$');
    s.append(b.encodeToString(salt));
    for (ScramHash h : ScramHash.values()) {
      s.append('$').append(b.encodeToString(keys.get(h).storedKey()));
      s.append('$').append(b.encodeToString(keys.get(h).serverKey()));
    }
    return s.toString();
  }

  /** Whether {@code password} is the one this was derived from (one PBKDF2, for SASL PLAIN). */
  public boolean matches(char[] password) {
    ScramHash h = ScramHash.SHA_256;
    byte[] salted = h.saltedPassword(normalize(password), salt, iterations);
    return MessageDigest.isEqual(h.hash(clientKey(h, salted)), keys.get(h).storedKey());
  }

  public int iterations() {
    return iterations;
  }

  public byte[] salt() {
    return salt.clone();
  }

  byte[] storedKey(ScramHash h) {
    return keys.get(h).storedKey().clone();
  }

  byte[] serverKey(ScramHash h) {
    return keys.get(h).serverKey().clone();
  }

  /** {@code ClientKey := HMAC(SaltedPassword, "Client Key")}. */
  static byte[] clientKey(ScramHash h, byte[] saltedPassword) {
    return h.hmac(saltedPassword, CLIENT_KEY);
  }

  /** {@code ServerKey := HMAC(SaltedPassword, "Server Key")}. */
  static byte[] serverKey(ScramHash h, byte[] saltedPassword) {
    return h.hmac(saltedPassword, SERVER_KEY);
  }

  /**
   * SCRAM's {@code Normalize}: SASLprep maps compatibility characters as Unicode NFKC does; the
   * ASCII passwords of almost every installation are left as they are.
   */
  static char[] normalize(char[] password) {
    return Normalizer.normalize(new String(password), Normalizer.Form.NFKC).toCharArray();
  }

  private static void checkIterations(int iterations) {
    if (iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS) {
      throw new IllegalArgumentException(
          "iterations must be between " + MIN_ITERATIONS + " and " + MAX_ITERATIONS);
    }
  }

  private static byte[] base64(String text, String what, int length) {
    byte[] b;
    try {
      b = Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the " + what + " is not base64");
    }
    if (length >= 0 && b.length != length) {
      throw new IllegalArgumentException(
          "the " + what + " is " + b.length + " bytes, not " + length);
    }
    return b;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StoredPassword p && encode().equals(p.encode());
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(salt);
  }

  @Override
  public String toString() {
    return "StoredPassword[iterations=" + iterations + "]";
  }
}
