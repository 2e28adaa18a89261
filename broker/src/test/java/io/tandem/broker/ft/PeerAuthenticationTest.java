package io.tandem.broker.ft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.broker.security.StoredPassword;
import java.security.SecureRandom;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The crosswise SCRAM exchange of the FT peers and the seal on the lines after it. */
class PeerAuthenticationTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  private static PeerCredentials member(String password, String stored) {
    StoredPassword entry =
        StoredPassword.derive(stored.toCharArray(), StoredPassword.MIN_ITERATIONS, RANDOM);
    return new PeerCredentials("pair", password, entry);
  }

  private static PeerLine line(String text) {
    return PeerLine.parse(text).orElseThrow();
  }

  /** Runs the whole exchange; the two halves (each has its own users entry: its own salt). */
  private record Run(PeerAuthentication.Backup backup, PeerAuthentication.Primary primary) {}

  private static Run run(PeerCredentials b, PeerCredentials p) {
    PeerAuthentication.Backup backup = PeerAuthentication.backup(b);
    PeerAuthentication.Primary primary = PeerAuthentication.primary(p);
    String challenge = primary.challenge(line(backup.start()));
    assertNotNull(challenge, primary.failure());
    String proof = backup.answer(line(challenge));
    assertNotNull(proof, backup.failure());
    String verified = primary.verify(line(proof));
    if (verified != null) {
      backup.check(line(verified));
    }
    return new Run(backup, primary);
  }

  @Test
  void shouldAuthenticateBothWaysAndAgreeOnTheSeal() {
    Run r = run(member("s3cret", "s3cret"), member("s3cret", "s3cret"));
    assertNull(r.backup().failure());
    assertNull(r.primary().failure());
    LineSeal b = r.backup().seal();
    LineSeal p = r.primary().seal();
    String hello = b.seal(PeerLine.hello("pair", "id-1"));
    assertEquals(Optional.of("HELLO pair id-1"), p.open(strip(hello)));
    String beat = p.seal(PeerLine.heartbeat());
    assertEquals(Optional.of("HEARTBEAT"), b.open(strip(beat)));
  }

  @Test
  void shouldNeverSendThePasswordOnAnyLine() {
    PeerAuthentication.Backup backup = PeerAuthentication.backup(member("Pa55-word", "Pa55-word"));
    PeerAuthentication.Primary primary =
        PeerAuthentication.primary(member("Pa55-word", "Pa55-word"));
    String a = backup.start();
    String c = primary.challenge(line(a));
    String p = backup.answer(line(c));
    String v = primary.verify(line(p));
    for (String l : new String[] {a, c, p, v}) {
      assertFalse(l.contains("Pa55-word"), l);
      assertTrue(l.length() < PeerLine.MAX_LENGTH, l);
    }
  }

  @Test
  void shouldRefuseABackupWithTheWrongPasswordAndNotProveThePrimaryToIt() {
    PeerAuthentication.Backup backup = PeerAuthentication.backup(member("guess", "guess"));
    PeerAuthentication.Primary primary = PeerAuthentication.primary(member("s3cret", "s3cret"));
    String proof = backup.answer(line(primary.challenge(line(backup.start()))));
    assertNull(primary.verify(line(proof)), "no VERIFIED line for a wrong proof");
    assertTrue(primary.failure().contains("proof of the password failed"), primary.failure());
    assertNull(primary.seal());
  }

  @Test
  void shouldRefuseAPrimaryWhoseOwnProofFails() {
    // the impostor holds the pair's stored form (a stolen users file) but not the password
    StoredPassword stolen =
        StoredPassword.derive("s3cret".toCharArray(), StoredPassword.MIN_ITERATIONS, RANDOM);
    PeerCredentials impostor = new PeerCredentials("pair", "guess", stolen);
    Run r = run(member("s3cret", "s3cret"), impostor);
    assertNull(r.backup().seal(), "the backup does not pair");
    assertTrue(r.backup().failure().contains("the primary's proof"), r.backup().failure());
  }

  @Test
  void shouldRefuseAReplayedBackupExchange() {
    PeerCredentials p = member("s3cret", "s3cret");
    PeerCredentials b = member("s3cret", "s3cret");
    // a complete, successful exchange, captured
    PeerAuthentication.Backup backup = PeerAuthentication.backup(b);
    String auth = backup.start();
    PeerAuthentication.Primary first = PeerAuthentication.primary(p);
    String proof = backup.answer(line(first.challenge(line(auth))));
    assertNotNull(first.verify(line(proof)));
    // replayed to the primary: its new nonce makes the old proof worthless
    PeerAuthentication.Primary again = PeerAuthentication.primary(p);
    assertNotNull(again.challenge(line(auth)));
    assertNull(again.verify(line(proof)));
    assertTrue(again.failure().contains("nonce mismatch"), again.failure());
  }

  @Test
  void shouldRefuseAReplayedPrimaryExchange() {
    PeerCredentials p = member("s3cret", "s3cret");
    PeerCredentials b = member("s3cret", "s3cret");
    PeerAuthentication.Backup captured = PeerAuthentication.backup(b);
    PeerAuthentication.Primary primary = PeerAuthentication.primary(p);
    String challenge = primary.challenge(line(captured.start()));
    String verified = primary.verify(line(captured.answer(line(challenge))));
    // a fake primary replays the captured lines to a new backup session
    PeerAuthentication.Backup fresh = PeerAuthentication.backup(b);
    fresh.start();
    assertNull(fresh.answer(line(challenge)), "a captured challenge does not extend a new nonce");
    assertFalse(fresh.check(line(verified)));
    assertNull(fresh.seal());
  }

  @Test
  void shouldRefuseABackupOfAnotherNameOrAnotherVerb() {
    PeerAuthentication.Primary primary = PeerAuthentication.primary(member("s3cret", "s3cret"));
    PeerAuthentication.Backup other =
        PeerAuthentication.backup(
            new PeerCredentials(
                "other",
                "s3cret",
                StoredPassword.derive(
                    "s3cret".toCharArray(), StoredPassword.MIN_ITERATIONS, RANDOM)));
    assertNull(primary.challenge(line(other.start())));
    assertTrue(primary.failure().startsWith("server names differ"), primary.failure());
    PeerAuthentication.Primary fresh = PeerAuthentication.primary(member("s3cret", "s3cret"));
    assertNull(fresh.challenge(line("HELLO pair -")));
    assertNull(
        PeerAuthentication.backup(member("a", "a")).answer(line("WELCOME pair 7")),
        "a fake primary's WELCOME is no challenge");
  }

  @Test
  void shouldRejectForgedReplayedOrReflectedSealedLines() {
    Run r = run(member("s3cret", "s3cret"), member("s3cret", "s3cret"));
    LineSeal b = r.backup().seal();
    LineSeal p = r.primary().seal();
    String first = strip(p.seal(PeerLine.heartbeat()));
    assertTrue(b.open(first).isPresent());
    assertTrue(b.open(first).isEmpty(), "the same line again (replay) fails");
    LineSeal b2 = run(member("s3cret", "s3cret"), member("s3cret", "s3cret")).backup().seal();
    assertTrue(b2.open(strip(p.seal(PeerLine.heartbeat()))).isEmpty(), "another exchange's key");
    String own = strip(b.seal(PeerLine.heartbeat()));
    assertTrue(b.open(own).isEmpty(), "a line reflected back to its sender fails");
    assertTrue(p.open("HEARTBEAT").isEmpty(), "a line without a seal fails");
    String welcome = strip(p.seal(PeerLine.welcome("pair", 3)));
    assertTrue(b.open(welcome.replace(" 3 ", " 4 ")).isEmpty(), "an altered line fails");
  }

  @Test
  void shouldSurviveMalformedScramMessages() {
    PeerAuthentication.Primary primary = PeerAuthentication.primary(member("s3cret", "s3cret"));
    assertNull(primary.challenge(line("AUTH pair garbage")));
    PeerAuthentication.Backup backup = PeerAuthentication.backup(member("s3cret", "s3cret"));
    backup.start();
    assertNull(backup.answer(line("CHALLENGE r=x,s=!!,i=zz n,,n=pair,r=abc")));
    PeerAuthentication.Primary p2 = PeerAuthentication.primary(member("s3cret", "s3cret"));
    PeerAuthentication.Backup b2 = PeerAuthentication.backup(member("s3cret", "s3cret"));
    p2.challenge(line(b2.start()));
    assertNull(p2.verify(line("PROOF c=biws,r=1,p=%% x")));
    assertNull(p2.verify(line("PROOF only-one")));
  }

  private static String strip(String line) {
    return line.substring(0, line.length() - 1);
  }
}
