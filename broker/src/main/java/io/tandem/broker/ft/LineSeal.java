package io.tandem.broker.ft;

import io.tandem.broker.security.ScramHash;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;

/**
 * Binds the lines after the peer authentication to it: each line ends with an HMAC, under the key
 * both members derived from the exchange, of its direction, its number in that direction and its
 * text. A line that was forged, altered, replayed, reordered or reflected back fails to open, so an
 * on-path attacker without the key can neither inject heartbeats nor keep a dead link looking
 * alive. Without authentication ({@link #none}) lines pass unchanged.
 */
final class LineSeal {
  private static final ScramHash HASH = ScramHash.SHA_256;
  private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
  private static final LineSeal NONE = new LineSeal(null, ' ', ' ');

  private final byte[] key;
  private final char sending;
  private final char receiving;
  private long sent;
  private long received;

  private LineSeal(byte[] key, char sending, char receiving) {
    this.key = key;
    this.sending = sending;
    this.receiving = receiving;
  }

  /** Lines pass unchanged: the pair does not authenticate. */
  static LineSeal none() {
    return NONE;
  }

  /** The seal of one end of an authenticated link. */
  static LineSeal of(byte[] key, boolean backupSide) {
    return backupSide ? new LineSeal(key.clone(), 'B', 'P') : new LineSeal(key.clone(), 'P', 'B');
  }

  /** Whether lines carry a seal. */
  boolean active() {
    return key != null;
  }

  /** {@code line} (ending in a newline) with its seal; the next line sent is the next number. */
  String seal(String line) {
    if (key == null) {
      return line;
    }
    String text = line.endsWith("\n") ? line.substring(0, line.length() - 1) : line;
    return text + " " + mac(sending, sent++, text) + "\n";
  }

  /**
   * The text of a received line (without its newline) with its seal removed, or empty when the seal
   * is missing or wrong; after that the link must be closed, since the numbering is lost.
   */
  Optional<String> open(String line) {
    if (key == null) {
      return Optional.of(line);
    }
    String text = line.strip();
    int space = text.lastIndexOf(' ');
    if (space < 0) {
      return Optional.empty();
    }
    String body = text.substring(0, space);
    byte[] given = text.substring(space + 1).getBytes(StandardCharsets.US_ASCII);
    byte[] expected = mac(receiving, received, body).getBytes(StandardCharsets.US_ASCII);
    if (!MessageDigest.isEqual(given, expected)) {
      return Optional.empty();
    }
    received++;
    return Optional.of(body);
  }

  private String mac(char direction, long number, String text) {
    byte[] data = (direction + " " + number + " " + text).getBytes(StandardCharsets.US_ASCII);
    return B64.encodeToString(HASH.hmac(key, data));
  }
}
