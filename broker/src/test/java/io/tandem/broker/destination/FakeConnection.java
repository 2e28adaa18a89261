package io.tandem.broker.destination;

/** A client connection as the protocol layer would hand one in; compared by identity. */
final class FakeConnection implements ClientConnection {}
