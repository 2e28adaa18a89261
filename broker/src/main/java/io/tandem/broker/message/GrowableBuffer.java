package io.tandem.broker.message;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.apache.qpid.proton.codec.ReadableBuffer;
import org.apache.qpid.proton.codec.WritableBuffer;

/** A {@link WritableBuffer} over a byte array that grows as the encoder writes. */
final class GrowableBuffer implements WritableBuffer {
  private byte[] bytes;
  private int position;

  GrowableBuffer(int initialCapacity) {
    bytes = new byte[Math.max(16, initialCapacity)];
  }

  byte[] toByteArray() {
    return Arrays.copyOf(bytes, position);
  }

  @Override
  public void ensureRemaining(int needed) {
    if (bytes.length - position < needed) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, position + needed));
    }
  }

  @Override
  public void put(byte b) {
    ensureRemaining(1);
    bytes[position++] = b;
  }

  @Override
  public void putFloat(float f) {
    putInt(Float.floatToRawIntBits(f));
  }

  @Override
  public void putDouble(double d) {
    putLong(Double.doubleToRawLongBits(d));
  }

  @Override
  public void put(byte[] src, int offset, int length) {
    ensureRemaining(length);
    System.arraycopy(src, offset, bytes, position, length);
    position += length;
  }

  @Override
  public void putShort(short s) {
    put((byte) (s >> 8));
    put((byte) s);
  }

  @Override
  public void putInt(int i) {
    putShort((short) (i >> 16));
    putShort((short) i);
  }

  @Override
  public void putLong(long l) {
    putInt((int) (l >> 32));
    putInt((int) l);
  }

  @Override
  public boolean hasRemaining() {
    return true;
  }

  @Override
  public int remaining() {
    return Integer.MAX_VALUE - position;
  }

  @Override
  public int position() {
    return position;
  }

  @Override
  public void position(int newPosition) {
    ensureRemaining(newPosition - position);
    position = newPosition;
  }

  @Override
  public void put(ByteBuffer src) {
    int n = src.remaining();
    ensureRemaining(n);
    src.get(bytes, position, n);
    position += n;
  }

  @Override
  public void put(ReadableBuffer src) {
    int n = src.remaining();
    ensureRemaining(n);
    src.get(bytes, position, n);
    position += n;
  }

  @Override
  public int limit() {
    return Integer.MAX_VALUE;
  }
}
