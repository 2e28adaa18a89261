package io.tandem.broker.security;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** A permission an acl.conf line grants, by its EMS name, and what it applies to. */
public enum Permission {
  /** Send messages to a queue. */
  SEND(Scope.QUEUE),
  /** Consume from a queue. */
  RECEIVE(Scope.QUEUE),
  /** Browse a queue without consuming. */
  BROWSE(Scope.QUEUE),
  /** Publish to a topic. */
  PUBLISH(Scope.TOPIC),
  /** Subscribe to a topic (non-durable). */
  SUBSCRIBE(Scope.TOPIC),
  /** Create, replace or delete a durable subscription on a topic. */
  DURABLE(Scope.TOPIC),
  /** Consume from an existing durable subscription. */
  USE_DURABLE(Scope.TOPIC),
  /** Read the broker's state: /state, /admin reads, the CLI's list commands. */
  VIEW(Scope.ADMIN),
  /** Create destinations through the admin endpoint. */
  CREATE(Scope.ADMIN),
  /** Delete destinations and durable subscriptions, close connections. */
  DELETE(Scope.ADMIN),
  /** Purge destinations. */
  PURGE(Scope.ADMIN),
  /** Stop the broker. */
  SHUTDOWN(Scope.ADMIN),
  /** Every admin permission. */
  ALL(Scope.ADMIN);

  /** What an acl.conf line names. */
  public enum Scope {
    QUEUE,
    TOPIC,
    ADMIN
  }

  private final Scope scope;

  Permission(Scope scope) {
    this.scope = scope;
  }

  public Scope scope() {
    return scope;
  }

  /** The name acl.conf uses, e.g. {@code use_durable}. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The permission named {@code name} for {@code scope}, or {@code null}. */
  static Permission parse(Scope scope, String name) {
    for (Permission p : values()) {
      if (p.scope == scope && p.configName().equals(name.toLowerCase(Locale.ROOT))) {
        return p;
      }
    }
    return null;
  }

  /** The names allowed for {@code scope}, for error messages. */
  static List<String> names(Scope scope) {
    return Arrays.stream(values())
        .filter(p -> p.scope == scope)
        .map(Permission::configName)
        .toList();
  }

  /** The permissions {@code p} stands for ({@code all} stands for every admin permission). */
  static Set<Permission> expand(Permission p) {
    if (p == ALL) {
      return Arrays.stream(values())
          .filter(x -> x.scope == Scope.ADMIN)
          .collect(Collectors.toCollection(() -> EnumSet.noneOf(Permission.class)));
    }
    return EnumSet.of(p);
  }
}
