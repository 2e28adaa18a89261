package io.tandem.process.endpoint;

import java.util.Locale;

/**
 * Where a local client connects to reach a listener: a wildcard listen address means "connect on
 * loopback", any other address is connected to as written.
 *
 * <p>Every wildcard, IPv6 {@code ::} included, is reached on {@code 127.0.0.1}. A Java listener
 * (the JDK's sockets and Netty's, NIO and epoll alike) bound to {@code ::} is dual-stack: it clears
 * {@code IPV6_V6ONLY}, so it accepts IPv4 connections on 127.0.0.1 as well as IPv6 ones on {@code
 * ::1}. And on a host without IPv6 the JDK binds {@code ::} as {@code 0.0.0.0}, where {@code ::1}
 * does not exist. So 127.0.0.1 reaches a wildcard listener on every host; {@code ::1} fails on
 * some.
 */
public final class ConnectAddress {
  /** Where a wildcard listener is reached. */
  public static final String LOOPBACK = "127.0.0.1";

  private ConnectAddress() {}

  /**
   * The host to connect to for a listener on {@code listenHost} (as written in configuration, with
   * or without brackets): {@link #LOOPBACK} for {@code 0.0.0.0}, {@code ::} (in any spelling),
   * {@code *} or an empty host; otherwise the host itself, without brackets. Never a name lookup.
   */
  public static String of(String listenHost) {
    String host = listenHost.strip();
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return isWildcard(host) ? LOOPBACK : host;
  }

  /** {@code host} as a URI writes it: an IPv6 address in brackets. */
  public static String forUri(String host) {
    return host.indexOf(':') >= 0 ? "[" + host + "]" : host;
  }

  /** Whether {@code host} (without brackets) is a wildcard address. */
  public static boolean isWildcard(String host) {
    if (host.isEmpty() || host.equals("*") || host.equals("0.0.0.0")) {
      return true;
    }
    if (host.indexOf(':') < 0) {
      return false;
    }
    // every IPv6 spelling of the unspecified address (::, 0::0, 0:0:0:0:0:0:0:0) has only zeros
    String digits = host.toLowerCase(Locale.ROOT).replace(":", "").replace("0", "");
    return digits.isEmpty() && host.contains("::") || host.matches("(0{1,4}:){7}0{1,4}");
  }
}
