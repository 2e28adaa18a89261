package io.tandem.broker.ft;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.string.StringDecoder;
import io.netty.handler.codec.string.StringEncoder;
import io.tandem.broker.amqp.PeerService;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The primary's side of the peer protocol on its AMQP port: one {@link PrimaryPeerHandler} per
 * backup connection.
 *
 * @param server this broker's name; a backup with another name is refused
 * @param storeId the store's identity; a backup that sees another store is refused
 * @param epoch the epoch this primary writes the store with
 * @param heartbeat {@code ft_heartbeat}
 * @param activation {@code ft_activation}: a backup silent this long is disconnected
 * @param status where the backup's link state is shown
 * @param nanoTime the clock for heartbeat ages
 * @param credentials this member's credentials, read again for each backup connection; {@code null}
 *     when the pair does not authenticate (authorization disabled)
 */
record PeerAcceptor(
    String server,
    String storeId,
    long epoch,
    Duration heartbeat,
    Duration activation,
    PeerStatus status,
    LongSupplier nanoTime,
    Supplier<PeerCredentials> credentials)
    implements PeerService {

  @Override
  public void initPeerChannel(ChannelPipeline pipeline) {
    pipeline.addLast("peer-frames", new LineBasedFrameDecoder(PeerLine.MAX_LENGTH, true, true));
    pipeline.addLast("peer-decoder", new StringDecoder(StandardCharsets.US_ASCII));
    pipeline.addLast("peer-encoder", new StringEncoder(StandardCharsets.US_ASCII));
    pipeline.addLast("peer", new PrimaryPeerHandler(this));
  }
}
