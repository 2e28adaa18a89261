package io.tandem.broker.amqp;

/** The version announced to clients. */
final class BrokerVersion {
  static final String VERSION =
      BrokerVersion.class.getPackage().getImplementationVersion() != null
          ? BrokerVersion.class.getPackage().getImplementationVersion()
          : "dev";

  private BrokerVersion() {}
}
