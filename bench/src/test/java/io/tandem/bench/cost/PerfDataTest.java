package io.tandem.bench.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PerfDataTest {
  /** Writes a perf-data image as HotSpot lays it out, with one string entry among the longs. */
  static ByteBuffer image(ByteOrder order, Map<String, Long> longs) {
    ByteArrayOutputStream entries = new ByteArrayOutputStream();
    int count = 0;
    entries.writeBytes(
        entry(order, "java.property.java.vm.name", 'B', 3, new byte[] {'J', 'V', 0}));
    count++;
    for (Map.Entry<String, Long> e : longs.entrySet()) {
      byte[] data = ByteBuffer.allocate(8).order(order).putLong(e.getValue()).array();
      entries.writeBytes(entry(order, e.getKey(), 'J', 0, data));
      count++;
    }
    ByteBuffer b = ByteBuffer.allocate(32 + entries.size()).order(order);
    b.order(ByteOrder.BIG_ENDIAN).putInt(PerfData.MAGIC).order(order);
    b.put((byte) (order == ByteOrder.BIG_ENDIAN ? 0 : 1)).put((byte) 2).put((byte) 0).put((byte) 1);
    b.putInt(32 + entries.size()).putInt(0).putLong(0).putInt(32).putInt(count);
    b.put(entries.toByteArray());
    return b.flip();
  }

  /** Header, name padded to 8 bytes, data: as HotSpot aligns long data. */
  private static byte[] entry(ByteOrder order, String name, char type, int vector, byte[] data) {
    byte[] n = (name + "\0").getBytes(StandardCharsets.US_ASCII);
    int nameSpace = (20 + n.length + 7) / 8 * 8 - 20;
    int length = 20 + nameSpace + (data.length + 7) / 8 * 8;
    ByteBuffer b = ByteBuffer.allocate(length).order(order);
    b.putInt(length).putInt(20).putInt(vector);
    b.put((byte) type).put((byte) 0).put((byte) 1).put((byte) 3).putInt(20 + nameSpace);
    b.put(n).position(20 + nameSpace);
    b.put(data);
    return b.array();
  }

  private static Map<String, Long> counters() {
    Map<String, Long> m = new LinkedHashMap<>();
    m.put("sun.gc.collector.0.invocations", 42L);
    m.put("sun.gc.generation.0.space.0.used", 1_247_264L);
    m.put("sun.gc.generation.0.space.0.capacity", 8_912_896L);
    m.put("sun.gc.collector.0.lastEntryTime", 1_772_655_708L);
    m.put("sun.gc.collector.0.lastExitTime", 1_772_929_415L);
    return m;
  }

  @Test
  void shouldReadLongCountersInEitherByteOrder() {
    for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
      PerfData p = PerfData.of(image(order, counters()));
      assertEquals(Optional.of(42L), p.get("sun.gc.collector.0.invocations"), order.toString());
      assertEquals(8_912_896L, p.get("sun.gc.generation.0.space.0.capacity", -1));
      assertEquals(Optional.empty(), p.get("java.property.java.vm.name"), "a string is no long");
      assertEquals(-1, p.get("sun.gc.no.such.counter", -1));
    }
  }

  @Test
  void shouldSeeCountersChangeInPlace() {
    ByteBuffer b = image(ByteOrder.LITTLE_ENDIAN, counters());
    PerfData p = PerfData.of(b);
    int at = indexOf(b, 42L);
    b.order(ByteOrder.LITTLE_ENDIAN).putLong(at, 43L);
    assertEquals(43L, p.get("sun.gc.collector.0.invocations", -1));
  }

  @Test
  void shouldTakeASampleFromACollectorsCounters() {
    HeapProbe probe = HeapProbe.on(PerfData.of(image(ByteOrder.LITTLE_ENDIAN, counters()))).get();
    assertEquals(new HeapSample(42, 0, 1_247_264L, 8_912_896L), probe.sample());
  }

  @Test
  void shouldHaveNoProbeWithoutAGenerationalCollectorsCounters() {
    Map<String, Long> m = counters();
    m.remove("sun.gc.generation.0.space.0.used");
    assertTrue(HeapProbe.on(PerfData.of(image(ByteOrder.LITTLE_ENDIAN, m))).isEmpty());
  }

  @Test
  void shouldRefuseWhatIsNotPerfData() {
    ByteBuffer b = image(ByteOrder.LITTLE_ENDIAN, counters());
    b.put(0, (byte) 0);
    assertThrows(IllegalArgumentException.class, () -> PerfData.of(b));
    assertThrows(IllegalArgumentException.class, () -> PerfData.of(ByteBuffer.allocate(8)));
    ByteBuffer cut = image(ByteOrder.LITTLE_ENDIAN, counters());
    cut.limit(cut.limit() - 30);
    assertThrows(IllegalArgumentException.class, () -> PerfData.of(cut));
  }

  @Test
  void shouldReadThisJvmsOwnCounters() {
    Optional<PerfData> own = PerfData.ofProcess(ProcessHandle.current().pid());
    assumeTrue(own.isPresent(), "this JVM keeps no perf data (-XX:-UsePerfData?)");
    assertTrue(own.get().get("sun.gc.collector.0.invocations", -1) >= 0);
    assertTrue(own.get().get("sun.gc.generation.0.space.0.capacity", -1) > 0);
  }

  private static int indexOf(ByteBuffer b, long value) {
    ByteBuffer le = b.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 32; i <= le.limit() - 8; i++) {
      if (le.getLong(i) == value) {
        return i;
      }
    }
    throw new AssertionError("no " + value);
  }
}
