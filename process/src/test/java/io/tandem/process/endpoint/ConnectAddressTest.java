package io.tandem.process.endpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ConnectAddressTest {

  @Test
  void shouldConnectToEveryWildcardOnIpv4Loopback() {
    for (String wildcard :
        new String[] {"0.0.0.0", "::", "[::]", "*", "", "0:0:0:0:0:0:0:0", "0::0", " :: "}) {
      assertEquals("127.0.0.1", ConnectAddress.of(wildcard), "'" + wildcard + "'");
    }
  }

  @Test
  void shouldConnectToAnyOtherAddressAsWritten() {
    assertEquals("127.0.0.1", ConnectAddress.of("127.0.0.1"));
    assertEquals("::1", ConnectAddress.of("[::1]"));
    assertEquals("fe80::1", ConnectAddress.of("fe80::1"));
    assertEquals("10.0.0.0", ConnectAddress.of("10.0.0.0"));
    assertEquals("mq1.example.com", ConnectAddress.of("mq1.example.com"));
  }

  @Test
  void shouldBracketIpv6AddressesForUris() {
    assertEquals("[::1]", ConnectAddress.forUri("::1"));
    assertEquals("127.0.0.1", ConnectAddress.forUri("127.0.0.1"));
  }
}
