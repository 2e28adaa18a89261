package io.tandem.broker.security;

import io.tandem.broker.config.DestinationName;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The access control list, in EMS's acl.conf syntax: one grant per line, naming a user or a group,
 * a queue or topic pattern (wildcards as in destination names) or {@code ADMIN}, and the
 * permissions.
 *
 * <pre>
 * USER=alice   QUEUE=orders.&gt;  PERM=send,receive
 * GROUP=desks  TOPIC=prices.*  PERM=subscribe,durable,use_durable
 * USER=ops     ADMIN           PERM=view,purge
 * </pre>
 */
public final class Acl {
  private static final Logger LOG = Logger.getLogger(Acl.class.getName());

  /** One line: {@code user} or {@code group} is set, {@code pattern} is null for ADMIN. */
  record Grant(
      String user,
      String group,
      Permission.Scope scope,
      String pattern,
      Set<Permission> permissions) {}

  private final List<Grant> grants;

  private Acl(List<Grant> grants) {
    this.grants = grants;
  }

  /** No acl file: nothing is granted. */
  public static Acl none() {
    return new Acl(List.of());
  }

  /**
   * Reads {@code file}; a group not in {@code groups} is an error, a user not in {@code users} a
   * warning (it may be a certificate user, known only from its TLS subject).
   */
  public static Acl load(Path file, Users users, Groups groups) {
    List<Grant> grants = new ArrayList<>();
    for (SecurityFiles.Line line : SecurityFiles.read(file)) {
      Grant g = grant(line);
      if (g.group() != null && !groups.exists(g.group())) {
        throw line.error("group '" + g.group() + "' is not defined in the groups file");
      }
      if (g.user() != null && !users.contains(g.user())) {
        LOG.warning(
            line.file()
                + ":"
                + line.number()
                + ": user '"
                + g.user()
                + "' is not in the users file; only a certificate user of that name can use this grant");
      }
      grants.add(g);
    }
    return new Acl(List.copyOf(grants));
  }

  private static Grant grant(SecurityFiles.Line line) {
    Words w = new Words(line);
    for (String token : line.text().replaceAll("\\s*([=,])\\s*", "$1").split("\\s+")) {
      w.take(token);
    }
    if (w.user == null && w.group == null) {
      throw line.error("a line must name USER= or GROUP=");
    }
    if (w.scope == null) {
      throw line.error("a line must name QUEUE=, TOPIC= or ADMIN");
    }
    if (w.perms == null || w.perms.isEmpty()) {
      throw line.error("a line must grant PERM=...");
    }
    return new Grant(w.user, w.group, w.scope, w.pattern, permissions(line, w.scope, w.perms));
  }

  private static Set<Permission> permissions(
      SecurityFiles.Line line, Permission.Scope scope, String perms) {
    Set<Permission> set = EnumSet.noneOf(Permission.class);
    for (String p : perms.split(",", -1)) {
      Permission perm = Permission.parse(scope, p);
      if (perm == null) {
        throw line.error(
            "'"
                + p
                + "' is not a "
                + scope.name().toLowerCase(Locale.ROOT)
                + " permission (allowed: "
                + String.join(", ", Permission.names(scope))
                + ")");
      }
      set.addAll(Permission.expand(perm));
    }
    return Set.copyOf(set);
  }

  /** The words of one line as they are read. */
  private static final class Words {
    private final SecurityFiles.Line line;
    String user;
    String group;
    Permission.Scope scope;
    String pattern;
    String perms;

    Words(SecurityFiles.Line line) {
      this.line = line;
    }

    void take(String token) {
      int eq = token.indexOf('=');
      String key = (eq < 0 ? token : token.substring(0, eq)).toUpperCase(Locale.ROOT);
      String value = eq < 0 ? null : token.substring(eq + 1);
      switch (key) {
        case "USER", "GROUP" -> principal(key, value);
        case "QUEUE", "TOPIC", "ADMIN" -> target(key, value);
        case "PERM" -> {
          if (perms != null) {
            throw line.error("PERM= is given twice");
          }
          perms = value == null ? "" : value;
        }
        default ->
            throw line.error(
                "unknown word '"
                    + token
                    + "' (expected USER=, GROUP=, QUEUE=, TOPIC=, ADMIN or PERM=)");
      }
    }

    private void principal(String key, String value) {
      if (user != null || group != null) {
        throw line.error("a line names one USER= or one GROUP=, not several");
      }
      String problem =
          SecurityFiles.nameProblem(key.toLowerCase(Locale.ROOT), value == null ? "" : value);
      if (problem != null) {
        throw line.error(problem);
      }
      if (key.equals("USER")) {
        user = value;
      } else {
        group = value;
      }
    }

    private void target(String key, String value) {
      if (scope != null) {
        throw line.error("a line names one of QUEUE=, TOPIC= or ADMIN, not several");
      }
      scope = Permission.Scope.valueOf(key);
      if (key.equals("ADMIN")) {
        if (value != null) {
          throw line.error("ADMIN takes no '=': write ADMIN PERM=...");
        }
        return;
      }
      String problem = value == null ? "destination name is empty" : DestinationName.problem(value);
      if (problem != null) {
        throw line.error(problem);
      }
      pattern = value;
    }
  }

  /**
   * Whether a grant to {@code user} or one of {@code groupsOfUser} gives {@code permission} on
   * {@code destination} (a name, or for a wildcard subscription a pattern every name of which must
   * be covered), or for an admin permission, whether it is granted at all.
   */
  boolean grants(String user, Set<String> groupsOfUser, Permission permission, String destination) {
    for (Grant g : grants) {
      boolean mine =
          user.equals(g.user()) || (g.group() != null && groupsOfUser.contains(g.group()));
      if (!mine || g.scope() != permission.scope() || !g.permissions().contains(permission)) {
        continue;
      }
      if (g.pattern() == null || DestinationName.covers(g.pattern(), destination)) {
        return true;
      }
    }
    return false;
  }

  int size() {
    return grants.size();
  }
}
