package io.tandem.broker.config;

/**
 * How the members of a hot-warm pair authenticate each other: with {@code authorization = enabled}
 * the {@code server} name is a user in the {@code users} file and {@code password} (or the first
 * line of {@code password_file}) is its password, which each member proves to the other without
 * sending it.
 *
 * @param required whether {@code authorization = enabled}, so an FT peer must authenticate
 * @param password the pair's password, or {@code null} when none is configured
 */
public record PeerAuthConfig(boolean required, String password) {
  /** Authorization disabled and no password. */
  public static PeerAuthConfig none() {
    return new PeerAuthConfig(false, null);
  }

  @Override
  public String toString() {
    return "PeerAuthConfig[required="
        + required
        + ", password="
        + (password == null ? "none" : "***")
        + "]";
  }
}
