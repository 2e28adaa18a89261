package io.tandem.broker.config;

import io.tandem.process.config.ConfigLine;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Who may use the admin endpoint: the {@code admin_*} keys of {@code tandem.conf} other than {@code
 * admin_listen}.
 *
 * @param publicPaths the paths answered without credentials ({@code admin_public}): a subset of
 *     {@code health} and {@code metrics}
 * @param hostnames names a client may put in the {@code Host} header besides the admin_listen host,
 *     loopback and this machine's names and addresses ({@code admin_hostnames})
 */
public record AdminConfig(Set<String> publicPaths, List<String> hostnames) {
  /** What {@code admin_public} may list. */
  public static final Set<String> PUBLIC_CHOICES = Set.of("health", "metrics");

  /** Default {@code admin_public}. */
  public static final String DEFAULT_PUBLIC = "health,metrics";

  public AdminConfig {
    publicPaths = Set.copyOf(publicPaths);
    hostnames = hostnames.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
  }

  /** The defaults: {@code /health} and {@code /metrics} open, no extra host names. */
  public static AdminConfig defaults() {
    return new AdminConfig(PUBLIC_CHOICES, List.of());
  }

  /** Whether {@code /name} ({@code health} or {@code metrics}) is answered without credentials. */
  public boolean isPublic(String name) {
    return publicPaths.contains(name);
  }

  static AdminConfig parse(ConfigLine publicLine, ConfigLine hostnamesLine) {
    Set<String> open = new java.util.LinkedHashSet<>();
    String value = publicLine.value().strip().toLowerCase(Locale.ROOT);
    if (!value.equals("none")) {
      for (String part : value.split(",")) {
        String p = part.strip();
        if (!PUBLIC_CHOICES.contains(p)) {
          throw publicLine.error(
              "admin_public lists '" + p + "'; it takes 'none' or a list of health, metrics");
        }
        open.add(p);
      }
    }
    List<String> names = new java.util.ArrayList<>();
    if (hostnamesLine != null) {
      for (String part : hostnamesLine.value().split(",")) {
        String h = part.strip();
        if (!h.matches("[A-Za-z0-9_.:\\[\\]-]+")) {
          throw hostnamesLine.error("'" + h + "' is not a host name or address");
        }
        names.add(h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h);
      }
    }
    return new AdminConfig(open, names);
  }
}
