package io.tandem.bench.broker;

/** The two brokers compared; Tandem is always A and Artemis B. */
public enum BrokerKind {
  TANDEM("Tandem"),
  ARTEMIS("Artemis");

  private final String label;

  BrokerKind(String label) {
    this.label = label;
  }

  /** The name shown in tables. */
  public String label() {
    return label;
  }

  /** The key used in JSON. */
  public String key() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
