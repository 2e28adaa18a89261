package io.tandem.broker.admin;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Which {@code Host} headers the admin endpoint answers: the admin_listen host, loopback names and
 * addresses, this machine's host names and interface addresses, and {@code admin_hostnames}. A page
 * that rebinds its own DNS name to this host's address still sends its own name as the Host, so it
 * is refused. An address literal can only be the Host of a page served from that address, so this
 * machine's addresses are safe to accept. A request without a Host header (HTTP/1.0) comes from no
 * browser and is answered.
 */
final class HostCheck {
  private static final Logger LOG = Logger.getLogger(HostCheck.class.getName());

  private final Set<String> names = new HashSet<>();

  HostCheck(String listenHost, List<String> configured) {
    names.add(listenHost.toLowerCase(Locale.ROOT));
    names.addAll(List.of("localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"));
    names.addAll(configured);
    try {
      InetAddress local = InetAddress.getLocalHost();
      names.add(local.getHostName().toLowerCase(Locale.ROOT));
      names.add(local.getCanonicalHostName().toLowerCase(Locale.ROOT));
    } catch (UnknownHostException e) {
      LOG.warning(
          "admin endpoint: this machine's host name does not resolve ("
              + e.getMessage()
              + "); list the names clients use in admin_hostnames");
    }
  }

  /** Whether a request with this {@code Host} header (null when absent) is answered. */
  boolean allows(String header) {
    if (header == null) {
      return true;
    }
    String host = hostPart(header.strip().toLowerCase(Locale.ROOT));
    if (host.endsWith(".")) {
      host = host.substring(0, host.length() - 1);
    }
    if (names.contains(host)) {
      return true;
    }
    return isAddressLiteral(host) && isLocalAddress(host);
  }

  /** The host of {@code host[:port]} or {@code [v6][:port]}. */
  private static String hostPart(String header) {
    if (header.startsWith("[")) {
      int end = header.indexOf(']');
      return end < 0 ? header : header.substring(1, end);
    }
    int colon = header.indexOf(':');
    return colon < 0 || header.indexOf(':', colon + 1) >= 0 ? header : header.substring(0, colon);
  }

  private static boolean isAddressLiteral(String host) {
    return host.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}")
        || host.matches("[0-9a-f.]*:[0-9a-f:.]*(%[0-9a-z]+)?");
  }

  /** A loopback address or one of this machine's interfaces; never a name lookup. */
  private static boolean isLocalAddress(String literal) {
    try {
      InetAddress a = InetAddress.getByName(literal);
      return a.isLoopbackAddress() || NetworkInterface.getByInetAddress(a) != null;
    } catch (UnknownHostException | SocketException e) {
      return false;
    }
  }
}
