package io.tandem.broker.ft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Coverage-guided fuzzing of the peer protocol's line parser. The bytes reach it as the peer
 * pipeline delivers them: at most {@link PeerLine#MAX_LENGTH} bytes decoded as US-ASCII (the
 * backup's side reads UTF-8, so that decoding is parsed too). Seeds: {@code
 * PeerLineFuzzTestInputs/}; see docs/fuzzing.md.
 */
class PeerLineFuzzTest {
  private static final List<String> VERBS =
      List.of(
          PeerLine.HELLO,
          PeerLine.WELCOME,
          PeerLine.REFUSED,
          PeerLine.HEARTBEAT,
          PeerLine.AUTH,
          PeerLine.CHALLENGE,
          PeerLine.PROOF,
          PeerLine.VERIFIED);

  @FuzzTest(maxDuration = "15s")
  void anyLineParsesToAKnownVerbOrToNothing(byte[] input) {
    byte[] line = Arrays.copyOf(input, Math.min(input.length, PeerLine.MAX_LENGTH));
    check(new String(line, StandardCharsets.US_ASCII));
    check(new String(line, StandardCharsets.UTF_8));
  }

  private static void check(String text) {
    Optional<PeerLine> parsed = PeerLine.parse(text);
    if (parsed.isEmpty()) {
      return;
    }
    PeerLine line = parsed.get();
    assertTrue(VERBS.contains(line.verb()), line.verb());
    assertEquals(line.args().strip(), line.args(), "arguments are stripped");
    for (int i = 0; i < 4; i++) {
      line.arg(i).ifPresent(a -> assertFalse(a.isEmpty() || a.contains(" "), "argument " + a));
    }
    // what a peer sends is parsed back to the same line
    String resent = line.args().isEmpty() ? line.verb() : line.verb() + " " + line.args();
    assertEquals(parsed, PeerLine.parse(resent + "\n"));
  }
}
