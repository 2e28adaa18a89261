/**
 * TLS for every channel of the broker: AMQP listeners ({@code amqps://}), the admin endpoint
 * ({@code https://}) and the hot-warm pair's peer link. It reads PEM certificate chains, private
 * keys (PKCS#8, encrypted PKCS#8, PKCS#1 and SEC1) and trusted CA files, and serves them through a
 * key manager and a trust manager that re-read the files when they change, so a rotated certificate
 * takes effect on the next handshake without a restart; a file that fails to load keeps the
 * previous material and logs a warning. Only TLS 1.2 and 1.3 are ever enabled.
 *
 * <p>{@link io.tandem.broker.tls.ServerTls} makes the server side (a Netty {@code SslHandler} per
 * accepted AMQP socket, or an {@code SSLContext} for the admin endpoint); {@link
 * io.tandem.broker.tls.ClientTls} the client side (the backup's peer link, the CLI). Code that
 * decides on authentication asks {@link io.tandem.broker.tls.TlsChannels} whether a channel runs
 * TLS ({@code isTls}) and for the client's verified certificate chain ({@code verifiedPeerChain})
 * or its subject ({@code peerSubject}); these are empty unless the handshake verified a client
 * certificate against the listener's trusted CAs.
 */
package io.tandem.broker.tls;
