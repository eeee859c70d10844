package io.inventiv.worker.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class DistributionTest {
    @Test
    void medianOfEvenCountIsMeanOfMiddlePair() {
        assertEquals(2.5, Distribution.percentile(new double[] {4, 1, 3, 2}, 50), 1e-12);
    }

    @Test
    void percentilesInterpolateBetweenNearestRanks() {
        double[] oneToHundred = new double[100];
        Arrays.setAll(oneToHundred, i -> i + 1);
        assertEquals(50.5, Distribution.percentile(oneToHundred, 50), 1e-9);
        assertEquals(95.05, Distribution.percentile(oneToHundred, 95), 1e-9);
        assertEquals(99.01, Distribution.percentile(oneToHundred, 99), 1e-9);
        assertEquals(1, Distribution.percentile(oneToHundred, 0), 1e-12);
        assertEquals(100, Distribution.percentile(oneToHundred, 100), 1e-12);
    }

    @Test
    void oneValueIsEveryPercentile() {
        Distribution d = Distribution.of(new double[] {7.5});
        assertEquals(1, d.count());
        assertEquals(7.5, d.p50());
        assertEquals(7.5, d.p99());
        assertEquals(7.5, d.min());
        assertEquals(7.5, d.max());
    }

    @Test
    void p99OfSmallSampleLeansToTheMaximumWithoutReachingIt() {
        Distribution d = Distribution.of(List.of(10.0, 10.0, 10.0, 10.0, 20.0));
        assertEquals(10.0, d.p50());
        assertEquals(19.6, d.p99(), 1e-9);
        assertEquals(12.0, d.mean(), 1e-12);
    }

    @Test
    void emptySampleHasNullStatisticsNotNaN() {
        Distribution d = Distribution.of(new double[0]);
        assertEquals(0, d.count());
        assertNull(d.p50());
        assertNull(d.mean());
        assertTrue(Double.isNaN(Distribution.percentile(new double[0], 50)));
    }

    @Test
    void medianIgnoresMissingValues() {
        assertEquals(3.0, Distribution.median(Arrays.asList(1.0, null, 3.0, Double.NaN, 5.0)));
        assertNull(Distribution.median(Arrays.asList(null, null)));
    }

    @Test
    void percentOutsideZeroToHundredIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Distribution.percentile(new double[] {1}, 101));
        assertThrows(IllegalArgumentException.class, () -> Distribution.percentile(new double[] {1}, -1));
    }

    @Test
    void inputIsNotReordered() {
        double[] values = {3, 1, 2};
        Distribution.of(values);
        Distribution.percentile(values, 50);
        assertEquals(List.of(3.0, 1.0, 2.0), Arrays.stream(values).boxed().toList());
    }

    @Test
    void medianIntervalIsSeededAndNarrowsWithMoreRounds() {
        List<Double> few = List.of(0.90, 0.95, 1.00, 0.97, 0.93);
        double[] interval = Distribution.medianInterval(few, 2000, 7);
        assertTrue(interval[0] <= 0.95 && 0.95 <= interval[1], Arrays.toString(interval));
        assertTrue(interval[0] >= 0.90 && interval[1] <= 1.00, "a median never leaves the values' range");
        assertEquals(Arrays.toString(interval), Arrays.toString(Distribution.medianInterval(few, 2000, 7)),
                "the same seed gives the same interval");

        java.util.ArrayList<Double> many = new java.util.ArrayList<>();
        for (int copy = 0; copy < 20; copy++) {
            many.addAll(few);
        }
        double[] narrower = Distribution.medianInterval(many, 2000, 7);
        assertTrue(narrower[1] - narrower[0] < interval[1] - interval[0],
                Arrays.toString(narrower) + " against " + Arrays.toString(interval));
        assertEquals(0.5, Distribution.medianInterval(List.of(0.5, 0.5, 0.5), 100, 1)[0], 1e-12);
        assertThrows(IllegalArgumentException.class, () -> Distribution.medianInterval(List.of(), 100, 1));
    }
}
