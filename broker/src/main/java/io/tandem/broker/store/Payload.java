package io.tandem.broker.store;

import io.tandem.broker.BrokerException;
import io.tandem.broker.BrokerException.Category;
import java.io.ByteArrayOutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Writes and reads record bodies; the reader checks every length against what is left. */
final class Payload {
  private Payload() {}

  /** Builds a body. */
  static final class Writer {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(64);
    private final ByteBuffer scratch = ByteBuffer.allocate(8);

    Writer putLong(long v) {
      out.write(scratch.clear().putLong(v).array(), 0, 8);
      return this;
    }

    Writer putInt(int v) {
      out.write(scratch.clear().putInt(v).array(), 0, 4);
      return this;
    }

    Writer putBoolean(boolean v) {
      out.write(v ? 1 : 0);
      return this;
    }

    /** A string, or null (length -1). */
    Writer putString(String s) {
      if (s == null) {
        return putInt(-1);
      }
      return putBytes(s.getBytes(StandardCharsets.UTF_8));
    }

    Writer putBytes(byte[] bytes) {
      putInt(bytes.length);
      out.write(bytes, 0, bytes.length);
      return this;
    }

    byte[] toBytes() {
      return out.toByteArray();
    }
  }

  /** Reads a body; a body that does not parse is corruption. */
  static final class Reader {
    private final ByteBuffer in;

    Reader(byte[] payload) {
      this.in = ByteBuffer.wrap(payload);
    }

    long getLong() {
      try {
        return in.getLong();
      } catch (BufferUnderflowException e) {
        throw bad("truncated number");
      }
    }

    int getInt() {
      try {
        return in.getInt();
      } catch (BufferUnderflowException e) {
        throw bad("truncated number");
      }
    }

    boolean getBoolean() {
      if (!in.hasRemaining()) {
        throw bad("truncated flag");
      }
      return in.get() != 0;
    }

    String getString() {
      int n = getInt();
      if (n == -1) {
        return null;
      }
      return new String(bytes(n), StandardCharsets.UTF_8);
    }

    byte[] getBytes() {
      return bytes(getInt());
    }

    /** A count of items each at least {@code minItemBytes} long, checked against what is left. */
    int getCount(int minItemBytes) {
      int n = getInt();
      if (n < 0 || (long) n * minItemBytes > in.remaining()) {
        throw bad("count " + n + " exceeds the record");
      }
      return n;
    }

    private byte[] bytes(int n) {
      if (n < 0 || n > in.remaining()) {
        throw bad("length " + n + " exceeds the record");
      }
      byte[] b = new byte[n];
      in.get(b);
      return b;
    }

    private static BrokerException bad(String what) {
      return new BrokerException(Category.STORE_CORRUPT, "record body unreadable: " + what);
    }
  }
}
