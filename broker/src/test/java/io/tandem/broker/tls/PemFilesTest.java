package io.tandem.broker.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.broker.BrokerException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading PEM certificate chains and keys in the forms operators have them. */
class PemFilesTest {
  @TempDir Path dir;

  @Test
  void shouldReadChainWithLeafFirst() {
    TestPki pki = TestPki.create(dir, "ca");
    TestPki.Issued server = pki.issue("server");
    var chain = PemFiles.certificates(server.cert());
    assertEquals(2, chain.size());
    assertEquals(server.certificate(), chain.get(0));
  }

  @Test
  void shouldReadPkcs8EncryptedPkcs8AndTraditionalKeys() throws Exception {
    TestPki pki = TestPki.create(dir, "ca");
    for (TestPki.KeyFormat f : TestPki.KeyFormat.values()) {
      String pw = f == TestPki.KeyFormat.PKCS8_ENCRYPTED ? "s3cret" : null;
      TestPki.Issued id = pki.issue("ec-" + f, "ec", List.of("localhost"), Instant.now(), 1, f, pw);
      Identity loaded = Identity.load(id.cert(), id.key(), pw);
      assertEquals(
          ((java.security.interfaces.ECPrivateKey) id.privateKey()).getS(),
          ((java.security.interfaces.ECPrivateKey) loaded.key()).getS(),
          f.name());
    }
    KeyPair rsa = TestPki.rsaKeys();
    Path pkcs1 = dir.resolve("rsa.key");
    TestPki.writeKey(pkcs1, rsa.getPrivate(), TestPki.KeyFormat.TRADITIONAL, null);
    assertTrue(Files.readString(pkcs1).contains("BEGIN RSA PRIVATE KEY"));
    PrivateKey read = PemFiles.privateKey(pkcs1, null);
    assertArrayEquals(rsa.getPrivate().getEncoded(), read.getEncoded());
  }

  @Test
  void shouldRefuseWrongOrMissingPassword() {
    TestPki pki = TestPki.create(dir, "ca");
    TestPki.Issued id =
        pki.issue(
            "enc", "enc", List.of(), Instant.now(), 1, TestPki.KeyFormat.PKCS8_ENCRYPTED, "right");
    BrokerException wrong =
        assertThrows(BrokerException.class, () -> PemFiles.privateKey(id.key(), "wrong"));
    assertTrue(wrong.getMessage().contains("wrong password"), wrong.getMessage());
    BrokerException none =
        assertThrows(BrokerException.class, () -> PemFiles.privateKey(id.key(), null));
    assertTrue(none.getMessage().contains("no password"), none.getMessage());
  }

  @Test
  void shouldRefuseKeyOfAnotherCertificate() {
    TestPki pki = TestPki.create(dir, "ca");
    TestPki.Issued a = pki.issue("a");
    TestPki.Issued b = pki.issue("b");
    BrokerException e =
        assertThrows(BrokerException.class, () -> Identity.load(a.cert(), b.key(), null));
    assertTrue(e.getMessage().contains("does not belong"), e.getMessage());
  }

  @Test
  void shouldRefuseFileWithoutCertificate() throws Exception {
    Path junk = Files.writeString(dir.resolve("junk.pem"), "not pem at all\n");
    BrokerException e = assertThrows(BrokerException.class, () -> PemFiles.certificates(junk));
    assertTrue(e.getMessage().startsWith(junk.toString()), e.getMessage());
  }
}
