package io.tandem.broker.store;

import static io.tandem.broker.store.FaultRig.FAILSAFE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.testing.Await;
import io.tandem.testing.ClientHistory;
import io.tandem.testing.ClientLoad;
import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A real broker on a disk that fills up ({@link FaultFs#full}: a write that would make a file
 * longer fails with ENOSPC, as on a full file system with preallocated segments). Sends fail with
 * an error while it is full, consumers keep receiving and acknowledging, sends are taken again when
 * space returns, and every acknowledged send survives a restart on the backing directory.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FullDiskTest {
  /**
   * {@code full}: only writes that grow a file fail, so the active segment's appends go on until a
   * new segment is needed. {@code every write}: each write fails with ENOSPC and writes nothing,
   * appends into the preallocated segment included (a thin-provisioned or quota-limited volume).
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"full", "every write"})
  void shouldRefuseSendsWhileTheDiskIsFullKeepServingConsumersAndResume(String fault)
      throws Exception {
    FaultRig rig = FaultRig.create("full-" + fault.replace(' ', '-'), "store_minimum = 256KB\n");
    try (rig) {
      rig.startOnFaultFs();
      List<String> receivedWhileFull;
      try (ClientLoad load =
          new ClientLoad(ClientLoad.localUri(rig.port), rig.history).messageBytes(1024)) {
        load.producers(FAILSAFE, 2);
        Await.until(
            "acknowledged sends; " + rig.where(),
            Duration.ofSeconds(60),
            () -> rig.history.ackedCount() >= 100);
        if (fault.equals("full")) {
          rig.fs.full(true);
        } else {
          rig.fs.fail("write", "ENOSPC");
        }
        Await.until(
            "a send refused on the full disk; " + rig.where(),
            Duration.ofSeconds(60),
            () -> !load.failures().isEmpty());
        ClientLoad.Failure refused = load.failures().peek();
        assertTrue(refused.error().contains("disk full"), refused + "; " + rig.where());

        receivedWhileFull = receiveSome(rig, 20);
        assertEquals(20, receivedWhileFull.size(), "consumers on a full disk; " + rig.where());
        long ackedWhileFull = rig.history.ackedCount();

        rig.fs.clear();
        Await.until(
            "sends taken again once space returned; " + rig.where(),
            Duration.ofSeconds(60),
            () -> rig.history.ackedCount() >= ackedWhileFull + 50);
        assertTrue(
            load.alive() == 2,
            "the producers' connections survive a full disk: " + load.failures() + rig.where());
        System.out.println(
            "full disk: "
                + load.failures().size()
                + " sends refused ("
                + fault
                + "), "
                + rig.history.ackedCount()
                + " acknowledged");
      }
      assertEquals(0, rig.broker.stop(), rig.where());
      rig.restartOnBacking();
      ClientHistory history = rig.drainAndStop();
      assertEquals(Set.of(), history.missing(FAILSAFE), "acknowledged sends lost; " + rig.where());
      assertEquals(List.of(), unexpected(history.violations(), receivedWhileFull), rig.where());
    }
    rig.passed();
  }

  /**
   * The violations other than one known gap: when every write fails, a consumer's acknowledgement
   * cannot be stored either, so a message received while the disk was full stays in the store and
   * is delivered again after the restart, and without JMSRedelivered (the broker does not know it
   * was delivered before). Nothing acknowledged is lost; the flag is wrong only for those.
   */
  private static List<String> unexpected(List<String> violations, List<String> receivedWhileFull) {
    List<String> rest = new ArrayList<>(violations);
    rest.removeIf(
        v ->
            receivedWhileFull.stream()
                .anyMatch(id -> v.equals("received twice without JMSRedelivered: " + id)));
    if (rest.size() < violations.size()) {
      System.out.println(
          "full disk: "
              + (violations.size() - rest.size())
              + " messages received while acknowledgements could not be stored came again"
              + " without JMSRedelivered");
    }
    return rest;
  }

  /** Receives (and acknowledges) up to {@code n} messages from the failsafe queue; their ids. */
  private static List<String> receiveSome(FaultRig rig, int n) throws Exception {
    try (Connection c =
        new JmsConnectionFactory(ClientLoad.localUri(rig.port)).createConnection()) {
      c.start();
      Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      MessageConsumer consumer = s.createConsumer(s.createQueue(FAILSAFE));
      List<String> got = new ArrayList<>();
      while (got.size() < n) {
        jakarta.jms.Message m = consumer.receive(5000);
        if (m == null) {
          break;
        }
        ClientLoad.record(rig.history, FAILSAFE, m);
        got.add(FAILSAFE + "/" + m.getStringProperty("producer") + "/" + m.getLongProperty("seq"));
      }
      return got;
    }
  }
}
