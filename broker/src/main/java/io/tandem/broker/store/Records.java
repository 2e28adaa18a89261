package io.tandem.broker.store;

import java.util.ArrayList;
import java.util.List;

/** Typed record bodies and their encoding. */
final class Records {
  private Records() {}

  /** A decoded record body. */
  sealed interface Body
      permits AddBody,
          RemoveBody,
          SubscriptionBody,
          DeleteBody,
          LimitsBody,
          CheckpointBody,
          DuplicatesBody,
          CleanBody {
    RecordType type();

    void write(Payload.Writer w);
  }

  /** A stored message with the queues referencing it and its duplicate-detection identity. */
  record AddBody(
      long messageId,
      long expiresAt,
      List<String> queueKeys,
      String dupKey,
      String producerId,
      byte[] data)
      implements Body {
    @Override
    public RecordType type() {
      return RecordType.ADD;
    }

    @Override
    public void write(Payload.Writer w) {
      w.putLong(messageId).putLong(expiresAt).putInt(queueKeys.size());
      queueKeys.forEach(w::putString);
      w.putString(dupKey).putString(producerId).putBytes(data);
    }
  }

  /** An acknowledged reference. */
  record RemoveBody(String queueKey, long messageId) implements Body {
    @Override
    public RecordType type() {
      return RecordType.REMOVE;
    }

    @Override
    public void write(Payload.Writer w) {
      w.putString(queueKey).putLong(messageId);
    }
  }

  /** A durable subscription. */
  record SubscriptionBody(SubscriptionRecord record) implements Body {
    @Override
    public RecordType type() {
      return RecordType.SUBSCRIPTION;
    }

    @Override
    public void write(Payload.Writer w) {
      w.putString(record.key()).putString(record.clientId()).putString(record.name());
      w.putString(record.topic()).putString(record.selector());
      w.putBoolean(record.noLocal()).putBoolean(record.shared());
    }
  }

  /** A deleted subscription: refs to {@code key} added in batches before {@code deletedAt} die. */
  record DeleteBody(String key, long deletedAt) implements Body {
    @Override
    public RecordType type() {
      return RecordType.DELETE_SUBSCRIPTION;
    }

    @Override
    public void write(Payload.Writer w) {
      w.putString(key).putLong(deletedAt);
    }
  }

  /** How far each listed segment of an older epoch is valid, as an epoch start or a re-write. */
  record LimitsBody(boolean epochStart, long maxMessageId, List<SegmentLimit> limits)
      implements Body {
    @Override
    public RecordType type() {
      return epochStart ? RecordType.EPOCH_START : RecordType.LIMITS;
    }

    @Override
    public void write(Payload.Writer w) {
      w.putLong(maxMessageId).putInt(limits.size());
      for (SegmentLimit s : limits) {
        w.putString(s.journal()).putString(s.segment()).putLong(s.validEnd());
      }
    }
  }

  /** One segment's valid length as a newer epoch observed it. */
  record SegmentLimit(String journal, String segment, long validEnd) {}

  /**
   * Every batch of the writing epoch or an older one with an id up to {@code completeUpTo} is
   * complete on disk, except {@code aborted} ones, which failed after writing part of their
   * records.
   */
  record CheckpointBody(long completeUpTo, long maxMessageId, List<StoreIndex.BatchId> aborted)
      implements Body {
    @Override
    public RecordType type() {
      return RecordType.CHECKPOINT;
    }

    @Override
    public void write(Payload.Writer w) {
      w.putLong(completeUpTo).putLong(maxMessageId).putInt(aborted.size());
      aborted.forEach(a -> w.putLong(a.epoch()).putLong(a.batch()));
    }
  }

  /** Duplicate-detection entries: destination key and producer message id each. */
  record DuplicatesBody(List<DuplicateWindow.Id> entries) implements Body {
    @Override
    public RecordType type() {
      return RecordType.DUPLICATES;
    }

    @Override
    public void write(Payload.Writer w) {
      w.putInt(entries.size());
      entries.forEach(e -> w.putString(e.destination()).putString(e.producerId()));
    }
  }

  /** A clean close. */
  record CleanBody(long maxMessageId) implements Body {
    @Override
    public RecordType type() {
      return RecordType.CLEAN_SHUTDOWN;
    }

    @Override
    public void write(Payload.Writer w) {
      w.putLong(maxMessageId);
    }
  }

  static byte[] encode(Body body) {
    Payload.Writer w = new Payload.Writer();
    body.write(w);
    return w.toBytes();
  }

  /** Decodes the body of {@code frame}; throws STORE_CORRUPT if it does not parse. */
  static Body decode(Frame frame) {
    Payload.Reader r = new Payload.Reader(frame.payload());
    return switch (frame.type()) {
      case ADD -> {
        long id = r.getLong();
        long expires = r.getLong();
        int n = r.getCount(4);
        List<String> keys = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          keys.add(r.getString());
        }
        yield new AddBody(id, expires, keys, r.getString(), r.getString(), r.getBytes());
      }
      case REMOVE -> new RemoveBody(r.getString(), r.getLong());
      case SUBSCRIPTION ->
          new SubscriptionBody(
              new SubscriptionRecord(
                  r.getString(),
                  r.getString(),
                  r.getString(),
                  r.getString(),
                  r.getString(),
                  r.getBoolean(),
                  r.getBoolean()));
      case DELETE_SUBSCRIPTION -> new DeleteBody(r.getString(), r.getLong());
      case EPOCH_START -> decodeLimits(true, r);
      case LIMITS -> decodeLimits(false, r);
      case CHECKPOINT -> {
        long upTo = r.getLong();
        long max = r.getLong();
        int n = r.getCount(16);
        List<StoreIndex.BatchId> aborted = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          aborted.add(new StoreIndex.BatchId(r.getLong(), r.getLong()));
        }
        yield new CheckpointBody(upTo, max, aborted);
      }
      case DUPLICATES -> {
        int n = r.getCount(8);
        List<DuplicateWindow.Id> entries = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          entries.add(new DuplicateWindow.Id(r.getString(), r.getString()));
        }
        yield new DuplicatesBody(entries);
      }
      case CLEAN_SHUTDOWN -> new CleanBody(r.getLong());
    };
  }

  private static LimitsBody decodeLimits(boolean epochStart, Payload.Reader r) {
    long max = r.getLong();
    int n = r.getCount(16);
    List<SegmentLimit> limits = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      limits.add(new SegmentLimit(r.getString(), r.getString(), r.getLong()));
    }
    return new LimitsBody(epochStart, max, limits);
  }
}
