package org.engram.driver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class RbmBenchmarkTest {
    /** Order statistics 1..n shuffled, so that the interval's ends name the ranks chosen. */
    private static double[] ranks(int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = (7 * i) % n + 1; // a permutation of 1..n (7 and n coprime below)
        }
        return x;
    }

    @Test
    void medianIntervalIsTheWidestPairOfOrderStatisticsWithNinetyFivePercentCoverage() {
        assertNull(RbmBenchmark.medianCi(ranks(5)), "1 − 2/32 < 0.95: no interval");
        // n = 6: only the range, coverage 1 − 2/64
        assertArrayEquals(new double[] {1, 6, 1 - 2.0 / 64}, RbmBenchmark.medianCi(ranks(6)), 1e-12);
        // n = 8: P(Bin ≤ 1) = 9/256 > 0.025, so still the range, 1 − 2/256
        assertArrayEquals(new double[] {1, 8, 1 - 2.0 / 256}, RbmBenchmark.medianCi(ranks(8)), 1e-12);
        // n = 20: P(Bin ≤ 5) = 21700/2^20 = 0.0207 ≤ 0.025 < P(Bin ≤ 6) = 0.0577: ranks 6 and 15
        double[] ci = RbmBenchmark.medianCi(ranks(20));
        assertEquals(6, ci[0]);
        assertEquals(15, ci[1]);
        assertEquals(1 - 2 * 21700.0 / (1 << 20), ci[2], 1e-12);
    }
}
