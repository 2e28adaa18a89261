package io.tandem.broker.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.broker.TestBroker;
import io.tandem.broker.store.StoreOptions;
import io.tandem.broker.store.Stores;
import io.tandem.testing.JsonTree;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * conf/grafana/tandem-dashboard.json asks only for what a broker exports: every metric name in its
 * queries is a series of a running broker's {@code /metrics}, and every label it selects, groups by
 * or shows in a legend is one of those series' labels (or a label Prometheus adds to each target).
 */
class GrafanaDashboardTest {
  private static final Path DASHBOARD = Path.of("../conf/grafana/tandem-dashboard.json");

  /** The labels Prometheus gives every series of a scrape target. */
  private static final Set<String> TARGET_LABELS = Set.of("job", "instance");

  /** PromQL's functions, aggregations and keywords the dashboard uses, and Grafana's. */
  private static final Set<String> PROMQL =
      Set.of(
          "sum",
          "max",
          "min",
          "avg",
          "count",
          "by",
          "on",
          "without",
          "ignoring",
          "and",
          "or",
          "unless",
          "rate",
          "increase",
          "histogram_quantile",
          "label_values",
          "group_left",
          "group_right");

  private static final Pattern SAMPLE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{([^}]*)\\})? .*$");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)");
  private static final Pattern SELECTOR =
      Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*\\{([^}]*)\\}");
  private static final Pattern GROUPING =
      Pattern.compile("\\b(by|on|without|ignoring)\\s*\\(([^)]*)\\)");
  private static final Pattern WORD = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

  @TempDir Path dir;

  /** Every series name a broker under a little load exports, with the label names it carries. */
  private Map<String, Set<String>> exported() throws Exception {
    Files.writeString(dir.resolve("queues.conf"), "d.safe  failsafe\n>\n");
    try (TestBroker broker =
        TestBroker.start(
            Stores.open(StoreOptions.defaults(dir.resolve("store"), 1).withMinimumSize(1 << 20)),
            dir,
            "queues = queues.conf")) {
      try (Connection c = broker.connect()) {
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageProducer p = s.createProducer(s.createQueue("d.safe"));
        p.setDeliveryMode(DeliveryMode.PERSISTENT);
        p.send(s.createTextMessage("x"));
        s.createProducer(s.createTopic("d.news")).send(s.createTextMessage("x"));
        s.createConsumer(s.createQueue("d.safe")).receive(5_000).acknowledge();
      }
      Map<String, Set<String>> series = new HashMap<>();
      for (String line : broker.get("/metrics").body().split("\n")) {
        Matcher m = SAMPLE.matcher(line);
        if (line.startsWith("#") || !m.matches()) {
          continue;
        }
        Set<String> labels = series.computeIfAbsent(m.group(1), k -> new HashSet<>());
        Matcher l = LABEL.matcher(m.group(2) == null ? "" : m.group(2));
        while (l.find()) {
          labels.add(l.group(1));
        }
      }
      return series;
    }
  }

  /** A query and the legend it is shown with. */
  record Query(String where, String expr, String legend) {}

  private static List<Query> queries(JsonTree dashboard) {
    List<Query> queries = new ArrayList<>();
    for (JsonTree panel : dashboard.list("panels")) {
      if (!panel.has("targets")) {
        continue;
      }
      for (JsonTree t : panel.list("targets")) {
        String legend = t.has("legendFormat") ? t.string("legendFormat") : "";
        queries.add(new Query(panel.string("title"), t.string("expr"), legend));
      }
    }
    for (JsonTree v : dashboard.list("templating", "list")) {
      if (v.string("type").equals("query")) {
        queries.add(new Query("variable " + v.string("name"), v.string("query", "query"), ""));
      }
    }
    return queries;
  }

  @Test
  void shouldQueryOnlyMetricsAndLabelsTheBrokerExports() throws Exception {
    Map<String, Set<String>> exported = exported();
    JsonTree dashboard = JsonTree.parse(Files.readString(DASHBOARD));
    List<Query> queries = queries(dashboard);
    assertTrue(queries.size() >= 20, queries.toString());
    Set<String> problems = new TreeSet<>();
    Set<String> used = new TreeSet<>();
    for (Query q : queries) {
      check(q, exported, used, problems);
    }
    assertEquals(Set.of(), problems, "queries the broker cannot answer");
    for (String family :
        List.of(
            "tandem_role",
            "tandem_epoch",
            "tandem_ft_peer_connected",
            "tandem_ft_heartbeat_age_seconds",
            "tandem_ft_activations_total",
            "tandem_store_flush_seconds_bucket",
            "tandem_store_group_commit_batches_count",
            "tandem_queue_pending_messages",
            "tandem_connections",
            "tandem_memory_used_bytes")) {
      assertTrue(used.contains(family), "the dashboard shows " + family);
    }
  }

  private static void check(
      Query q, Map<String, Set<String>> exported, Set<String> used, Set<String> problems) {
    String expr = q.expr().replaceAll("\\$\\{?[a-zA-Z_]+\\}?", "");
    Set<String> labels = new HashSet<>(TARGET_LABELS);
    Matcher sel = SELECTOR.matcher(expr);
    while (sel.find()) {
      Set<String> known = exported.getOrDefault(sel.group(1), Set.of());
      labels.addAll(known);
      Matcher l = LABEL.matcher(sel.group(2));
      while (l.find()) {
        if (!known.contains(l.group(1)) && !TARGET_LABELS.contains(l.group(1))) {
          problems.add(q.where() + ": " + sel.group(1) + " has no label " + l.group(1));
        }
      }
    }
    String words = expr.replaceAll("\"[^\"]*\"", "").replaceAll("\\{[^}]*\\}", " ");
    Matcher g = GROUPING.matcher(words);
    Set<String> grouped = new HashSet<>();
    while (g.find()) {
      for (String label : g.group(2).split(",")) {
        grouped.add(label.strip());
      }
    }
    // Grafana's label_values(series, label): the label must be one the series carries
    Matcher values = Pattern.compile("label_values\\(.*,\\s*([a-zA-Z_]+)\\s*\\)").matcher(words);
    if (values.find()) {
      grouped.add(values.group(1));
    }
    Matcher w = WORD.matcher(words.replaceAll("\\[[^]]*\\]", " "));
    while (w.find()) {
      String word = w.group();
      if (PROMQL.contains(word) || grouped.contains(word)) {
        continue;
      }
      if (!exported.containsKey(word)) {
        problems.add(q.where() + ": " + word + " is no series of /metrics");
      } else {
        used.add(word);
        labels.addAll(exported.get(word));
      }
    }
    for (String label : grouped) {
      if (!labels.contains(label)) {
        problems.add(q.where() + ": grouped by " + label + ", which its series do not carry");
      }
    }
    Matcher legend = Pattern.compile("\\{\\{\\s*([a-zA-Z_]+)\\s*\\}\\}").matcher(q.legend());
    while (legend.find()) {
      if (!labels.contains(legend.group(1))) {
        problems.add(q.where() + ": legend shows " + legend.group(1) + ", which is no label");
      }
    }
  }
}
