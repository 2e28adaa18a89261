package io.tandem.broker.ft;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * What {@code /state} shows about the other member: whether the link is up, to or from where, and
 * how long ago it was last heard. Written by the link's thread, read by the admin endpoint.
 */
final class PeerStatus {
  private final LongSupplier nanoTime;
  private String remote;
  private long lastHeardNanos;
  private boolean connected;

  PeerStatus(LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
  }

  synchronized void connected(String remoteAddress) {
    remote = remoteAddress;
    connected = true;
    lastHeardNanos = nanoTime.getAsLong();
  }

  synchronized void heard() {
    lastHeardNanos = nanoTime.getAsLong();
  }

  synchronized void disconnected() {
    connected = false;
  }

  synchronized Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("peer_connected", connected);
    if (remote != null) {
      m.put("peer_address", remote);
      m.put("last_heartbeat_age_ms", (nanoTime.getAsLong() - lastHeardNanos) / 1_000_000);
    }
    return m;
  }
}
