package io.tandem.bench.cost;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A HotSpot JVM's performance counters: the shared-memory file {@code /tmp/hsperfdata_USER/PID}
 * every HotSpot JVM keeps unless started with {@code -XX:-UsePerfData}. The JVM updates the
 * counters in place, so one mapping of the file reads them live.
 *
 * <p>Layout (HotSpot's {@code perfMemory.hpp}): a 32-byte prologue (magic {@code 0xcafec0c0}, byte
 * order, versions, a flag saying the buffer is ready, then at offset 24 the first entry's offset
 * and at 28 the number of entries), then entries one after another, each a 20-byte header (entry
 * length, name offset, vector length, type, flags, units, variability, data offset), its
 * NUL-terminated name and its data. Only scalar {@code long} entries (type {@code 'J'}) are read
 * here.
 */
final class PerfData {
  static final int MAGIC = 0xcafec0c0;
  private static final int PROLOGUE = 32;
  private static final int ENTRY_HEADER = 20;
  private static final byte LONG = 'J';

  private final ByteBuffer buffer;
  private final Map<String, Integer> longs = new HashMap<>();

  private PerfData(ByteBuffer buffer) {
    this.buffer = buffer;
    index();
  }

  /** The counters of the JVM with this PID, if its perf-data file can be found and read. */
  static Optional<PerfData> ofProcess(long pid) {
    for (Path f : candidates(pid)) {
      if (Files.isReadable(f)) {
        try {
          return Optional.of(map(f));
        } catch (IOException | IllegalArgumentException e) {
          return Optional.empty();
        }
      }
    }
    return Optional.empty();
  }

  /** Maps a perf-data file read-only. */
  static PerfData map(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      return of(ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size()));
    }
  }

  /** Reads counters from a buffer holding a perf-data image. */
  static PerfData of(ByteBuffer image) {
    return new PerfData(image.duplicate());
  }

  /** The long counter's current value, if the JVM has it. */
  Optional<Long> get(String name) {
    Integer at = longs.get(name);
    if (at == null) {
      return Optional.empty();
    }
    return Optional.of(buffer.getLong(at));
  }

  /** The long counter's current value; {@code otherwise} when the JVM has no such counter. */
  long get(String name, long otherwise) {
    Integer at = longs.get(name);
    return at == null ? otherwise : buffer.getLong(at);
  }

  private void index() {
    if (buffer.limit() < PROLOGUE) {
      throw new IllegalArgumentException("perf data shorter than its prologue");
    }
    if (buffer.order(ByteOrder.BIG_ENDIAN).getInt(0) != MAGIC) {
      throw new IllegalArgumentException("not HotSpot perf data (bad magic)");
    }
    buffer.order(buffer.get(4) == 0 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
    int at = buffer.getInt(24);
    int entries = buffer.getInt(28);
    for (int i = 0; i < entries; i++) {
      if (at < PROLOGUE || at > buffer.limit() - ENTRY_HEADER) {
        throw new IllegalArgumentException("perf data entry " + i + " outside the buffer");
      }
      int length = buffer.getInt(at);
      if (length < ENTRY_HEADER || length > buffer.limit() - at) {
        throw new IllegalArgumentException("perf data entry " + i + " has length " + length);
      }
      int vector = buffer.getInt(at + 8);
      int data = at + buffer.getInt(at + 16);
      if (buffer.get(at + 12) == LONG && vector == 0 && data >= at && data <= at + length - 8) {
        longs.put(name(at, length), data);
      }
      at += length;
    }
  }

  private String name(int entry, int length) {
    int start = entry + buffer.getInt(entry + 4);
    if (start < entry + ENTRY_HEADER || start >= entry + length) {
      return "";
    }
    int end = start;
    while (end < entry + length && buffer.get(end) != 0) {
      end++;
    }
    byte[] b = new byte[end - start];
    for (int i = 0; i < b.length; i++) {
      b[i] = buffer.get(start + i);
    }
    return new String(b, StandardCharsets.US_ASCII);
  }

  /** HotSpot writes the file into /tmp whatever java.io.tmpdir says. */
  private static Path[] candidates(long pid) {
    String user = System.getProperty("user.name");
    return new Path[] {
      Path.of("/tmp", "hsperfdata_" + user, Long.toString(pid)),
      Path.of(System.getProperty("java.io.tmpdir"), "hsperfdata_" + user, Long.toString(pid))
    };
  }
}
