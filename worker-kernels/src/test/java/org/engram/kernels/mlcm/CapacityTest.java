package org.engram.kernels.mlcm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CapacityTest {
    @Test
    void coversFormulaHasItsKnownValues() {
        assertEquals(1.0, Capacity.cover(50, 100), 0);
        assertEquals(1.0, Capacity.cover(100, 100), 0);
        assertEquals(0.5, Capacity.cover(200, 100), 1e-15); // P = 2N: exactly one half
        assertEquals(2.0 * (1 + 3) / 16, Capacity.cover(4, 2), 1e-15); // C(4,2) = 2 (binom(3,0) + binom(3,1))
        assertTrue(Capacity.cover(240, 100) < 0.01);
    }

    /** Fraction of random ±1 dichotomies the perceptron rule separates, N = 100. */
    static double fraction(int n, double alpha, int trials, long seed) {
        int p = (int) Math.round(alpha * n);
        SplittableRandom r = new SplittableRandom(seed);
        int ok = 0;
        for (int t = 0; t < trials; t++) {
            int[] x = new int[p * n];
            int[] y = new int[p];
            for (int i = 0; i < x.length; i++) {
                x[i] = r.nextBoolean() ? 1 : -1;
            }
            for (int i = 0; i < p; i++) {
                y[i] = r.nextBoolean() ? 1 : -1;
            }
            ok += Capacity.train(x, p, n, y, 3000) > 0 ? 1 : 0;
        }
        return ok / (double) trials;
    }

    @Test
    void perceptronCapacityCrossesOneHalfNearTwoN() {
        int n = 100;
        double lo = fraction(n, 1.6, 30, 1);
        double hi = fraction(n, 2.4, 30, 2);
        // Cover: 0.98 at α = 1.6 and 0.0 at α = 2.4 for N = 100; the rule needs finitely many epochs, so
        // allow it to miss a few separable sets near the transition
        assertTrue(lo > 0.75, "α = 1.6: " + lo);
        assertTrue(hi < 0.1, "α = 2.4: " + hi);
        double mid = fraction(n, 2.0, 40, 3);
        assertTrue(mid > 0.15 && mid < 0.7, "α = 2.0 (Cover: 0.5): " + mid);
    }
}
