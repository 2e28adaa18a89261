package io.tandem.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.campaign.PrimaryWatch.FenceRead;
import io.tandem.campaign.PrimaryWatch.Sample;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrimaryWatchTest {
  @Test
  void shouldAcceptAHandOverWhereTheOldPrimaryIsGoneBeforeTheNewOneServes() {
    List<Sample> samples =
        List.of(
            new Sample("a", 0, 1, "active", 4, 10),
            new Sample("b", 0, 1, "backup", 4, -1),
            new Sample("a", 10, 11, "down", -1, -1),
            new Sample("b", 20, 21, "active", 5, 0));
    PrimaryWatch.Verdict v = PrimaryWatch.check(samples, List.of(new FenceRead(15, 5)));
    assertEquals(List.of(), v.violations());
    assertEquals(0, v.staleReports());
  }

  @Test
  void shouldCountAStalePrimaryThatTookNoWorkAsHarmless() {
    List<Sample> samples =
        List.of(
            new Sample("a", 0, 1, "active", 4, 10),
            new Sample("b", 20, 21, "active", 5, 0),
            new Sample("a", 25, 26, "active", 4, 10));
    PrimaryWatch.Verdict v = PrimaryWatch.check(samples, List.of());
    assertEquals(List.of(), v.violations());
    assertEquals(1, v.staleReports());
  }

  @Test
  void shouldReportAStalePrimaryThatTookWorkAfterTheNewEpochBegan() {
    List<Sample> samples =
        List.of(
            new Sample("a", 0, 1, "active", 4, 10),
            new Sample("a", 30, 31, "active", 4, 12),
            new Sample("a", 40, 41, "active", 4, 15));
    PrimaryWatch.Verdict v = PrimaryWatch.check(samples, List.of(new FenceRead(15, 5)));
    assertEquals(1, v.violations().size(), v.violations().toString());
    assertTrue(v.violations().get(0).contains("took 3 more"), v.violations().toString());
  }

  /**
   * A primary stopped (SIGSTOP) moments after its last answer took messages before it stopped; its
   * first answer once it runs again shows them, after the new epoch began, and then no more.
   */
  @Test
  void shouldNotCountWhatAStoppedPrimaryTookBeforeTheNewEpochBegan() {
    List<Sample> samples =
        List.of(
            new Sample("a", 0, 1, "active", 4, 10),
            // asked while it was stopped, answered once it ran again
            new Sample("a", 1600, 3000, "active", 4, 23),
            new Sample("a", 3001, 3002, "active", 4, 23));
    PrimaryWatch.Verdict v = PrimaryWatch.check(samples, List.of(new FenceRead(1500, 5)));
    assertEquals(List.of(), v.violations());
    assertEquals(2, v.staleReports());
  }

  @Test
  void shouldReportOneEpochActiveOnTwoMembers() {
    List<Sample> samples =
        List.of(new Sample("a", 0, 1, "active", 4, 10), new Sample("b", 50, 51, "active", 4, 10));
    PrimaryWatch.Verdict v = PrimaryWatch.check(samples, List.of());
    assertEquals(List.of("epoch 4 active on both a and b"), v.violations());
  }
}
