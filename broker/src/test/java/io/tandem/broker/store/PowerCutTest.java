package io.tandem.broker.store;

import static io.tandem.broker.store.FaultRig.ASYNC;
import static io.tandem.broker.store.FaultRig.FAILSAFE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.testing.Await;
import io.tandem.testing.ClientHistory;
import io.tandem.testing.ClientLoad;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Power cuts under a real broker: synchronous failsafe producers, a consumer and a producer on an
 * ordinary queue (Qpid JMS) run while the {@link FaultFs} drops every write not yet fsynced and
 * fails everything after; the broker is killed. The next round recovers that store on a new mount
 * and is cut again; at the end the broker is restarted on the backing directory, which holds
 * exactly what the disk would have kept. Every failsafe send the producers were told succeeded must
 * be there (the ordinary queue's sends may be lost by a host crash, as documented, and are not
 * checked).
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class PowerCutTest {
  private static final int ROUNDS = 2;

  @Test
  void shouldKeepEveryAcknowledgedFailsafeSendAcrossPowerCuts() throws Exception {
    FaultRig rig = FaultRig.create("power-cut", "store_minimum = 1MB\n");
    Random random = new Random();
    long dropped = 0;
    try (rig) {
      for (int round = 0; round < ROUNDS; round++) {
        BrokerProcess broker = rig.startOnFaultFs();
        try (ClientLoad load =
            new ClientLoad(ClientLoad.localUri(rig.port), rig.history).messageBytes(1024)) {
          load.producers(FAILSAFE, 4).consumer(FAILSAFE).producers(ASYNC, 1);
          long before = rig.history.ackedCount();
          Await.until(
              "acknowledged sends in round " + round + "; " + rig.where(),
              Duration.ofSeconds(60),
              () -> rig.history.ackedCount() >= before + 150);
          // Right after a write, so that something written is not flushed yet: a sync send
          // between its write and its fdatasync, or the asynchronous journal's pending writes.
          rig.fs.powerCutAfter("write", 1 + random.nextInt(20));
          rig.fs.await("cut", 1, Duration.ofSeconds(20));
          broker.kill();
          dropped += rig.fs.stat("dropped");
        }
        rig.stop();
      }
      rig.restartOnBacking();
      ClientHistory history = rig.drainAndStop();
      assertEquals(Set.of(), history.missing(FAILSAFE), "acknowledged sends lost; " + rig.where());
      assertEquals(List.of(), history.violations(), rig.where());
      assertTrue(dropped > 0, "the cuts dropped nothing unsynced; " + rig.where());
      System.out.println(
          "power cuts: "
              + ROUNDS
              + " cuts, "
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
