package io.tandem.broker.security;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The groups file, in EMS's groups.conf layout: a line {@code > name[:"description"]} starts a
 * group and the lines after it name its members, one user per line.
 *
 * <pre>
 * > traders:"Order entry desks"
 * alice
 * bob
 * </pre>
 *
 * The group {@code $admin} holds the administrators: its members have every admin permission, as in
 * EMS.
 */
public final class Groups {
  /** The group whose members have every admin permission. */
  public static final String ADMIN_GROUP = "$admin";

  private final Map<String, Set<String>> members;
  private final Map<String, Set<String>> groupsOf;

  private Groups(Map<String, Set<String>> members) {
    this.members = members;
    Map<String, Set<String>> of = new HashMap<>();
    members.forEach(
        (g, users) -> users.forEach(u -> of.computeIfAbsent(u, x -> new LinkedHashSet<>()).add(g)));
    of.replaceAll((u, gs) -> Set.copyOf(gs));
    this.groupsOf = Map.copyOf(of);
  }

  /** No groups file. */
  public static Groups none() {
    return new Groups(Map.of());
  }

  /** Reads {@code file}; errors name file and line. */
  public static Groups load(Path file) {
    Map<String, Set<String>> members = new LinkedHashMap<>();
    Map<String, Integer> firstLine = new HashMap<>();
    String current = null;
    for (SecurityFiles.Line line : SecurityFiles.read(file)) {
      String text = line.text();
      if (text.startsWith(">")) {
        String rest = text.substring(1).strip();
        int colon = rest.indexOf(':');
        String name = (colon < 0 ? rest : rest.substring(0, colon)).strip();
        String problem = SecurityFiles.nameProblem("group", name);
        if (problem != null) {
          throw line.error(problem);
        }
        if (colon >= 0) {
          String d = rest.substring(colon + 1).strip();
          if (!d.isEmpty() && (d.length() < 2 || !d.startsWith("\"") || !d.endsWith("\""))) {
            throw line.error(
                "a description must be written in double quotes, like \"Order entry\"");
          }
        }
        Integer earlier = firstLine.putIfAbsent(name, line.number());
        if (earlier != null) {
          throw line.error("group '" + name + "' is defined twice (first on line " + earlier + ")");
        }
        members.put(name, new LinkedHashSet<>());
        current = name;
        continue;
      }
      if (current == null) {
        throw line.error("member '" + text + "' comes before any '> group' line");
      }
      String problem = SecurityFiles.nameProblem("user", text);
      if (problem != null) {
        throw line.error(problem);
      }
      if (!members.get(current).add(text)) {
        throw line.error("user '" + text + "' is listed twice in group '" + current + "'");
      }
    }
    Map<String, Set<String>> frozen = new LinkedHashMap<>();
    members.forEach((g, users) -> frozen.put(g, Set.copyOf(users)));
    return new Groups(Map.copyOf(frozen));
  }

  public boolean exists(String group) {
    return members.containsKey(group);
  }

  /** The groups {@code user} belongs to. */
  public Set<String> of(String user) {
    return groupsOf.getOrDefault(user, Set.of());
  }

  /** The members of {@code group}. */
  public Set<String> members(String group) {
    return members.getOrDefault(group, Set.of());
  }

  public Set<String> names() {
    return members.keySet();
  }
}
