package io.tandem.broker.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.api.Test;

class CertificateUserTest {
  private static String user(String subject) {
    return CertificateUser.of(new X500Principal(subject));
  }

  @Test
  void shouldTakeTheSubjectsCommonName() {
    assertEquals("alice", user("CN=alice, OU=Orders, O=Example, C=GB"));
    assertEquals("svc.orders", user("O=Example, CN=svc.orders"));
  }

  @Test
  void shouldNameNoUserForNoneSeveralOrAnUnusableCommonName() {
    assertNull(user("OU=Orders, O=Example"));
    assertNull(user("CN=alice, CN=admin, O=Example"));
    assertNull(user("CN=alice+UID=42, O=Example"));
    assertNull(user("CN=alice smith, O=Example"));
    assertNull(user("CN=ali:ce"));
  }
}
