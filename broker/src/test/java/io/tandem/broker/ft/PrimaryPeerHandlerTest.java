package io.tandem.broker.ft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.tandem.broker.security.StoredPassword;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The primary's side of the peer protocol in an {@link EmbeddedChannel}, with a fake clock: who is
 * refused, what a refusal says, and that only an authenticated backup shows as the peer.
 */
class PrimaryPeerHandlerTest {
  private static final StoredPassword ENTRY =
      StoredPassword.derive(
          "s3cret".toCharArray(), StoredPassword.MIN_ITERATIONS, new SecureRandom());

  private final AtomicLong now = new AtomicLong();
  private final PeerStatus status = new PeerStatus(now::get);

  private EmbeddedChannel primary(boolean authenticate) {
    PeerCredentials creds = new PeerCredentials("pair", "s3cret", ENTRY);
    PeerAcceptor acceptor =
        new PeerAcceptor(
            "pair",
            "store-4f2a",
            7,
            Duration.ofMillis(200),
            Duration.ofSeconds(1),
            status,
            now::get,
            authenticate ? () -> creds : null);
    EmbeddedChannel ch = new EmbeddedChannel();
    acceptor.initPeerChannel(ch.pipeline());
    return ch;
  }

  private static void send(EmbeddedChannel ch, String line) {
    ch.writeInbound(Unpooled.copiedBuffer(line, StandardCharsets.US_ASCII));
  }

  private static String reply(EmbeddedChannel ch) {
    Object o = ch.readOutbound();
    assertNotNull(o, "an answer");
    String s =
        o instanceof String str
            ? str
            : ((io.netty.buffer.ByteBuf) o).toString(StandardCharsets.US_ASCII);
    return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
  }

  private boolean connected() {
    return (Boolean) status.describe().get("peer_connected");
  }

  @Test
  void shouldNotEchoTheStoreIdWhenRefusingAnotherStore() {
    EmbeddedChannel ch = primary(false);
    send(ch, PeerLine.hello("pair", "store-0000"));
    String r = reply(ch);
    assertTrue(r.startsWith("REFUSED store identity differs"), r);
    assertFalse(r.contains("store-4f2a") || r.contains("store-0000"), r);
    assertFalse(ch.isOpen());
    assertFalse(connected());
  }

  @Test
  void shouldRefuseAPlainHelloWhenAuthenticationIsRequired() {
    EmbeddedChannel ch = primary(true);
    send(ch, PeerLine.hello("pair", "store-4f2a"));
    String r = reply(ch);
    assertTrue(r.startsWith("REFUSED the backup does not authenticate"), r);
    assertFalse(r.contains("store-4f2a"), r);
    assertFalse(connected(), "an unauthenticated peer never shows as the peer");
  }

  @Test
  void shouldRefuseAWrongPasswordWithoutShowingItAsThePeer() {
    EmbeddedChannel ch = primary(true);
    PeerAuthentication.Backup impostor =
        PeerAuthentication.backup(new PeerCredentials("pair", "guess", ENTRY));
    send(ch, impostor.start());
    String proof = impostor.answer(PeerLine.parse(reply(ch)).orElseThrow());
    send(ch, proof);
    assertEquals("REFUSED authentication failed", reply(ch));
    assertFalse(ch.isOpen());
    assertFalse(connected());
  }

  @Test
  void shouldPairAnAuthenticatedBackupAndSealEveryLine() {
    EmbeddedChannel ch = primary(true);
    PeerAuthentication.Backup backup =
        PeerAuthentication.backup(new PeerCredentials("pair", "s3cret", ENTRY));
    send(ch, backup.start());
    send(ch, backup.answer(PeerLine.parse(reply(ch)).orElseThrow()));
    assertTrue(backup.check(PeerLine.parse(reply(ch)).orElseThrow()), backup.failure());
    assertFalse(connected(), "not the peer before its sealed HELLO");
    LineSeal seal = backup.seal();
    send(ch, seal.seal(PeerLine.hello("pair", "store-4f2a")));
    assertEquals("WELCOME pair 7", seal.open(reply(ch)).orElseThrow());
    assertTrue(connected());
    // an unsealed heartbeat (injected by someone without the key) closes the link
    send(ch, PeerLine.heartbeat());
    assertFalse(ch.isOpen());
    assertFalse(connected());
  }

  @Test
  void shouldCloseAnAuthenticatedBackupSilentForFtActivation() {
    EmbeddedChannel ch = primary(true);
    PeerAuthentication.Backup backup =
        PeerAuthentication.backup(new PeerCredentials("pair", "s3cret", ENTRY));
    send(ch, backup.start());
    send(ch, backup.answer(PeerLine.parse(reply(ch)).orElseThrow()));
    backup.check(PeerLine.parse(reply(ch)).orElseThrow());
    LineSeal seal = backup.seal();
    send(ch, seal.seal(PeerLine.hello("pair", "store-4f2a")));
    seal.open(reply(ch)).orElseThrow();
    for (int i = 0; i < 3; i++) {
      now.addAndGet(Duration.ofMillis(200).toNanos());
      ch.advanceTimeBy(200, TimeUnit.MILLISECONDS);
      ch.runScheduledPendingTasks();
      send(ch, seal.seal(PeerLine.heartbeat()));
      assertEquals("HEARTBEAT", seal.open(reply(ch)).orElseThrow());
    }
    assertTrue(ch.isOpen());
    now.addAndGet(Duration.ofMillis(1_200).toNanos());
    ch.advanceTimeBy(200, TimeUnit.MILLISECONDS);
    ch.runScheduledPendingTasks();
    assertFalse(ch.isOpen(), "silent past ft_activation");
  }
}
