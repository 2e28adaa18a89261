package io.tandem.bench;

import java.util.Arrays;
import java.util.List;

/** Median, minimum and maximum of one figure over repetitions. */
record Stats(int n, double median, double min, double max) {
  static Stats of(List<Double> values) {
    double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    if (v.length == 0) {
      throw new IllegalArgumentException("no values");
    }
    double median =
        v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    return new Stats(v.length, median, v[0], v[v.length - 1]);
  }

  @Override
  public String toString() {
    return "Stats" + Arrays.toString(new double[] {median, min, max});
  }
}
