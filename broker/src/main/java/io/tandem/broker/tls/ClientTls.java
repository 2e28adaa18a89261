package io.tandem.broker.tls;

import io.tandem.broker.BrokerException;
import java.io.IOException;
import java.net.Socket;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * The client side of TLS: the backup's peer link to the primary, or the CLI calling an {@code
 * https://} admin endpoint. Verifies the server's certificate chain against the trusted CAs (the
 * JDK's defaults when none are named) and, unless turned off, that it names the expected host.
 */
public final class ClientTls {
  private final SSLContext context;
  private final SSLParameters parameters;
  private final String expectedHostname;

  private ClientTls(SSLContext context, SSLParameters parameters, String expectedHostname) {
    this.context = context;
    this.parameters = parameters;
    this.expectedHostname = expectedHostname;
  }

  /**
   * Reads the files of {@code s} (identity optional) and checks its options; throws {@link
   * BrokerException} (CONFIG) naming the file or option at fault.
   *
   * @param expectedHostname the name the server's certificate must carry, or {@code null} for the
   *     host dialled
   * @param verifyHostname whether to check the name at all (the chain is always verified)
   */
  public static ClientTls create(TlsSettings s, String expectedHostname, boolean verifyHostname) {
    SSLContext c = Contexts.context(Contexts.keyManager(s), Contexts.trustManager(s));
    SSLParameters p = Contexts.parameters(c, s);
    if (verifyHostname) {
      p.setEndpointIdentificationAlgorithm("HTTPS");
    }
    return new ClientTls(c, p, expectedHostname);
  }

  /** The JDK context, e.g. for an {@code HttpClient}. */
  public SSLContext sslContext() {
    return context;
  }

  /** The protocols, ciphers and hostname check to apply. */
  public SSLParameters parameters() {
    SSLParameters p = new SSLParameters(parameters.getCipherSuites(), parameters.getProtocols());
    p.setEndpointIdentificationAlgorithm(parameters.getEndpointIdentificationAlgorithm());
    return p;
  }

  /**
   * Runs the TLS handshake over {@code connected} (already connected to {@code host}:{@code port},
   * with its read timeout bounding the handshake) and returns the TLS socket; closing either closes
   * both.
   */
  public SSLSocket handshake(Socket connected, String host, int port) throws IOException {
    String name = expectedHostname != null ? expectedHostname : host;
    SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket(connected, name, port, true);
    s.setSSLParameters(parameters());
    s.startHandshake();
    return s;
  }
}
