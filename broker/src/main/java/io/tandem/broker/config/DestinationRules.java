package io.tandem.broker.config;

import io.tandem.process.config.ConfigFile;
import io.tandem.process.config.ConfigLine;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The lines of a {@code queues.conf} or {@code topics.conf}: which destinations exist statically,
 * which names may be created on first use, and the properties each destination gets.
 */
public final class DestinationRules {

  /** One line: a name or pattern and the properties it sets. */
  record Rule(String pattern, PropertySettings settings, int specificity) {}

  private final List<Rule> rules;

  private DestinationRules(List<Rule> rules) {
    List<Rule> sorted = new ArrayList<>(rules);
    sorted.sort(Comparator.comparingInt(Rule::specificity));
    this.rules = List.copyOf(sorted);
  }

  /** Rules allowing every name with default properties (what the shipped files say). */
  public static DestinationRules allowAll() {
    return new DestinationRules(
        List.of(
            new Rule(
                ">",
                new PropertySettings(null, null, null, null, null, null, null),
                specificity(">"))));
  }

  static DestinationRules parse(Path file) {
    return ConfigErrors.asBroker(() -> read(file));
  }

  private static DestinationRules read(Path file) {
    List<Rule> rules = new ArrayList<>();
    List<String> raw = ConfigFile.readRaw(file);
    for (int i = 0; i < raw.size(); i++) {
      String text = ConfigFile.stripComment(raw.get(i)).strip();
      if (text.isEmpty()) {
        continue;
      }
      String[] parts = text.split("\\s+", 2);
      String name = parts[0];
      ConfigLine at = new ConfigLine(file, i + 1, name, parts.length > 1 ? parts[1] : "");
      String problem = DestinationName.problem(name);
      if (problem != null) {
        throw at.error(problem);
      }
      for (Rule r : rules) {
        if (r.pattern().equals(name)) {
          throw at.error("destination '" + name + "' is defined twice");
        }
      }
      rules.add(new Rule(name, PropertySettings.parse(at.value(), at), specificity(name)));
    }
    return new DestinationRules(rules);
  }

  /** Orders rules so that broader patterns apply first and exact names last. */
  private static int specificity(String pattern) {
    if (!DestinationName.isWildcard(pattern)) {
      return Integer.MAX_VALUE;
    }
    int score = 0;
    for (String e : pattern.split("\\.")) {
      score += e.equals(">") ? 1 : e.equals("*") ? 2 : 4;
    }
    return score;
  }

  /** The names listed without wildcards: created at startup. */
  public List<String> staticNames() {
    return rules.stream().map(Rule::pattern).filter(p -> !DestinationName.isWildcard(p)).toList();
  }

  /**
   * The properties for {@code name}, or empty when no line allows it to exist. A wildcard
   * subscription name is allowed when some line covers every name it could match.
   */
  public Optional<DestinationProperties> lookup(String name) {
    boolean wildcard = DestinationName.isWildcard(name);
    boolean allowed = false;
    DestinationProperties props = DestinationProperties.DEFAULTS;
    for (Rule r : rules) {
      boolean applies =
          wildcard
              ? DestinationName.covers(r.pattern(), name) || r.pattern().equals(name)
              : DestinationName.matches(r.pattern(), name);
      if (applies) {
        allowed = true;
        props = props.merge(r.settings());
      }
    }
    return allowed ? Optional.of(props) : Optional.empty();
  }

  /**
   * Whether a line with the {@code secure} property matches some name that {@code pattern} (a
   * wildcard subscription) could match: such a subscription may receive a secure topic's messages.
   */
  public boolean secureOverlapping(String pattern) {
    for (Rule r : rules) {
      if (Boolean.TRUE.equals(r.settings().secure())
          && DestinationName.overlaps(r.pattern(), pattern)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The properties {@code name} gets when an administrator creates it with {@code settings}, the
   * properties part of a destination line (e.g. {@code failsafe,maxbytes=10MB}): what the file's
   * lines give it, then the settings.
   *
   * @throws io.tandem.broker.BrokerException {@code CONFIG} naming the bad property
   */
  public DestinationProperties withSettings(String name, String settings) {
    ConfigLine at = new ConfigLine(Path.of("properties"), 1, name, settings);
    return lookup(name)
        .orElse(DestinationProperties.DEFAULTS)
        .merge(ConfigErrors.asBroker(() -> PropertySettings.parse(settings, at)));
  }
}
