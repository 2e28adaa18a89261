package io.tandem.broker.ems;

import io.tandem.broker.security.StoredPassword;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * EMS's users.conf, groups.conf and acl.conf into Tandem's files of the same layout. Passwords are
 * the one thing that cannot travel: EMS keeps them in its own hashed form, so a user whose password
 * is not written in clear is listed in a comment and reported, to be given one with {@code tandem
 * passwd}.
 */
final class SecurityMapping {
  /** EMS admin permissions by the Tandem admin permission each is part of. */
  private static final Map<String, String> ADMIN =
      Map.ofEntries(
          Map.entry("all", "all"),
          Map.entry("create-destination", "create"),
          Map.entry("delete-destination", "delete"),
          Map.entry("delete-durable", "delete"),
          Map.entry("delete-connection", "delete"),
          Map.entry("purge-destination", "purge"),
          Map.entry("purge-queue", "purge"),
          Map.entry("purge-topic", "purge"),
          Map.entry("purge-durable", "purge"),
          Map.entry("shutdown", "shutdown"));

  private static final Set<String> DESTINATION =
      Set.of("send", "receive", "browse", "publish", "subscribe", "durable", "use_durable");

  private final List<Unmapped> unmapped;
  private final Set<String> groups = new LinkedHashSet<>();
  private final SecureRandom random = new SecureRandom();

  SecurityMapping(List<Unmapped> unmapped) {
    this.unmapped = unmapped;
  }

  void users(List<EmsFile.Line> lines, Output out) {
    Map<String, Integer> firstLine = new HashMap<>();
    for (EmsFile.Line line : lines) {
      String[] f = line.text().split(":", 3);
      String name = f[0].strip();
      String password = f.length > 1 ? f[1].strip() : "";
      String description = f.length > 2 ? f[2].strip() : "";
      String problem = EmsFile.nameProblem("user", name);
      if (problem == null && !description.isEmpty() && !quoted(description)) {
        problem = "the description must be in double quotes";
      }
      Integer first = problem == null ? firstLine.putIfAbsent(name, line.number()) : null;
      if (first != null) {
        problem = "user '" + name + "' is listed again (first on line " + first + ")";
      }
      if (problem != null) {
        report(line, out, problem);
        continue;
      }
      String tail = description.isEmpty() ? "" : ":" + description;
      if (password.isEmpty() || password.startsWith("$") || password.indexOf('#') >= 0) {
        String why =
            password.isEmpty()
                ? "has no password in EMS, and Tandem refuses an empty one"
                : password.startsWith("$")
                    ? "has a password in EMS's own hashed form, which Tandem cannot read"
                    : "has a password holding '#', which the users file reads as a comment";
        unmapped.add(
            line.unmapped(
                "user '"
                    + name
                    + "' "
                    + why
                    + ": give it one with bin/tandem passwd --user "
                    + name
                    + " >> users.conf"));
        out.comment("user without a password yet: " + name + tail);
        continue;
      }
      String stored =
          StoredPassword.derive(password.toCharArray(), StoredPassword.DEFAULT_ITERATIONS, random)
              .encode();
      out.add(name + ":" + stored + tail, line);
    }
  }

  private static boolean quoted(String text) {
    return text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"");
  }

  void groups(List<EmsFile.Line> lines, Output out) {
    Map<String, Integer> firstLine = new HashMap<>();
    Set<String> members = null;
    String current = null;
    for (EmsFile.Line line : lines) {
      String text = line.text();
      if (text.startsWith(">")) {
        String rest = text.substring(1).strip();
        int colon = rest.indexOf(':');
        String name = (colon < 0 ? rest : rest.substring(0, colon)).strip();
        String d = colon < 0 ? "" : rest.substring(colon + 1).strip();
        String problem = EmsFile.nameProblem("group", name);
        Integer first = problem == null ? firstLine.putIfAbsent(name, line.number()) : null;
        if (problem == null && first != null) {
          problem = "group '" + name + "' is defined again (first on line " + first + ")";
        } else if (problem == null && !d.isEmpty() && !quoted(d)) {
          problem = "the description must be in double quotes";
        }
        current = problem == null ? name : null;
        members = new LinkedHashSet<>();
        if (problem != null) {
          report(line, out, problem + "; its members are left out");
          continue;
        }
        groups.add(name);
        out.add("> " + name + (d.isEmpty() ? "" : ":" + d), line);
      } else if (current == null) {
        report(
            line,
            out,
            members == null
                ? "member '" + text + "' comes before any '> group' line"
                : "member '" + text + "' of a group that is left out");
      } else if (EmsFile.nameProblem("user", text) != null) {
        report(line, out, EmsFile.nameProblem("user", text));
      } else if (!members.add(text)) {
        report(line, out, "user '" + text + "' is listed again in group '" + current + "'");
      } else {
        out.add(text, line);
      }
    }
  }

  void acl(List<EmsFile.Line> lines, Output out) {
    for (EmsFile.Line line : lines) {
      String principal = null;
      String target = null;
      String perms = null;
      String problem = null;
      for (String token : line.text().replaceAll("\\s*([=,])\\s*", "$1").split("\\s+")) {
        int eq = token.indexOf('=');
        String key = (eq < 0 ? token : token.substring(0, eq)).toUpperCase(Locale.ROOT);
        String value = eq < 0 ? "" : token.substring(eq + 1);
        switch (key) {
          case "USER", "GROUP" -> principal = principal == null ? key + "=" + value : "";
          case "QUEUE", "TOPIC" -> target = target == null ? key + "=" + value : "";
          case "ADMIN" -> target = target == null ? "ADMIN" : "";
          case "PERM" -> perms = value;
          default -> problem = "'" + token + "' has no equivalent in Tandem's acl";
        }
      }
      if (problem == null && (principal == null || principal.isEmpty())) {
        problem = "a line names one USER= or GROUP=";
      } else if (problem == null && (target == null || target.isEmpty())) {
        problem = "a line names one QUEUE=, TOPIC= or ADMIN";
      } else if (problem == null
          && principal.startsWith("GROUP=")
          && !groups.contains(principal.substring(6))) {
        problem = "group '" + principal.substring(6) + "' is not in the converted groups file";
      }
      if (problem != null) {
        report(line, out, problem);
        continue;
      }
      String granted = permissions(line, out, target.equals("ADMIN"), perms == null ? "" : perms);
      if (granted.isEmpty()) {
        report(line, out, "no permission of this line has an equivalent; the line is left out");
      } else {
        out.add(principal + "  " + target + "  PERM=" + granted, line);
      }
    }
  }

  /** The permissions Tandem has for {@code perms}, comma separated; the others are reported. */
  private String permissions(EmsFile.Line line, Output out, boolean admin, String perms) {
    Set<String> granted = new LinkedHashSet<>();
    for (String raw : perms.split(",")) {
      String p = raw.strip().toLowerCase(Locale.ROOT);
      if (p.isEmpty()) {
        continue;
      }
      String tandem =
          admin
              ? (p.startsWith("view") ? "view" : ADMIN.get(p))
              : DESTINATION.contains(p) ? p : null;
      if (tandem != null) {
        granted.add(tandem);
      } else {
        report(line, out, "permission '" + p + "' not mapped: " + why(admin, p));
      }
    }
    return String.join(",", granted);
  }

  private static String why(boolean admin, String p) {
    if (!admin) {
      return "Tandem grants admin permissions broker-wide on ADMIN lines, and destination"
          + " permissions are send, receive, browse, publish, subscribe, durable, use_durable";
    }
    if (p.startsWith("change-")
        || p.contains("-user")
        || p.contains("-acl")
        || p.contains("group")) {
      return "Tandem's users, groups and acl are files an operator edits, not changed through the"
          + " admin endpoint";
    }
    return "Tandem's admin permissions are view, create, delete, purge, shutdown and all";
  }

  private void report(EmsFile.Line line, Output out, String reason) {
    unmapped.add(line.unmapped(reason));
    out.comment(line.file().getFileName() + ":" + line.number() + ": not mapped: " + reason);
  }
}
