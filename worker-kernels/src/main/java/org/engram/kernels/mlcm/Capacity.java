package org.engram.kernels.mlcm;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;

/**
 * Perceptron capacity (thesis §5.1, Cover 1965): whether P patterns in N dimensions with random ±1
 * labels are linearly separable by a perceptron through the origin, and Cover's exact fraction
 * C(P, N) / 2^P with C(P, N) = 2 Σ_{k<N} binom(P−1, k).
 */
public final class Capacity {
    private Capacity() {
    }

    /**
     * Rosenblatt's rule in exact integer arithmetic (patterns ±1 or 0): w ← w + y x on every pattern with
     * y w·x ≤ 0, until an epoch without mistakes (separable: returns the epochs used) or {@code maxEpochs}
     * (returns −1). The rule finds a separation whenever one exists, given enough epochs (Novikoff).
     *
     * @param x row-major P × N patterns
     * @param y labels ±1
     */
    public static int train(int[] x, int p, int n, int[] y, int maxEpochs) {
        long[] w = new long[n];
        for (int epoch = 1; epoch <= maxEpochs; epoch++) {
            boolean mistake = false;
            for (int mu = 0; mu < p; mu++) {
                long h = 0;
                int o = mu * n;
                for (int i = 0; i < n; i++) {
                    h += w[i] * x[o + i];
                }
                if (y[mu] * h <= 0) {
                    mistake = true;
                    for (int i = 0; i < n; i++) {
                        w[i] += (long) y[mu] * x[o + i];
                    }
                }
            }
            if (!mistake) {
                return epoch;
            }
        }
        return -1;
    }

    /** Cover's fraction of the 2^P dichotomies of P points in general position in N dims that are separable. */
    public static double cover(int p, int n) {
        BigInteger sum = BigInteger.ZERO;
        BigInteger binom = BigInteger.ONE; // binom(P−1, 0)
        for (int k = 0; k < n && k <= p - 1; k++) {
            sum = sum.add(binom);
            binom = binom.multiply(BigInteger.valueOf(p - 1 - k)).divide(BigInteger.valueOf(k + 1));
        }
        BigDecimal c = new BigDecimal(sum.shiftLeft(1));
        return c.divide(new BigDecimal(BigInteger.ONE.shiftLeft(p)), MathContext.DECIMAL64).doubleValue();
    }
}
