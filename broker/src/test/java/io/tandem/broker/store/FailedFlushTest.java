package io.tandem.broker.store;

import static io.tandem.broker.store.FaultRig.ASYNC;
import static io.tandem.broker.store.FaultRig.FAILSAFE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.testing.Await;
import io.tandem.testing.ClientHistory;
import io.tandem.testing.ClientLoad;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A real broker whose store's fdatasync fails (on the {@link FaultFs}) while Qpid JMS producers
 * send to a failsafe queue: the failed flush is fatal ({@code STORE FAILED:}, exit status 1), and
 * after a restart on the healthy backing directory every acknowledged send is there. The file
 * system drops the data of a failed fsync from what ever reaches the disk, as Linux does after a
 * writeback error, so a send acknowledged after its batch's flush failed (a retried fsync that
 * "succeeds") shows up as missing.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class FailedFlushTest {
  private static final Duration EXIT = Duration.ofSeconds(15);

  @ParameterizedTest(name = "fdatasync fails with {0}")
  @ValueSource(strings = {"EIO", "ENOSPC"})
  void shouldStopWithStoreFailedAndKeepEveryAcknowledgedSendWhenFdatasyncFails(String errno)
      throws Exception {
    FaultRig rig = FaultRig.create("fsync-" + errno, "store_minimum = 1MB\n");
    try (rig) {
      BrokerProcess broker = rig.startOnFaultFs();
      long failedAt;
      try (ClientLoad load =
          new ClientLoad(ClientLoad.localUri(rig.port), rig.history).messageBytes(1024)) {
        load.producers(FAILSAFE, 4).consumer(FAILSAFE);
        Await.until(
            "acknowledged sends; " + rig.where(),
            Duration.ofSeconds(60),
            () -> rig.history.ackedCount() >= 200);
        rig.fs.fail("fsync", errno, 1);
        rig.fs.await("errors.fsync", 1, Duration.ofSeconds(30));
        failedAt = System.nanoTime();
        int status = broker.awaitExit(EXIT);
        String log = rig.brokerLog();
        assertFalse(
            FaultRig.lines(log, "STORE FAILED:").isEmpty(),
            "no STORE FAILED: line after fdatasync failed with " + errno + "; " + rig.where());
        assertEquals(1, status, "exit status after a failed fdatasync; " + rig.where());
        long lateAcks = load.lastAckNanos() - failedAt;
        System.out.println(
            "fdatasync "
                + errno
                + ": "
                + rig.history.ackedCount()
                + " acknowledged sends, last acknowledgement "
                + TimeUnit.NANOSECONDS.toMillis(lateAcks)
                + " ms after the failure was seen");
      }
      rig.restartOnBacking();
      ClientHistory history = rig.drainAndStop();
      assertEquals(Set.of(), history.missing(FAILSAFE), "acknowledged sends lost; " + rig.where());
      assertEquals(List.of(), history.violations(), rig.where());
    }
    rig.passed();
  }

  /**
   * The background flush of {@code async-msgs.db} fails: the broker must not carry on (the kernel
   * may have dropped the pages it was flushing).
   */
  @Test
  void shouldStopWithStoreFailedWhenTheBackgroundFlushOfTheAsyncJournalFails() throws Exception {
    FaultRig rig = FaultRig.create("async-flush", "store_minimum = 1MB\n");
    try (rig) {
      BrokerProcess broker = rig.startOnFaultFs();
      try (ClientLoad load =
          new ClientLoad(ClientLoad.localUri(rig.port), rig.history).messageBytes(1024)) {
        load.producers(ASYNC, 2);
        Await.until(
            "acknowledged sends; " + rig.where(),
            Duration.ofSeconds(60),
            () -> rig.history.ackedCount() >= 200);
        rig.fs.fail("fsync", "EIO", 1);
        rig.fs.await("errors.fsync", 1, Duration.ofSeconds(30));
        int status = broker.awaitExit(EXIT);
        assertTrue(
            rig.brokerLog().contains("STORE FAILED:"), "no STORE FAILED: line; " + rig.where());
        assertEquals(1, status, rig.where());
      }
    }
    rig.passed();
  }
}
