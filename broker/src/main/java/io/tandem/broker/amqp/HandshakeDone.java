package io.tandem.broker.amqp;

/**
 * The pipeline event a protocol handler fires (from the pipeline's head) once its peer finished the
 * handshake: an AMQP open, or a pair peer's accepted HELLO.
 */
public enum HandshakeDone {
  /** A client connection: it keeps its {@code max_connections} slot while it is open. */
  CLIENT(true),
  /** A pair peer: not a client, so it gives its slot back. */
  PEER(false);

  private final boolean keepsSlot;

  HandshakeDone(boolean keepsSlot) {
    this.keepsSlot = keepsSlot;
  }

  boolean keepsSlot() {
    return keepsSlot;
  }
}
