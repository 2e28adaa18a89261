package io.tandem.vcs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What VCS reads from TandemTypes.cf and main.cf to call an entry point: the type's ArgList and
 * attribute defaults, and a resource's attribute values.
 */
final class VcsTypes {
  private static final Pattern ARGLIST =
      Pattern.compile("static str ArgList\\[\\] = \\{([^}]*)\\}");
  private static final Pattern ATTRIBUTE =
      Pattern.compile("^\\s*(str|int)\\s+(\\w+)(?:\\s*=\\s*(\"[^\"]*\"|\\S+))?\\s*$");
  private static final Pattern VALUE =
      Pattern.compile("^\\s*(\\w+)\\s*=\\s*(\"[^\"]*\"|\\S+)\\s*$");

  final List<String> argList;
  final Map<String, String> defaults = new LinkedHashMap<>();

  VcsTypes(Path typesCf) throws IOException {
    String text = Files.readString(typesCf);
    Matcher m = ARGLIST.matcher(text);
    if (!m.find()) {
      throw new AssertionError("no ArgList in " + typesCf);
    }
    argList = Arrays.stream(m.group(1).split(",")).map(String::strip).toList();
    for (String line : text.split("\n")) {
      Matcher a = ATTRIBUTE.matcher(line);
      if (a.matches()) {
        defaults.put(a.group(2), a.group(3) == null ? "" : unquote(a.group(3)));
      }
    }
  }

  /** The attribute values of resource {@code type name ( ... )} in a main.cf. */
  static Map<String, String> resource(Path mainCf, String type, String name) throws IOException {
    Map<String, String> values = new LinkedHashMap<>();
    boolean inside = false;
    for (String line : Files.readAllLines(mainCf)) {
      if (!inside && line.strip().equals(type + " " + name + " (")) {
        inside = true;
      } else if (inside && line.strip().equals(")")) {
        return values;
      } else if (inside) {
        Matcher v = VALUE.matcher(line);
        if (!v.matches()) {
          throw new AssertionError("unexpected line in " + name + ": " + line);
        }
        values.put(v.group(1), unquote(v.group(2)));
      }
    }
    throw new AssertionError("no resource " + type + " " + name + " in " + mainCf);
  }

  /** The arguments after the resource name, in ArgList order, as VCS passes them. */
  List<String> arguments(Map<String, String> values) {
    List<String> args = new ArrayList<>();
    for (String attr : argList) {
      if (!defaults.containsKey(attr)) {
        throw new AssertionError("ArgList names " + attr + ", which the type does not declare");
      }
      args.add(values.getOrDefault(attr, defaults.get(attr)));
    }
    return args;
  }

  private static String unquote(String v) {
    return v.startsWith("\"") ? v.substring(1, v.length() - 1) : v;
  }
}
