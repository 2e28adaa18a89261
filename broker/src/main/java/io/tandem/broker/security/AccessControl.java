package io.tandem.broker.security;

import io.tandem.broker.config.SecurityConfig;
import java.nio.file.Path;
import java.util.Set;

/**
 * The one rule for what an authenticated user may do, as EMS applies it: with authorization
 * disabled everything is allowed; with it enabled, a destination without the {@code secure}
 * property is open to every authenticated user, and a secure one only to users granted the
 * permission in acl.conf, directly or through one of their groups.
 */
public final class AccessControl {
  private final boolean enabled;
  private final Users users;
  private final Groups groups;
  private final Acl acl;

  private AccessControl(boolean enabled, Users users, Groups groups, Acl acl) {
    this.enabled = enabled;
    this.users = users;
    this.groups = groups;
    this.acl = acl;
  }

  /** Authorization disabled, no users: anyone may do anything. */
  public static AccessControl open() {
    return new AccessControl(false, Users.none(), Groups.none(), Acl.none());
  }

  /**
   * Reads the files named by the configuration (each may be {@code null}); errors name file and
   * line.
   *
   * @param enabled {@code authorization = enabled}: only the salted stored password form is read
   */
  public static AccessControl load(boolean enabled, Path usersFile, Path groupsFile, Path aclFile) {
    Users users = usersFile == null ? Users.none() : Users.load(usersFile, enabled);
    Groups groups = groupsFile == null ? Groups.none() : Groups.load(groupsFile);
    Acl acl = aclFile == null ? Acl.none() : Acl.load(aclFile, users, groups);
    return new AccessControl(enabled, users, groups, acl);
  }

  /** Reads the files {@code config} names; errors name file and line. */
  public static AccessControl load(SecurityConfig config) {
    return load(config.authorization(), config.users(), config.groups(), config.aclList());
  }

  /** Whether {@code authorization = enabled}. */
  public boolean enabled() {
    return enabled;
  }

  public Users users() {
    return users;
  }

  public Groups groups() {
    return groups;
  }

  /**
   * Whether {@code user} may use {@code destination} (a name, or a wildcard subscription's pattern)
   * for {@code permission}.
   *
   * @param secure whether the destination has the {@code secure} property
   */
  public boolean permits(String user, Permission permission, String destination, boolean secure) {
    if (permission.scope() == Permission.Scope.ADMIN) {
      throw new IllegalArgumentException(permission + " is an admin permission");
    }
    if (!enabled || !secure) {
      return true;
    }
    return user != null && acl.grants(user, groups.of(user), permission, destination);
  }

  /**
   * Whether {@code user} holds the admin permission: granted in acl.conf ({@code all} holds every
   * one) or a member of {@link Groups#ADMIN_GROUP}. Not relaxed when authorization is disabled: the
   * admin endpoint decides what it asks for in that mode.
   */
  public boolean permitsAdmin(String user, Permission permission) {
    if (permission.scope() != Permission.Scope.ADMIN) {
      throw new IllegalArgumentException(permission + " is not an admin permission");
    }
    if (user == null) {
      return false;
    }
    Set<String> of = groups.of(user);
    return of.contains(Groups.ADMIN_GROUP) || acl.grants(user, of, permission, null);
  }
}
