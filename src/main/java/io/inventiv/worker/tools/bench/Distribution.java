package io.inventiv.worker.tools.bench;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Summary of one measured quantity (a latency in ms, a rate in tokens/s). Percentiles
 * interpolate linearly between the two nearest ranks (numpy's default), so that p50 of an even
 * count is the mean of the middle pair and small samples are not rounded to one observation.
 * An empty sample has count 0 and null statistics, which JSON shows as null rather than NaN.
 */
public record Distribution(int count, Double mean, Double p50, Double p95, Double p99, Double min, Double max) {
    public static final Distribution EMPTY = new Distribution(0, null, null, null, null, null, null);

    public static Distribution of(Collection<Double> values) {
        return of(values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    public static Distribution of(double[] values) {
        if (values.length == 0) {
            return EMPTY;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double sum = 0;
        for (double value : sorted) {
            sum += value;
        }
        return new Distribution(sorted.length, sum / sorted.length, percentileOfSorted(sorted, 50),
                percentileOfSorted(sorted, 95), percentileOfSorted(sorted, 99), sorted[0], sorted[sorted.length - 1]);
    }

    /** The {@code percent}-th percentile (0–100) of unsorted values; NaN when there are none. */
    public static double percentile(double[] values, double percent) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return percentileOfSorted(sorted, percent);
    }

    static double percentileOfSorted(double[] sorted, double percent) {
        if (percent < 0 || percent > 100 || Double.isNaN(percent)) {
            throw new IllegalArgumentException("percentile must be in [0, 100], got " + percent);
        }
        if (sorted.length == 0) {
            return Double.NaN;
        }
        double rank = percent / 100.0 * (sorted.length - 1);
        int below = (int) Math.floor(rank);
        int above = Math.min(below + 1, sorted.length - 1);
        return sorted[below] + (rank - below) * (sorted[above] - sorted[below]);
    }

    /**
     * The bootstrap's 95% interval of the median: the 2.5th and 97.5th percentiles of the medians
     * of {@code resamples} samples drawn with replacement from {@code values}. Seeded, so that a
     * table printed twice from the same runs is the same table.
     */
    public static double[] medianInterval(List<Double> values, int resamples, long seed) {
        if (values.isEmpty() || resamples < 1) {
            throw new IllegalArgumentException("need values and at least one resample");
        }
        SplittableRandom random = new SplittableRandom(seed);
        double[] sample = new double[values.size()];
        double[] medians = new double[resamples];
        for (int i = 0; i < resamples; i++) {
            for (int j = 0; j < sample.length; j++) {
                sample[j] = values.get(random.nextInt(sample.length));
            }
            medians[i] = percentile(sample, 50);
        }
        Arrays.sort(medians);
        return new double[] {percentileOfSorted(medians, 2.5), percentileOfSorted(medians, 97.5)};
    }

    /** Median of values, ignoring nulls; null when none are left. Used across rounds and repeats. */
    public static Double median(Collection<Double> values) {
        double[] present = values.stream().filter(v -> v != null && !v.isNaN()).mapToDouble(Double::doubleValue)
                .toArray();
        return present.length == 0 ? null : percentile(present, 50);
    }
}
