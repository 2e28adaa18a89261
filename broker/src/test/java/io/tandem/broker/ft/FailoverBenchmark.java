package io.tandem.broker.ft;

import io.tandem.process.disk.Trees;
import io.tandem.testing.Await;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.junit.jupiter.api.Test;

/**
 * The hot-warm failover benchmark (run it with {@code bin/tandem-ft-bench}; not part of the test
 * suite): a pair with the default {@code ft_heartbeat} and {@code ft_activation}, a store holding N
 * live 1 KB messages for each N in {@code ftbench.live} (comma-separated, default 0, 100,000 and
 * 1,000,000), and a Qpid JMS consumer on the primary. Each run SIGKILLs the primary and measures
 * the time until the backup answers {@code /health} 200 and until the consumer receives its next
 * message through its failover URI; then the killed broker restarts as backup and the next run
 * kills the other. Prints p50, min and max over the runs for each backlog, side by side, to show
 * how the takeover grows with it. Reports, never fails on a figure.
 */
class FailoverBenchmark {
  private static final String LIVE = System.getProperty("ftbench.live", "0,100000,1000000");
  private static final int RUNS = Integer.getInteger("ftbench.runs", 10);
  private static final Duration LIMIT = Duration.ofMinutes(5);

  /** Whether the backup follows the store ({@code ft_follow}); {@code -Dftbench.follow=false}. */
  private static final boolean FOLLOW =
      Boolean.parseBoolean(System.getProperty("ftbench.follow", "true"));

  @Test
  void measureFailover() throws Exception {
    List<String> table = new ArrayList<>();
    for (String live : LIVE.split(",")) {
      table.add(measure(Integer.parseInt(live.strip().replace("_", ""))));
    }
    System.out.printf(
        "%nhot-warm failover, %d runs per backlog, 1 KB messages, ft_heartbeat 3 s,"
            + " ft_activation 10 s, ft_follow %s%n"
            + "%12s  %-40s  %-40s%n"
            + "%s%n"
            + "  machine: %d cores, load average %.2f%n",
        RUNS,
        FOLLOW ? "enabled" : "disabled",
        "live",
        "SIGKILL -> backup /health 200",
        "SIGKILL -> first message consumed",
        String.join("\n", table),
        Runtime.getRuntime().availableProcessors(),
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
  }

  /*
   * One backlog: a fresh pair on a fresh store, filled with live messages, then RUNS kills. The
   * brokers' heap is -Dftbench.heap, or else 1 GB plus 3 KB per live message, and their
   * max_msg_memory is 256 MB plus 2 KB per live message, so that the backlog fits (the default
   * 512MB would hold producers back at about 450,000).
   */
  private static String measure(int live) throws Exception {
    long heapMb = 1024 + 3L * live / 1024;
    System.setProperty("tandem.member.heap", System.getProperty("ftbench.heap", heapMb + "m"));
    // the brokers' JIT as bin/tandem runs it, not the tests' quick-starting first tier
    System.setProperty("tandem.member.fullJit", "true");
    Path dir = Files.createTempDirectory("tandem-ft-bench");
    String memory =
        "max_msg_memory = "
            + (256 + 2L * live / 1024)
            + "MB\nft_follow = "
            + (FOLLOW ? "enabled" : "disabled")
            + "\n";
    List<Member> pair = Member.pair(dir, "ftbench", memory);
    List<Long> health = new ArrayList<>();
    List<Long> consumed = new ArrayList<>();
    try {
      Member primary = pair.get(0).start();
      Await.until("primary serves", LIMIT, () -> primary.health() == 200);
      Member backup = pair.get(1).start();
      Await.until("backup paired", LIMIT, () -> backup.paired());
      // each run consumes two (one before the kill, one after): the backlog stays at live
      fill(primary.url(), live + 2 * RUNS);
      Member active = primary;
      Member standby = backup;
      for (int run = 0; run < RUNS; run++) {
        // a backup restarted a moment ago is still reading the store: measure the steady state
        awaitFollowed(standby, live);
        long[] t = failOnce(active, standby);
        health.add(t[0]);
        consumed.add(t[1]);
        boolean followed =
            standby.stateTree().map(st -> st.bool("last_activation_followed")).orElse(false);
        System.out.printf(
            "%d live, run %d: backup /health 200 after %d ms, first message after %d ms%s%n",
            live, run + 1, t[0], t[1], followed ? "" : " (recovered in full, not followed)");
        Member restarted = active.start();
        Await.until("killed broker back as backup", LIMIT, () -> restarted.paired());
        active = standby;
        standby = restarted;
      }
    } finally {
      pair.forEach(Member::close);
      Trees.delete(dir.resolve("store"));
      System.out.println(live + " live: the brokers' logs are in " + dir);
    }
    return String.format("%12d  %-40s  %-40s", live, summary(health), summary(consumed));
  }

  /**
   * Waits until {@code standby}'s store follower holds at least {@code messages} live messages (a
   * message consumed just before a kill may come back, so the count can be one higher).
   */
  private static void awaitFollowed(Member standby, long messages) {
    if (!FOLLOW) {
      return;
    }
    Await.until(
        standby.name + " has followed " + messages + " live messages; log " + standby.log,
        LIMIT,
        () ->
            standby
                .stateTree()
                .filter(st -> st.has("follower", "live_messages"))
                .map(
                    st ->
                        st.number("follower", "live_messages") >= messages
                            // a follower that stopped leaves a full recovery to measure
                            || st.get("follower", "stopped_because") != null)
                .orElse(false));
  }

  /** SIGKILLs {@code active}; milliseconds to the standby's 200 and to the next message. */
  private static long[] failOnce(Member active, Member standby) throws Exception {
    JmsConnectionFactory f =
        new JmsConnectionFactory(Member.failoverUri(active, standby) + "&jms.prefetchPolicy.all=0");
    try (Connection c = f.createConnection()) {
      c.start();
      Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      MessageConsumer consumer = s.createConsumer(s.createQueue("ft.backlog"));
      if (consumer.receive(LIMIT.toMillis()) == null) {
        throw new AssertionError("no message before the kill");
      }
      long t0 = System.nanoTime();
      AtomicLong healthAt = new AtomicLong();
      Thread watcher =
          new Thread(
              () -> {
                Await.until("backup serves", LIMIT, () -> standby.health() == 200);
                healthAt.set(System.nanoTime());
              });
      active.kill();
      watcher.start();
      if (consumer.receive(LIMIT.toMillis()) == null) {
        throw new AssertionError("no message after failover; log " + standby.log);
      }
      long consumedAt = System.nanoTime();
      watcher.join(LIMIT.toMillis());
      return new long[] {(healthAt.get() - t0) / 1_000_000, (consumedAt - t0) / 1_000_000};
    }
  }

  private static void fill(String url, int count) throws Exception {
    int threads = 8;
    List<Thread> producers = new ArrayList<>();
    List<Exception> failures = Collections.synchronizedList(new ArrayList<>());
    for (int i = 0; i < threads; i++) {
      int share = count / threads + (i < count % threads ? 1 : 0);
      Thread t =
          new Thread(
              () -> {
                // a send held back for a minute fails instead of hanging the benchmark
                String bounded = url + "?jms.sendTimeout=60000";
                try (Connection c = new JmsConnectionFactory(bounded).createConnection()) {
                  Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                  MessageProducer p = s.createProducer(s.createQueue("ft.backlog"));
                  p.setDeliveryMode(DeliveryMode.PERSISTENT);
                  String body = "x".repeat(1024);
                  for (int n = 0; n < share; n++) {
                    p.send(s.createTextMessage(body));
                  }
                } catch (JMSException e) {
                  failures.add(e);
                }
              });
      t.start();
      producers.add(t);
    }
    for (Thread t : producers) {
      t.join();
    }
    if (!failures.isEmpty()) {
      throw failures.get(0);
    }
  }

  private static String summary(List<Long> ms) {
    List<Long> sorted = new ArrayList<>(ms);
    Collections.sort(sorted);
    return String.format(
        "p50 %d ms, min %d ms, max %d ms",
        sorted.get(sorted.size() / 2), sorted.get(0), sorted.get(sorted.size() - 1));
  }
}
