package io.tandem.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ReportTest {
  @Test
  void shouldMeasureTheLongestStretchWithoutAnAcknowledgement() {
    long[] acks = {5, 10, 12, 30, 31, 100};
    assertEquals(18, Report.longestGap(acks, 8, 40));
    assertEquals(9, Report.longestGap(acks, 31, 40), "up to the window's end");
    assertEquals(40, Report.longestGap(new long[0], 0, 40), "nothing acknowledged at all");
  }
}
