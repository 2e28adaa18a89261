package io.tandem.broker.storagecheck;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How to run a storage check.
 *
 * @param dir the directory to qualify (on the storage the store would use)
 * @param quick fewer rounds and smaller files: seconds instead of about a minute
 * @param twoHosts wait for {@code tandem storage-check --peer DIR} started on another host instead
 *     of starting the peer as a local child process
 * @param peerTimeout how long to wait for the peer to answer
 * @param locks the lock to take; anything but {@link LockSimulation#NONE} only demonstrates a
 *     failure
 */
public record CheckOptions(
    Path dir, boolean quick, boolean twoHosts, Duration peerTimeout, LockSimulation locks) {

  int kills() {
    return quick ? 4 : 20;
  }

  long maxOrderBlocks() {
    return quick ? 4096 : 32768;
  }

  int persistRounds() {
    return quick ? 10 : 50;
  }

  int contentionRounds() {
    return quick ? 30 : 200;
  }

  int deaths() {
    return quick ? 2 : 5;
  }

  int fsyncSamples() {
    return quick ? 200 : 2000;
  }

  int bandwidthMiB() {
    return quick ? 16 : 256;
  }

  int lockSamples() {
    return quick ? 20 : 100;
  }
}
