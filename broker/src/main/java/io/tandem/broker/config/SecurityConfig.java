package io.tandem.broker.config;

import java.nio.file.Path;

/**
 * The security model's files and switch: {@code authorization}, {@code groups}, {@code acl_list}
 * ({@code users} stays {@link BrokerConfig#users()}).
 *
 * @param authorization {@code authorization = enabled}
 * @param groups the groups file, or {@code null}
 * @param aclList the access control list, or {@code null}
 */
public record SecurityConfig(boolean authorization, Path groups, Path aclList) {
  /** Authorization disabled, no groups, no acl. */
  public static SecurityConfig none() {
    return new SecurityConfig(false, null, null);
  }
}
