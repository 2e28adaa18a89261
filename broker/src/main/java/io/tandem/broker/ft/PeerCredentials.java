package io.tandem.broker.ft;

import io.tandem.broker.BrokerException;
import io.tandem.broker.BrokerException.Category;
import io.tandem.broker.config.BrokerConfig;
import io.tandem.broker.security.StoredPassword;
import io.tandem.broker.security.Users;

/**
 * The pair's secret as one member holds it, EMS's scheme: the {@code server} name is a user in the
 * users file, {@code password} is its password. The member proves {@code password} to its peer and
 * checks the peer's proof against {@code entry}, the users file's stored form.
 *
 * @param user the pair's user, the {@code server} name both members share
 * @param password this member's {@code password} (or {@code password_file})
 * @param entry the users file's stored password of {@code user}
 */
record PeerCredentials(String user, String password, StoredPassword entry) {

  /**
   * The credentials {@code config} names; a CONFIG error when the users file does not hold the
   * server name in the salted stored form.
   */
  static PeerCredentials load(BrokerConfig config) {
    String password = config.peerAuth().password();
    if (config.security().users() == null || password == null) {
      throw new BrokerException(
          Category.CONFIG,
          config.source()
              + ": authorization = enabled with ft_active needs users and password (or"
              + " password_file)");
    }
    Users users = Users.load(config.security().users(), true);
    StoredPassword entry = users.scram(config.server());
    if (entry == null) {
      throw new BrokerException(
          Category.CONFIG,
          config.security().users()
              + ": no user '"
              + config.server()
              + "': with authorization = enabled the members of a pair authenticate each other as"
              + " the user named by server, whose password is tandem.conf's password");
    }
    return new PeerCredentials(config.server(), password, entry);
  }

  /** Whether {@code password} is the one the users file stores (one key derivation). */
  boolean consistent() {
    return entry.matches(password.toCharArray());
  }

  @Override
  public String toString() {
    return "PeerCredentials[user=" + user + "]";
  }
}
