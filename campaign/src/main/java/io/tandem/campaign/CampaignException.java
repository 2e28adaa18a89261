package io.tandem.campaign;

/** The campaign could not build, drive or tear down its hosts; the message says what and why. */
public final class CampaignException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  CampaignException(String message) {
    super(message);
  }

  CampaignException(String message, Throwable cause) {
    super(message, cause);
  }
}
