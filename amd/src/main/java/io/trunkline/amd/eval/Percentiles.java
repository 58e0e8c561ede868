package io.trunkline.amd.eval;

import java.util.Collection;

/**
 * Summary of a sample of durations, in ms; percentiles interpolate linearly between the sorted values.
 * The statistics are null for an empty sample.
 */
public record Percentiles(int count, Double p50, Double p90, Double p95, Double max) {

    public static Percentiles of(Collection<Integer> values) {
        double[] v = values.stream().mapToDouble(Integer::doubleValue).sorted().toArray();
        if (v.length == 0) {
            return new Percentiles(0, null, null, null, null);
        }
        return new Percentiles(v.length, at(v, 0.50), at(v, 0.90), at(v, 0.95), v[v.length - 1]);
    }

    static double at(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
    }

    @Override
    public String toString() {
        return count == 0 ? "n=0" : String.format("n=%d p50=%.0f p90=%.0f p95=%.0f max=%.0f", count, p50, p90, p95, max);
    }
}
