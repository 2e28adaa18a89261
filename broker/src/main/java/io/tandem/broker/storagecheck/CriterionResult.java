package io.tandem.broker.storagecheck;

import java.util.Map;

/**
 * The verdict on one criterion.
 *
 * @param name the criterion, e.g. {@code write order}
 * @param passed whether the storage met it in this run
 * @param evidence what was done and measured; for a failure, also what it means
 * @param details the figures behind the evidence, for {@code --json}
 */
public record CriterionResult(
    String name, boolean passed, String evidence, Map<String, Object> details) {

  static CriterionResult notRun(String name, String why) {
    return new CriterionResult(name, false, "not run: " + why, Map.of());
  }
}
