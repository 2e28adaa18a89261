package io.tandem.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HolderCodecTest {

  private final LockHolder holder =
      new LockHolder(
          "alpha",
          4242,
          Instant.parse("2025-01-02T03:04:05.123456789Z"),
          Instant.parse("2025-01-02T03:05:00Z"),
          17);

  @Test
  void shouldReadBackWhatItWrote() {
    assertEquals(Optional.of(holder), HolderCodec.decode(HolderCodec.encode(holder)));
  }

  @Test
  void shouldWriteOneKeyValueLinePerField() {
    String text = new String(HolderCodec.encode(holder), StandardCharsets.UTF_8);

    assertEquals(
        "host=alpha\npid=4242\nprocessStart=2025-01-02T03:04:05.123456789Z\n"
            + "acquiredAt=2025-01-02T03:05:00Z\nepoch=17\n",
        text);
  }

  @Test
  void shouldRejectIncompleteOrMalformedOrOversizedRecords() {
    assertTrue(HolderCodec.decode(bytes("host=alpha\npid=1\n")).isEmpty());
    assertTrue(
        HolderCodec.decode(
                bytes(
                    "host=a\npid=x\nprocessStart=2025-01-01T00:00:00Z\n"
                        + "acquiredAt=2025-01-01T00:00:00Z\nepoch=1\n"))
            .isEmpty());
    assertTrue(HolderCodec.decode(new byte[HolderCodec.MAX_BYTES + 1]).isEmpty());
    assertTrue(HolderCodec.decode(new byte[0]).isEmpty());
  }

  @Test
  void shouldIgnoreUnknownKeys() {
    byte[] withExtra =
        (new String(HolderCodec.encode(holder), StandardCharsets.UTF_8) + "future=1\n")
            .getBytes(StandardCharsets.UTF_8);

    assertEquals(Optional.of(holder), HolderCodec.decode(withExtra));
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
