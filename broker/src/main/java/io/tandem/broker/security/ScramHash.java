package io.tandem.broker.security;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.spec.KeySpec;
import java.util.concurrent.atomic.LongAdder;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/** The two hash functions SCRAM is offered with, and the primitives of RFC 5802 over each. */
public enum ScramHash {
  SHA_256("SCRAM-SHA-256", "SHA-256", "HmacSHA256", "PBKDF2WithHmacSHA256", 32),
  SHA_512("SCRAM-SHA-512", "SHA-512", "HmacSHA512", "PBKDF2WithHmacSHA512", 64);

  /** Key derivations (PBKDF2 runs) this process has made, for the metric of the same name. */
  private static final LongAdder DERIVATIONS = new LongAdder();

  private final String mechanism;
  private final String digest;
  private final String mac;
  private final String pbkdf2;
  private final int length;

  ScramHash(String mechanism, String digest, String mac, String pbkdf2, int length) {
    this.mechanism = mechanism;
    this.digest = digest;
    this.mac = mac;
    this.pbkdf2 = pbkdf2;
    this.length = length;
  }

  /** The SASL mechanism name, e.g. {@code SCRAM-SHA-256}. */
  public String mechanism() {
    return mechanism;
  }

  /** Output length in bytes. */
  public int length() {
    return length;
  }

  /** {@code Hi(password, salt, iterations)}: PBKDF2 with this hash's HMAC. */
  public byte[] saltedPassword(char[] password, byte[] salt, int iterations) {
    DERIVATIONS.increment();
    try {
      KeySpec spec = new PBEKeySpec(password, salt, iterations, length * 8);
      return SecretKeyFactory.getInstance(pbkdf2).generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(pbkdf2 + " missing from the JDK", e);
    }
  }

  /** {@code HMAC(key, data)}. */
  public byte[] hmac(byte[] key, byte[] data) {
    try {
      Mac m = Mac.getInstance(mac);
      m.init(new SecretKeySpec(key, mac));
      return m.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(mac + " missing from the JDK", e);
    }
  }

  /** {@code H(data)}. */
  public byte[] hash(byte[] data) {
    try {
      return MessageDigest.getInstance(digest).digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(digest + " missing from the JDK", e);
    }
  }

  /**
   * Key derivations this process has made: each is {@code iterations} HMACs, the work a password
   * check costs, so a login for an unknown user must add as many as one with a wrong password.
   */
  public static long derivations() {
    return DERIVATIONS.sum();
  }

  /** The hash a SASL mechanism name stands for, or {@code null}. */
  public static ScramHash forMechanism(String name) {
    for (ScramHash h : values()) {
      if (h.mechanism.equals(name)) {
        return h;
      }
    }
    return null;
  }
}
