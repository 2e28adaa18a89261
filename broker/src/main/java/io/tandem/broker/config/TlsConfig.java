package io.tandem.broker.config;

import io.tandem.broker.tls.TlsSettings;

/**
 * TLS on the broker's channels: the {@code ssl_*}, {@code admin_ssl_*} and {@code ft_ssl_*} keys of
 * {@code tandem.conf}. Each side is {@code null} where TLS is not configured. Protocols and ciphers
 * ({@code ssl_protocols}, {@code ssl_ciphers}) are the same on every side.
 *
 * @param server the {@code amqps://} listeners' certificate, key and client-certificate policy
 *     ({@code ssl_server_identity}, {@code ssl_server_key}, {@code ssl_password}, {@code
 *     ssl_server_trusted}, {@code ssl_require_client_cert})
 * @param admin the {@code https://} admin endpoint's: {@code admin_ssl_*}, else the server's files
 * @param ft the backup's side of the peer link when {@code ft_active} is {@code amqps://} ({@code
 *     ft_ssl_identity}, {@code ft_ssl_private_key}, {@code ft_ssl_password}, {@code
 *     ft_ssl_trusted}); the primary accepts its peer only over TLS then
 * @param ftExpectedHostname the name the primary's certificate must carry ({@code
 *     ft_ssl_expected_hostname}), or {@code null} for the host of {@code ft_active}
 * @param ftVerifyHostname whether the backup checks that name ({@code ft_ssl_verify_hostname})
 */
public record TlsConfig(
    TlsSettings server,
    TlsSettings admin,
    TlsSettings ft,
    String ftExpectedHostname,
    boolean ftVerifyHostname) {

  /** No TLS anywhere. */
  public static TlsConfig none() {
    return new TlsConfig(null, null, null, null, true);
  }

  /** Whether the pair's peer protocol must run over TLS (the primary refuses it in clear). */
  public boolean peerOverTlsOnly() {
    return ft != null;
  }
}
