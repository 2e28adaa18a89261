package io.tandem.broker.ems;

import io.tandem.broker.config.DestinationName;
import io.tandem.process.config.ConfigLine;
import io.tandem.process.config.Values;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * EMS's queues.conf or topics.conf into Tandem's: the same {@code name property,property=value}
 * lines. A property Tandem has is kept once its value passed Tandem's check; every other property
 * is left out of the line and reported, and the line stays with the rest.
 */
final class DestinationMapping {
  private static final Map<String, String> NO_EQUIVALENT =
      Map.ofEntries(
          Map.entry(
              "exclusive",
              "Tandem delivers a queue's messages to all its consumers in turn; it has no"
                  + " exclusive consumer"),
          Map.entry(
              "prefetch",
              "prefetch is the client's setting in Qpid JMS (jms.prefetchPolicy.all in the"
                  + " connection URI)"),
          Map.entry("global", "Tandem has no routes between brokers"),
          Map.entry("import", "Tandem has no Rendezvous or SmartSockets transports"),
          Map.entry("export", "Tandem has no Rendezvous or SmartSockets transports"),
          Map.entry("channel", "Tandem has no multicast channels"),
          Map.entry("trace", "Tandem has no message tracing"),
          Map.entry(
              "flowcontrol",
              "Tandem always flow-controls producers by max_msg_memory, maxbytes and maxmsgs"),
          Map.entry("redeliverydelay", "Tandem redelivers at once"),
          Map.entry("compress", "Tandem stores messages as they were sent"),
          Map.entry("maxmsgsize", "Tandem's limit is the broker's max_msg_size"));

  private final Output out;
  private final List<Unmapped> unmapped;
  private final Map<String, Integer> firstLine = new HashMap<>();

  DestinationMapping(Output out, List<Unmapped> unmapped) {
    this.out = out;
    this.unmapped = unmapped;
  }

  void map(List<EmsFile.Line> lines) {
    for (EmsFile.Line line : lines) {
      String[] parts = line.text().split("\\s+", 2);
      String name = parts[0];
      String problem = DestinationName.problem(name);
      if (name.startsWith("$")) {
        report(
            line,
            "'"
                + name
                + "' not mapped: a system destination; Tandem has $sys.undelivered built in and"
                + " no other $ names");
        continue;
      }
      if (problem != null) {
        report(line, "'" + name + "' not mapped: " + problem);
        continue;
      }
      Integer first = firstLine.putIfAbsent(name, line.number());
      if (first != null) {
        report(line, "'" + name + "' is defined again (first on line " + first + ")");
        continue;
      }
      List<String> kept = new ArrayList<>();
      for (String prop : parts.length > 1 ? parts[1].split(",") : new String[0]) {
        if (!prop.isBlank()) {
          property(line, name, prop.strip(), kept);
        }
      }
      out.add(kept.isEmpty() ? name : name + "  " + String.join(",", kept), line);
    }
  }

  private void property(EmsFile.Line line, String name, String prop, List<String> kept) {
    int eq = prop.indexOf('=');
    String key = (eq < 0 ? prop : prop.substring(0, eq)).strip();
    String value = eq < 0 ? null : prop.substring(eq + 1).strip();
    ConfigLine at = new ConfigLine(line.file(), line.number(), key, value == null ? "" : value);
    String lower = key.toLowerCase(Locale.ROOT);
    String problem =
        switch (lower) {
          case "secure", "failsafe" -> value == null ? null : "takes no value";
          case "maxbytes" -> EmsFile.problem(() -> Values.size(at.value(), at));
          case "maxmsgs" -> EmsFile.problem(() -> Values.number(at.value(), at, "a count"));
          case "maxredelivery" -> EmsFile.problem(() -> Values.intInRange(at.value(), at, 0, 255));
          case "expiration" ->
              EmsFile.problem(() -> Values.time(at.value(), at, ChronoUnit.SECONDS));
          case "overflowpolicy" ->
              List.of("default", "discardOld", "rejectIncoming").contains(at.value())
                  ? null
                  : "'" + at.value() + "' is not default, discardOld or rejectIncoming";
          case "store" -> store(at.value(), kept);
          case "sender_name", "sender_name_enforced" -> "";
          default -> {
            String why = NO_EQUIVALENT.get(lower);
            yield "has no equivalent: "
                + (why != null ? why : "not a destination property Tandem knows");
          }
        };
    if (problem == null) {
      kept.add(canonical(lower) + (value == null ? "" : "=" + value));
    } else if (!problem.isEmpty()) {
      report(line, "'" + name + "': property '" + key + "' not mapped: " + problem);
    }
  }

  /** Tandem's spelling of an EMS property name, which EMS reads in any case. */
  private static String canonical(String lower) {
    return switch (lower) {
      case "overflowpolicy" -> "overflowPolicy";
      case "maxredelivery" -> "maxRedelivery";
      default -> lower;
    };
  }

  /** EMS 8's {@code store=}: its failsafe store is Tandem's failsafe property. */
  private static String store(String store, List<String> kept) {
    if (store.equals("$sys.failsafe")) {
      kept.add("failsafe");
      return "";
    }
    if (store.equals("$sys.nonfailsafe")) {
      return "";
    }
    return "the store '"
        + store
        + "' has no equivalent: Tandem has one store; 'failsafe' makes a destination's messages"
        + " flushed before the producer is told";
  }

  private void report(EmsFile.Line line, String reason) {
    unmapped.add(line.unmapped(reason));
    out.comment(line.file().getFileName() + ":" + line.number() + ": not mapped: " + reason);
  }
}
