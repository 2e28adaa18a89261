package io.tandem.broker.store;

/** The kinds of journal records; the code is the byte stored in each frame. */
enum RecordType {
  /** A message and the store queues that reference it (message journals). */
  ADD(1),
  /** One acknowledged reference (in the journal holding the message). */
  REMOVE(2),
  /** A durable subscription created or replaced (meta). */
  SUBSCRIPTION(3),
  /** A durable subscription deleted, with the batch that deleted it (meta). */
  DELETE_SUBSCRIPTION(4),
  /** An epoch began: how much of every older segment it recovered (meta). */
  EPOCH_START(5),
  /** Every batch up to an id is complete and flushed in all journals (meta). */
  CHECKPOINT(6),
  /** Duplicate-detection entries whose messages were compacted away (meta). */
  DUPLICATES(7),
  /** The broker closed the store cleanly (meta). */
  CLEAN_SHUTDOWN(8),
  /** Segment limits re-written when meta is compacted (meta). */
  LIMITS(9);

  final byte code;

  RecordType(int code) {
    this.code = (byte) code;
  }

  static RecordType of(byte code) {
    for (RecordType t : values()) {
      if (t.code == code) {
        return t;
      }
    }
    return null;
  }
}
