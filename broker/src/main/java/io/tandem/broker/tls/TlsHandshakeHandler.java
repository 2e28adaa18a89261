package io.tandem.broker.tls;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.util.logging.Logger;
import javax.net.ssl.SSLException;

/**
 * Follows the {@code SslHandler} of an accepted socket: logs a failed TLS handshake with the
 * client's address and the reason (an untrusted or missing client certificate, a protocol the
 * client does not share, plain bytes on a TLS port) and closes the socket, so that a TLS failure is
 * one log line rather than an exception trace. Removes itself once the handshake succeeded.
 */
public final class TlsHandshakeHandler extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = Logger.getLogger(TlsHandshakeHandler.class.getName());

  private boolean logged;

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof SslHandshakeCompletionEvent done) {
      if (done.isSuccess()) {
        LOG.fine(
            () ->
                "TLS with "
                    + ctx.channel().remoteAddress()
                    + ": "
                    + TlsChannels.protocol(ctx.channel()).orElse("?")
                    + TlsChannels.peerSubject(ctx.channel())
                        .map(p -> ", client certificate " + p.getName())
                        .orElse(""));
        ctx.pipeline().remove(this);
      } else {
        refuse(ctx, done.cause());
      }
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof SSLException || cause.getCause() instanceof SSLException) {
      refuse(ctx, cause);
      return;
    }
    if (cause instanceof DecoderException && cause.getCause() != null) {
      refuse(ctx, cause.getCause());
      return;
    }
    ctx.fireExceptionCaught(cause);
  }

  private void refuse(ChannelHandlerContext ctx, Throwable cause) {
    if (!logged) {
      logged = true;
      Throwable root = cause;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      LOG.warning(
          "TLS handshake with "
              + ctx.channel().remoteAddress()
              + " failed: "
              + (root.getMessage() != null ? root.getMessage() : root.toString()));
    }
    ctx.close();
  }
}
