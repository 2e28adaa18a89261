package io.tandem.broker.store;

import static io.tandem.broker.store.FaultRig.ASYNC;
import static io.tandem.broker.store.FaultRig.FAILSAFE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.broker.Conditions;
import io.tandem.broker.ft.ClientHistory;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A power cut under a real broker: synchronous failsafe producers and a consumer (Qpid JMS) run
 * while the {@link FaultFs} drops every write not yet fsynced and fails everything after; the
 * broker is killed, and restarted on the backing directory, which now holds exactly what the disk
 * would have kept. Every failsafe send the producers were told succeeded must be there (a producer
 * on an ordinary queue keeps unsynced writes pending; those sends may be lost by a host crash, as
 * documented, and are not checked).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PowerCutTest {
  @Test
  void shouldKeepEveryAcknowledgedFailsafeSendAcrossAPowerCut() throws Exception {
    FaultRig rig = FaultRig.create("power-cut", "store_minimum = 1MB\n");
    try (rig) {
      BrokerProcess broker = rig.startOnFaultFs();
      long dropped;
      try (FaultLoad load = new FaultLoad(rig.port, rig.history, 100_000)) {
        load.producers(FAILSAFE, 4).consumer(FAILSAFE).producers(ASYNC, 1);
        Conditions.await(
            "acknowledged sends; " + rig.where(),
            Duration.ofSeconds(60),
            () -> rig.history.ackedCount() >= 400);
        // Right after a write, so that something written is not flushed yet: a sync send
        // between its write and its fdatasync, or the asynchronous journal's pending writes.
        rig.fs.powerCutAfter("write", 1);
        rig.fs.await("cut", 1, Duration.ofSeconds(20));
        broker.kill();
        dropped = rig.fs.stat("dropped");
      }
      rig.restartOnBacking();
      ClientHistory history = rig.drainAndStop();
      assertEquals(Set.of(), history.missing(FAILSAFE), "acknowledged sends lost; " + rig.where());
      assertEquals(List.of(), history.violations(), rig.where());
      assertTrue(dropped > 0, "the cut dropped nothing unsynced; " + rig.where());
      System.out.println(
          "power cut: "
              + history.ackedCount()
              + " acknowledged sends kept, "
              + dropped
              + " unsynced pages dropped, "
              + history.receivedCount()
              + " received");
    }
    rig.passed();
  }
}
