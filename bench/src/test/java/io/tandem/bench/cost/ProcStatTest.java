package io.tandem.bench.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.bench.BenchException;
import org.junit.jupiter.api.Test;

class ProcStatTest {
  /** A real line of a JVM (Linux 6.x, 52 fields), utime 1523 and stime 217. */
  private static final String JAVA =
      "29695 (java) S 29690 29690 13844 34816 29690 1077936192 43011 0 3 0 1523 217 0 0 20 0 38 0"
          + " 4371822 3825713152 65911 18446744073709551615 94244433305600 94244433306640"
          + " 140732641424240 0 0 0 4 0 16800975 0 0 0 17 1 0 0 0 0 0 94244433314224"
          + " 94244433314936 94244465848320 140732641429427 140732641429663 140732641429663"
          + " 140732641431531 0\n";

  @Test
  void shouldReadUserAndSystemTicks() {
    ProcStat s = ProcStat.parse(JAVA);
    assertEquals(1523, s.userTicks());
    assertEquals(217, s.systemTicks());
    assertEquals(1740, s.ticks());
  }

  @Test
  void shouldCountFieldsFromTheLastParenthesisOfAnOddCommandName() {
    String odd = JAVA.replace("(java)", "(a) b (c) d)");
    assertEquals(1740, ProcStat.parse(odd).ticks());
  }

  @Test
  void shouldRefuseALineThatIsNotAStatLine() {
    assertThrows(BenchException.class, () -> ProcStat.parse("garbage"));
    assertThrows(BenchException.class, () -> ProcStat.parse("1 (x) S 1 2 3"));
    assertThrows(BenchException.class, () -> ProcStat.parse(JAVA.replace(" 1523 ", " x ")));
  }

  @Test
  void shouldReadThisProcessWithTicksThatOnlyGrow() {
    long pid = ProcessHandle.current().pid();
    long before = ProcStat.read(pid).ticks();
    long spin = System.nanoTime() + 50_000_000L;
    long x = 0;
    while (System.nanoTime() < spin) {
      x += System.nanoTime() % 7;
    }
    assertTrue(x >= 0);
    assertTrue(ProcStat.read(pid).ticks() >= before);
  }

  @Test
  void shouldTakeGetconfsTickRateOrTheLinuxDefault() {
    assertEquals(100, ClockTicks.parse("100\n"));
    assertEquals(250, ClockTicks.parse("250"));
    assertEquals(ClockTicks.LINUX_DEFAULT, ClockTicks.parse("undefined"));
    assertEquals(ClockTicks.LINUX_DEFAULT, ClockTicks.parse("0"));
    assertTrue(ClockTicks.perSecond() > 0);
  }
}
