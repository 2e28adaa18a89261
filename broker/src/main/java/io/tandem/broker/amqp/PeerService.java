package io.tandem.broker.amqp;

import io.netty.channel.ChannelPipeline;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The hot-warm pair's peer protocol, served on the AMQP port next to AMQP: a backup dials the
 * primary's client address (its {@code ft_active}), so one port serves both and no extra firewall
 * rule is needed. A peer connection starts with {@link #HEADER} where an AMQP client sends {@code
 * AMQP}.
 */
public interface PeerService {
  /** What a peer sends first: as long as an AMQP protocol header, and never one. */
  byte[] HEADER = "TNDMFT01".getBytes(StandardCharsets.US_ASCII);

  /** Whether {@code first} (at least {@link #HEADER}'s length) opens a peer connection. */
  static boolean isPeerHeader(byte[] first) {
    return Arrays.equals(first, 0, HEADER.length, HEADER, 0, HEADER.length);
  }

  /** Adds the handlers that serve one peer connection; the header has been consumed. */
  void initPeerChannel(ChannelPipeline pipeline);
}
