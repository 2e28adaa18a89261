package io.tandem.bench.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CompilerThreadsTest {
  @Test
  void shouldKnowHotSpotsCompilerThreadsByTheirCutName() {
    assertTrue(CompilerThreads.isCompiler("C2 CompilerThre"));
    assertTrue(CompilerThreads.isCompiler("C1 CompilerThre"));
    assertFalse(CompilerThreads.isCompiler("amqp-io-3-1"));
    assertFalse(CompilerThreads.isCompiler("VM Thread"));
    assertEquals(
        "C2 CompilerThre", ProcStat.name("4711 (C2 CompilerThre) S 1 2 3 4 5 6 7 8 9 10 11 12 13"));
  }

  @Test
  void shouldCountNewThreadsWholeAndEndedThreadsNotAtAll() {
    CompilerThreads before = CompilerThreads.of(Map.of(10L, 500L, 11L, 40L));
    // 10 used 30 more, 11 ended (its ticks are gone), 12 started and used 7
    CompilerThreads after = CompilerThreads.of(Map.of(10L, 530L, 12L, 7L));
    assertEquals(37, before.since(after));
  }

  @Test
  void shouldReadThisJvmsCompilerThreads() {
    long pid = ProcessHandle.current().pid();
    CompilerThreads before = CompilerThreads.read(pid);
    assertTrue(before.since(CompilerThreads.read(pid)) >= 0);
    CompilerThreads none = CompilerThreads.read(Long.MAX_VALUE);
    assertEquals(0, none.since(CompilerThreads.read(Long.MAX_VALUE)), "no such process: nothing");
  }
}
