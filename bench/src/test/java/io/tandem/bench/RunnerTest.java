package io.tandem.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tandem.bench.broker.BrokerKind;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunnerTest {
  @Test
  void shouldAlternateTheBrokerThatStartsEachRepetition() {
    List<BrokerKind> ab = List.of(BrokerKind.TANDEM, BrokerKind.ARTEMIS);
    List<BrokerKind> ba = List.of(BrokerKind.ARTEMIS, BrokerKind.TANDEM);
    assertEquals(ab, Runner.order(0));
    assertEquals(ba, Runner.order(1));
    assertEquals(ab, Runner.order(2));
    assertEquals(ba, Runner.order(3));
  }
}
