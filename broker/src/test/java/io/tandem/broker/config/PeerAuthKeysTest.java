package io.tandem.broker.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.broker.BrokerException;
import io.tandem.testing.DocBlocks;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code authorization}, {@code password} and {@code password_file} for the FT peers. */
class PeerAuthKeysTest {
  private static final String PAIR =
      "server = pair\nft_active = amqp://peer:5672\nusers = users.conf\n";

  @TempDir Path dir;

  private BrokerConfig load(String text) throws Exception {
    Files.writeString(dir.resolve("users.conf"), "pair:{scram}x\n");
    Path f = dir.resolve("tandem.conf");
    Files.writeString(f, text);
    return ConfigLoader.load(f);
  }

  private String error(String text) {
    BrokerException e = assertThrows(BrokerException.class, () -> load(text));
    assertEquals(BrokerException.Category.CONFIG, e.category());
    return e.getMessage();
  }

  @Test
  void shouldReadAnInlinePasswordAndKeepItOutOfToString() throws Exception {
    BrokerConfig c = load(PAIR + "authorization = enabled\npassword = S3cret!$%^&*()\n");
    assertTrue(c.peerAuth().required());
    assertEquals("S3cret!$%^&*()", c.peerAuth().password());
    assertFalse(c.peerAuth().toString().contains("S3cret"), c.peerAuth().toString());
  }

  @Test
  void shouldRefuseAHashOnAPasswordLineRatherThanCutThePasswordShort() {
    String msg = error(PAIR + "authorization = enabled\npassword = ab#cd\n");
    assertTrue(msg.contains("tandem.conf:5: a password line may not hold '#'"), msg);
    assertTrue(error(PAIR + "password = abcd  # the pair\n").contains("may not hold '#'"));
  }

  @Test
  void shouldReadAnyCharactersFromPasswordFileWithoutItsLineEnd() throws Exception {
    Files.writeString(dir.resolve("pw"), " a#b c:d \n");
    BrokerConfig c = load(PAIR + "authorization = enabled\npassword_file = pw\n");
    assertEquals(" a#b c:d ", c.peerAuth().password());
    Files.writeString(dir.resolve("pw2"), "one\ntwo\n");
    assertTrue(error(PAIR + "password_file = pw2\n").contains("must hold one line"));
    Files.writeString(dir.resolve("empty"), "\n");
    assertTrue(error(PAIR + "password_file = empty\n").contains("the password is empty"));
    assertTrue(error(PAIR + "password_file = missing\n").contains("does not exist"));
  }

  @Test
  void shouldRefuseBothPasswordKeysAndAnAuthenticatingPairWithoutThem() {
    assertTrue(
        error(PAIR + "password = a\npassword_file = pw\n")
            .contains("tandem.conf:5: set either password or password_file, not both"));
    assertTrue(
        error(PAIR + "authorization = enabled\n")
            .contains("tandem.conf:4: authorization = enabled with ft_active needs password"));
    assertTrue(
        error("ft_active = amqp://peer:5672\nauthorization = enabled\npassword = x\n")
            .contains("tandem.conf:2: authorization = enabled needs a users file"));
    assertTrue(error(PAIR + "authorization = maybe\n").contains("is not a boolean"));
  }

  @Test
  void shouldLoadTheDocumentedPeerAuthenticationExamples() throws Exception {
    Files.writeString(dir.resolve("ft.password"), "a#long random-password\n");
    String security = DocBlocks.read(Path.of("../docs/security.md"), "conf-ft-auth").get(0);
    BrokerConfig c = loadAs(security);
    assertTrue(c.peerAuth().required());
    assertEquals("a#long random-password", c.peerAuth().password());
    Path ft = Path.of("../docs/fault-tolerance.md");
    String host = DocBlocks.read(ft, "conf-ft-a").get(0);
    String keys = DocBlocks.read(ft, "conf-ft-auth-keys").get(0);
    assertEquals("a#long random-password", loadAs(host + keys).peerAuth().password());
  }

  private BrokerConfig loadAs(String text) throws Exception {
    Files.writeString(dir.resolve("users.conf"), "orders:{scram}x\n");
    Path f = dir.resolve("tandem.conf");
    Files.writeString(f, text.replaceAll("store = \\S+", "store = store"));
    return ConfigLoader.load(f);
  }

  @Test
  void shouldNotRequireAPasswordWithoutAuthorizationOrWithoutAPair() throws Exception {
    assertFalse(load(PAIR).peerAuth().required());
    assertTrue(load("authorization = enabled\nusers = users.conf\n").peerAuth().required());
  }
}
