package io.tandem.broker.config;

import java.nio.file.Path;

/**
 * Authentication and authorization on the AMQP port: the {@code authorization}, {@code users},
 * {@code groups}, {@code acl_list} and {@code allow_plain_without_tls} keys of {@code tandem.conf}.
 *
 * @param authorization {@code authorization = enabled}: only authenticated users connect and
 *     permissions are checked on {@code secure} destinations
 * @param users the users file, or {@code null}: then clients need not authenticate
 * @param groups the groups file, or {@code null}
 * @param aclList the access control list, or {@code null}
 * @param allowPlainWithoutTls whether SASL PLAIN, which sends the password as it is, is offered on
 *     a connection without TLS
 */
public record SecurityConfig(
    boolean authorization, Path users, Path groups, Path aclList, boolean allowPlainWithoutTls) {

  /** No users, no authorization, PLAIN only over TLS: the defaults. */
  public static final SecurityConfig DEFAULTS = new SecurityConfig(false, null, null, null, false);

  /** The defaults. */
  public static SecurityConfig none() {
    return DEFAULTS;
  }
}
