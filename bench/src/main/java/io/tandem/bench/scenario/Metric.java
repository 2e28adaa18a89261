package io.tandem.bench.scenario;

/**
 * One figure a scenario reports.
 *
 * @param key stable name in JSON
 * @param label what it is, in tables
 * @param unit the unit of the values
 * @param higherIsBetter whether a larger value is the better one
 */
public record Metric(String key, String label, String unit, boolean higherIsBetter) {}
