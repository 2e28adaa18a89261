package io.tandem.broker.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Map;
import org.apache.qpid.jms.sasl.Mechanism;
import org.apache.qpid.jms.sasl.ScramSHA256Mechanism;
import org.apache.qpid.jms.sasl.ScramSHA512Mechanism;
import org.junit.jupiter.api.Test;

class ScramTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final byte[] SECRET = "process secret".getBytes(StandardCharsets.UTF_8);
  private static final StoredPassword ALICE =
      StoredPassword.derive("s3cret".toCharArray(), StoredPassword.MIN_ITERATIONS, RANDOM);
  private static final Map<String, StoredPassword> USERS = Map.of("alice", ALICE);

  private static ScramServer server(ScramHash h) {
    return new ScramServer(h, USERS::get, SECRET, RANDOM);
  }

  @Test
  void shouldRoundTripTheStoredFormAndMatchOnlyItsPassword() {
    StoredPassword parsed = StoredPassword.parse(ALICE.encode());
    assertEquals(ALICE, parsed);
    assertTrue(parsed.matches("s3cret".toCharArray()));
    assertFalse(parsed.matches("s3cret ".toCharArray()));
    assertFalse(ALICE.encode().contains(":") || ALICE.encode().contains("#"));
    StoredPassword other = StoredPassword.derive("s3cret".toCharArray(), 4096, RANDOM);
    assertFalse(other.encode().equals(ALICE.encode()), "a fresh salt every time");
  }

  @Test
  void shouldRefuseMalformedStoredForms() {
    for (String bad :
        new String[] {
          "s3cret",
          "{scram}",
          "{scram}12$AAAA$x$x$x$x",
          "{scram}4096$c2FsdHNhbHQ=$!!$a$b$c",
          "{scram}4096$c2FsdHNhbHQ=$YQ==$YQ==$YQ==$YQ=="
        }) {
      assertThrows(IllegalArgumentException.class, () -> StoredPassword.parse(bad), bad);
    }
  }

  @Test
  void shouldAuthenticateQpidJmsScramClientsOfBothHashes() throws Exception {
    for (ScramHash h : ScramHash.values()) {
      Mechanism client =
          h == ScramHash.SHA_256 ? new ScramSHA256Mechanism() : new ScramSHA512Mechanism();
      assertEquals(h.mechanism(), client.getName());
      client.setUsername("alice");
      client.setPassword("s3cret");
      ScramServer server = server(h);
      byte[] challenge = server.first(client.getInitialResponse());
      assertNotNull(challenge, server.failure());
      byte[] outcome = server.last(client.getChallengeResponse(challenge));
      assertNotNull(outcome, server.failure());
      assertTrue(server.succeeded());
      assertEquals("alice", server.user());
      client.getChallengeResponse(outcome);
      client.verifyCompletion(); // throws unless the server signature is right
    }
  }

  @Test
  void shouldRefuseAWrongPasswordAndAnUnknownUserAlike() throws Exception {
    for (String[] who : new String[][] {{"alice", "wrong"}, {"mallory", "s3cret"}}) {
      ScramSHA256Mechanism client = new ScramSHA256Mechanism();
      client.setUsername(who[0]);
      client.setPassword(who[1]);
      ScramServer server = server(ScramHash.SHA_256);
      byte[] challenge = server.first(client.getInitialResponse());
      assertNotNull(challenge, "an unknown user gets a challenge like a known one");
      assertTrue(
          new String(challenge, StandardCharsets.UTF_8)
              .contains(
                  ",i=" + (who[0].equals("alice") ? 4096 : StoredPassword.DEFAULT_ITERATIONS)));
      assertNull(server.last(client.getChallengeResponse(challenge)));
      assertEquals("invalid proof", server.failure());
      assertFalse(server.succeeded());
    }
  }

  @Test
  void shouldGiveAnUnknownUserTheSameSaltEveryTime() {
    ScramClient c = new ScramClient(ScramHash.SHA_256, "mallory", "x".toCharArray(), RANDOM);
    String a = new String(server(ScramHash.SHA_256).first(c.first()), StandardCharsets.UTF_8);
    String b = new String(server(ScramHash.SHA_256).first(c.first()), StandardCharsets.UTF_8);
    assertEquals(
        a.split(",")[1], b.split(",")[1], "a probe cannot tell an unknown name by a changing salt");
  }

  @Test
  void shouldRefuseAReplayedFinalMessage() {
    ScramClient client =
        new ScramClient(ScramHash.SHA_256, "alice", "s3cret".toCharArray(), RANDOM);
    byte[] first = client.first();
    ScramServer one = server(ScramHash.SHA_256);
    byte[] finalMessage = client.last(one.first(first));
    byte[] outcome = one.last(finalMessage);
    assertTrue(client.verify(outcome));
    ScramServer two = server(ScramHash.SHA_256);
    assertNotNull(two.first(first));
    assertNull(two.last(finalMessage), "a captured exchange does not work against a new nonce");
    assertEquals("nonce mismatch", two.failure());
  }

  @Test
  void shouldLetTheClientDetectAServerWithoutTheStoredPassword() {
    StoredPassword impostor = StoredPassword.derive("other".toCharArray(), 4096, RANDOM);
    ScramServer fake = new ScramServer(ScramHash.SHA_256, u -> impostor, SECRET, RANDOM);
    ScramClient client =
        new ScramClient(ScramHash.SHA_256, "alice", "s3cret".toCharArray(), RANDOM);
    byte[] last = client.last(fake.first(client.first()));
    assertNull(fake.last(last));
    assertFalse(client.verify("v=AAAA".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void shouldRefuseChannelBindingAndMalformedMessages() {
    ScramServer s = server(ScramHash.SHA_256);
    assertNull(s.first("p=tls-unique,,n=alice,r=abc".getBytes(StandardCharsets.UTF_8)));
    assertEquals("channel binding is not offered", s.failure());
    for (String bad :
        new String[] {"", "n,", "n,,x=alice", "n,,n=al=ZZice,r=abc", "n,a=bob,n=alice,r=abc"}) {
      assertNull(server(ScramHash.SHA_256).first(bad.getBytes(StandardCharsets.UTF_8)), bad);
    }
    ScramServer ok = server(ScramHash.SHA_256);
    assertNotNull(ok.first("n,,n=alice,r=abc".getBytes(StandardCharsets.UTF_8)));
    assertNull(ok.last("c=bad".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void shouldEscapeNamesAsTheRfcSays() {
    assertEquals("a=2Cb=3Dc", ScramClient.encodeName("a,b=c"));
    assertEquals("a,b=c", ScramClient.decodeName("a=2Cb=3Dc"));
    assertNull(ScramClient.decodeName("a=b"));
    assertArrayEquals(ALICE.salt(), StoredPassword.parse(ALICE.encode()).salt());
  }
}
