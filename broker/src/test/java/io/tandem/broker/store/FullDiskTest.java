package io.tandem.broker.store;

import static io.tandem.broker.store.FaultRig.FAILSAFE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.broker.Conditions;
import io.tandem.broker.ft.ClientHistory;
import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A real broker on a disk that fills up ({@link FaultFs#full}: a write that would make a file
 * longer fails with ENOSPC, as on a full file system with preallocated segments). Sends fail with
 * an error while it is full, consumers keep receiving and acknowledging, sends are taken again when
 * space returns, and every acknowledged send survives a restart on the backing directory.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FullDiskTest {
  @Test
  void shouldRefuseSendsWhileTheDiskIsFullKeepServingConsumersAndResume() throws Exception {
    FaultRig rig = FaultRig.create("full", "store_minimum = 256KB\n");
    try (rig) {
      rig.startOnFaultFs();
      try (FaultLoad load = new FaultLoad(rig.port, rig.history, 100_000)) {
        load.producers(FAILSAFE, 2);
        Conditions.await(
            "acknowledged sends; " + rig.where(),
            Duration.ofSeconds(60),
            () -> rig.history.ackedCount() >= 100);
        rig.fs.full(true);
        Conditions.await(
            "a send refused on the full disk; " + rig.where(),
            Duration.ofSeconds(60),
            () -> !load.failures.isEmpty());
        FaultLoad.Failure refused = load.failures.peek();
        assertTrue(refused.error().contains("disk full"), refused + "; " + rig.where());

        assertTrue(receiveSome(rig, 20) >= 20, "consumers on a full disk; " + rig.where());
        long ackedWhileFull = rig.history.ackedCount();

        rig.fs.clear();
        Conditions.await(
            "sends taken again once space returned; " + rig.where(),
            Duration.ofSeconds(60),
            () -> rig.history.ackedCount() >= ackedWhileFull + 50);
        assertTrue(
            load.alive() == 2,
            "the producers' connections survive a full disk: " + load.failures + rig.where());
        System.out.println(
            "full disk: "
                + load.failures.size()
                + " sends refused, "
                + rig.history.ackedCount()
                + " acknowledged");
      }
      assertEquals(0, rig.broker.stop(), rig.where());
      rig.restartOnBacking();
      ClientHistory history = rig.drainAndStop();
      assertEquals(Set.of(), history.missing(FAILSAFE), "acknowledged sends lost; " + rig.where());
      assertEquals(List.of(), history.violations(), rig.where());
    }
    rig.passed();
  }

  /** Receives (and acknowledges) up to {@code n} messages from the failsafe queue. */
  private static int receiveSome(FaultRig rig, int n) throws Exception {
    try (Connection c = FaultLoad.factory(rig.port).createConnection()) {
      c.start();
      Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      MessageConsumer consumer = s.createConsumer(s.createQueue(FAILSAFE));
      int got = 0;
      while (got < n) {
        jakarta.jms.Message m = consumer.receive(5000);
        if (m == null) {
          break;
        }
        FaultLoad.record(rig.history, FAILSAFE, m);
        got++;
      }
      return got;
    }
  }
}
