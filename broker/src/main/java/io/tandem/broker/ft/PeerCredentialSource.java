package io.tandem.broker.ft;

import io.tandem.broker.BrokerException;
import io.tandem.broker.BrokerException.Category;
import io.tandem.broker.config.BrokerConfig;
import io.tandem.broker.config.ConfigLoader;
import java.nio.file.Path;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * This member's {@link PeerCredentials}, read again from {@code tandem.conf} and the users file for
 * every new peer connection, so that the pair's password can be changed without a restart (an
 * established link stays as it was authenticated). A file that no longer reads leaves the last good
 * credentials in use, with a warning; whether the pair authenticates at all is fixed at start.
 */
final class PeerCredentialSource implements Supplier<PeerCredentials> {
  private static final Logger LOG = Logger.getLogger(PeerCredentialSource.class.getName());

  private final Path configFile;
  private PeerCredentials current;
  private String lastProblem;

  private PeerCredentialSource(Path configFile, PeerCredentials first) {
    this.configFile = configFile;
    this.current = first;
  }

  /**
   * The source for a member started with {@code config}; a CONFIG error when the users file lacks
   * the pair's user or {@code password} is not the password it stores.
   */
  static PeerCredentialSource start(Path configFile, BrokerConfig config) {
    PeerCredentials first = PeerCredentials.load(config);
    if (!first.consistent()) {
      throw new BrokerException(
          Category.CONFIG,
          config.source()
              + ": password is not the password "
              + config.security().users()
              + " stores for user '"
              + config.server()
              + "' (the pair's user); the members would refuse each other");
    }
    return new PeerCredentialSource(configFile, first);
  }

  @Override
  public synchronized PeerCredentials get() {
    PeerCredentials read;
    try {
      BrokerConfig config = ConfigLoader.load(configFile);
      if (!config.peerAuth().required()) {
        throw new BrokerException(
            Category.CONFIG,
            configFile + ": authorization was disabled; that takes effect at the next start");
      }
      read = PeerCredentials.load(config);
    } catch (BrokerException e) {
      problem("FT peer credentials not re-read, the previous ones stay in use: " + e.getMessage());
      return current;
    }
    if (!read.equals(current)) {
      if (!read.consistent()) {
        problem(
            "this member's password is not the one its users file stores for '"
                + read.user()
                + "'; until both match the peer refuses it or it refuses the peer");
      } else {
        lastProblem = null;
      }
      LOG.info("FT peer credentials changed: new peer connections use them");
      current = read;
    }
    return current;
  }

  private void problem(String message) {
    if (!message.equals(lastProblem)) {
      LOG.warning(message);
      lastProblem = message;
    }
  }
}
