package io.tandem.broker.cli;

import io.tandem.broker.BrokerException;
import io.tandem.broker.admin.Json;
import io.tandem.broker.config.ConfigLoader;
import io.tandem.broker.config.Endpoint;
import io.tandem.process.endpoint.ConnectAddress;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The subcommands that talk to a running broker's admin endpoint: {@code status}, {@code queues},
 * {@code topics}, {@code durables}, {@code connections}, {@code purge}, {@code create}, {@code
 * delete}, {@code shutdown}. Exit codes: 0 done, 1 error (e.g. no such queue), 2 bad arguments or
 * configuration, 6 endpoint not reachable, 7 broker not primary, 8 call refused (no or wrong
 * credentials, a missing admin permission, or a mutating call on an unauthenticated endpoint that
 * is not loopback-only).
 */
final class AdminCommands {
  private AdminCommands() {}

  /** Options and error handling every admin subcommand shares. */
  abstract static class AdminCall implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(
        names = "--url",
        paramLabel = "URL",
        description =
            "the admin endpoint, e.g. http://127.0.0.1:9672 (default: admin_listen of"
                + " --config)")
    URI url;

    @Option(
        names = "--config",
        paramLabel = "FILE",
        description =
            "tandem.conf whose admin_listen to use (default:" + " $TANDEM_HOME/conf/tandem.conf)")
    Path config;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "default 10")
    long timeout = 10;

    @Option(
        names = "--cacert",
        paramLabel = "FILE",
        description =
            "PEM file of the CAs that sign an https:// admin endpoint's certificate (default: the"
                + " JDK's trusted CAs)")
    Path cacert;

    @Option(
        names = "--user",
        paramLabel = "NAME",
        description = "the admin user (default: $TANDEM_ADMIN_USER); needs --password-file")
    String user;

    @Option(
        names = "--password-file",
        paramLabel = "FILE",
        description =
            "file whose first line is the --user's password (default:"
                + " $TANDEM_ADMIN_PASSWORD_FILE)")
    Path passwordFile;

    PrintWriter out;

    @Override
    public Integer call() {
      out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      try {
        return run(
            new AdminClient(
                endpoint(),
                Duration.ofSeconds(timeout),
                cacert,
                AdminCredentials.of(user, passwordFile)));
      } catch (BrokerException e) {
        err.println("tandem " + spec.name() + ": " + e.getMessage());
        return switch (e.category()) {
          case NETWORK -> ExitCodes.NOT_REACHABLE;
          case CONFIG, INVALID_INPUT -> ExitCodes.CONFIG;
          default -> ExitCodes.FAILURE;
        };
      } finally {
        out.flush();
        err.flush();
      }
    }

    abstract int run(AdminClient client);

    private URI endpoint() {
      if (url != null) {
        return url;
      }
      Path file = config != null ? config : BrokerCommand.defaultConfig();
      Endpoint e = ConfigLoader.load(file).adminListen();
      String host = ConnectAddress.forUri(ConnectAddress.of(e.host()));
      return URI.create(e.scheme() + "://" + host + ":" + e.port());
    }

    /** Turns an unsuccessful answer into a message and the exit code scripts act on. */
    int failed(AdminClient.Response r) {
      spec.commandLine().getErr().println("tandem " + spec.name() + ": " + describe(r));
      if (r.status() == 503 && "not primary".equals(r.json().get("error"))) {
        return ExitCodes.NOT_PRIMARY;
      }
      return r.status() == 403 || r.status() == 401 || r.status() == 421
          ? ExitCodes.REFUSED
          : ExitCodes.FAILURE;
    }

    private static String describe(AdminClient.Response r) {
      if ("not primary".equals(r.json().get("error"))) {
        return "the broker is not primary (role "
            + r.json().get("role")
            + ": "
            + r.json().get("reason")
            + ")";
      }
      if (r.status() == 401) {
        return r.error()
            + " (give --user and --password-file, or set TANDEM_ADMIN_USER and"
            + " TANDEM_ADMIN_PASSWORD_FILE)";
      }
      return r.error();
    }
  }

  /** Options of the listing subcommands. */
  abstract static class Listing extends AdminCall {
    @Option(names = "--json", description = "print JSON instead of a table")
    boolean json;

    /** Prints the list {@code key} of {@code /state}; not primary if the broker has none. */
    int fromState(
        AdminClient client, String key, Table table, Predicate<Map<String, Object>> keep) {
      AdminClient.Response r = client.get("/state");
      if (!r.ok()) {
        return failed(r);
      }
      Object list = r.json().get(key);
      if (!(list instanceof List<?>) || !"active".equals(r.json().get("role"))) {
        spec.commandLine()
            .getErr()
            .println(
                "tandem "
                    + spec.name()
                    + ": the broker is not primary (role "
                    + r.json().get("role")
                    + ": "
                    + r.json().get("reason")
                    + "); ask the primary");
        return ExitCodes.NOT_PRIMARY;
      }
      print(rows(list).stream().filter(keep).toList(), table);
      return ExitCodes.OK;
    }

    void print(List<Map<String, Object>> rows, Table table) {
      out.print(json ? Json.write(rows) + "\n" : table.format(rows));
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> rows(Object list) {
      List<Map<String, Object>> rows = new ArrayList<>();
      for (Object o : (List<?>) list) {
        if (o instanceof Map<?, ?> m) {
          rows.add((Map<String, Object>) m);
        }
      }
      return rows;
    }
  }

  /** {@code tandem queues}. */
  @Command(
      name = "queues",
      mixinStandardHelpOptions = true,
      description = "List the queues of a running broker: depth, consumers, counters.")
  static final class Queues extends Listing {
    private static final Table TABLE =
        new Table(
            List.of(
                "NAME",
                "DEPTH",
                "PENDING",
                "UNACKED",
                "CONSUMERS",
                "ENQUEUED",
                "DEQUEUED",
                "BYTES"),
            List.of(
                "name",
                "depth",
                "pending",
                "unacknowledged",
                "consumers",
                "enqueued",
                "dequeued",
                "bytes"));

    @Override
    int run(AdminClient client) {
      return fromState(client, "queues", TABLE, row -> true);
    }
  }

  /** {@code tandem topics}. */
  @Command(
      name = "topics",
      mixinStandardHelpOptions = true,
      description = "List the topics of a running broker: messages published, subscriptions.")
  static final class Topics extends Listing {
    private static final Table TABLE =
        new Table(
            List.of("NAME", "PUBLISHED", "SUBSCRIPTIONS"),
            List.of("name", "published", "subscriptions"));

    @Override
    int run(AdminClient client) {
      return fromState(client, "topics", TABLE, row -> true);
    }
  }

  /** {@code tandem durables}. */
  @Command(
      name = "durables",
      mixinStandardHelpOptions = true,
      description = "List the durable subscriptions of a running broker.")
  static final class Durables extends Listing {
    private static final Table TABLE =
        new Table(
            List.of("NAME", "CLIENT_ID", "TOPIC", "SHARED", "DEPTH", "CONSUMERS"),
            List.of("name", "client_id", "topic", "shared", "depth", "consumers"));

    @Override
    int run(AdminClient client) {
      return fromState(
          client, "subscriptions", TABLE, row -> Boolean.TRUE.equals(row.get("durable")));
    }
  }

  /** {@code tandem connections}. */
  @Command(
      name = "connections",
      mixinStandardHelpOptions = true,
      description = "List the client connections of a running broker.")
  static final class Connections extends Listing {
    private static final Table TABLE =
        new Table(
            List.of("REMOTE", "CONTAINER_ID", "USER", "SESSIONS", "LINKS"),
            List.of("remote", "container_id", "user", "sessions", "links"));

    @Override
    int run(AdminClient client) {
      AdminClient.Response r = client.get("/admin/connections");
      if (!r.ok()) {
        return failed(r);
      }
      print(rows(r.json().get("connections")), TABLE);
      return ExitCodes.OK;
    }
  }

  /** {@code tandem status}: exit 0 if the broker serves clients, 7 if it does not. */
  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = {
        "Show a running broker's role, epoch, peer and uptime.",
        "Exit 0: it serves clients (primary or standalone); 7: it runs but does not serve"
            + " (backup, activating, stopping, fenced, or its store stalled); 6: not reachable."
      })
  static final class Status extends AdminCall {
    @Option(names = "--json", description = "print /state as JSON")
    boolean json;

    @Override
    int run(AdminClient client) {
      AdminClient.Response r = client.get("/state");
      if (!r.ok()) {
        return failed(r);
      }
      Map<String, Object> s = r.json();
      if (json) {
        out.println(Json.write(s));
      } else {
        out.println("server: " + s.get("server"));
        out.println("role: " + s.get("role"));
        out.println("reason: " + s.get("reason"));
        out.println("mode: " + s.getOrDefault("mode", "standalone"));
        for (String key : List.of("epoch", "peer", "lock")) {
          if (s.get(key) != null) {
            out.println(key + ": " + s.get(key));
          }
        }
        out.println("uptime: " + uptime(s.get("uptime_ms")));
        if (s.get("connections") != null) {
          out.println("connections: " + s.get("connections"));
        }
        if (storeStalled(s)) {
          out.println("store: " + ((Map<?, ?>) s.get("store_io")).get("reason"));
        }
      }
      return "active".equals(s.get("role")) && !storeStalled(s)
          ? ExitCodes.OK
          : ExitCodes.NOT_PRIMARY;
    }

    /** The store I/O watchdog reports an operation older than store_io_timeout. */
    private static boolean storeStalled(Map<String, Object> state) {
      return state.get("store_io") instanceof Map<?, ?> io && !"watching".equals(io.get("state"));
    }

    private static String uptime(Object millis) {
      long ms = millis instanceof Number n ? n.longValue() : 0;
      Duration d = Duration.ofMillis(ms);
      return String.format(
          "%dd %02dh %02dm %02ds",
          d.toDays(), d.toHoursPart(), d.toMinutesPart(), d.toSecondsPart());
    }
  }

  /** Options of the mutating subcommands. */
  abstract static class Mutation extends AdminCall {
    int call(AdminClient client, String method, String path, String body, String done) {
      AdminClient.Response r = client.send(method, path, body);
      if (!r.ok()) {
        return failed(r);
      }
      out.println(done);
      return ExitCodes.OK;
    }
  }

  /** {@code tandem purge QUEUE}. */
  @Command(
      name = "purge",
      mixinStandardHelpOptions = true,
      description = "Remove every pending message of a queue (needs the admin permission purge).")
  static final class Purge extends Mutation {
    @Parameters(index = "0", paramLabel = "QUEUE")
    String queue;

    @Override
    int run(AdminClient client) {
      AdminClient.Response r = client.send("POST", "/admin/queues/" + queue + "/purge", null);
      if (!r.ok()) {
        return failed(r);
      }
      out.println("purged " + r.json().get("purged") + " messages from queue " + queue);
      return ExitCodes.OK;
    }
  }

  /** Which kind of destination a create or delete names. */
  enum Kind {
    queue,
    topic
  }

  /** {@code tandem create queue|topic NAME [PROPERTIES]}. */
  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = {
        "Create a queue or topic, with properties as in queues.conf (e.g. failsafe,maxbytes=10MB).",
        "Not written to queues.conf/topics.conf: add the line there to keep it across restarts."
      })
  static final class Create extends Mutation {
    @Parameters(index = "0", paramLabel = "queue|topic")
    Kind kind;

    @Parameters(index = "1", paramLabel = "NAME")
    String name;

    @Parameters(
        index = "2..*",
        paramLabel = "PROPERTIES",
        description = "e.g. failsafe maxmsgs=1000")
    List<String> properties = new ArrayList<>();

    @Override
    int run(AdminClient client) {
      return call(
          client,
          "PUT",
          "/admin/" + kind + "s/" + name,
          String.join(",", properties),
          "created " + kind + " " + name);
    }
  }

  /** {@code tandem delete queue|topic NAME}. */
  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      description =
          "Delete a queue (and its pending messages) without consumers, or a topic"
              + " without subscriptions.")
  static final class Delete extends Mutation {
    @Parameters(index = "0", paramLabel = "queue|topic")
    Kind kind;

    @Parameters(index = "1", paramLabel = "NAME")
    String name;

    @Override
    int run(AdminClient client) {
      return call(
          client, "DELETE", "/admin/" + kind + "s/" + name, null, "deleted " + kind + " " + name);
    }
  }

  /** {@code tandem shutdown}. */
  @Command(
      name = "shutdown",
      mixinStandardHelpOptions = true,
      description = "Stop a running broker cleanly, as SIGTERM does.")
  static final class Shutdown extends Mutation {
    @Override
    int run(AdminClient client) {
      return call(client, "POST", "/admin/shutdown", null, "shutdown requested");
    }
  }
}
