package org.engram.kernels.hopfield;

import java.util.SplittableRandom;

/**
 * ±1 patterns ξ^μ ∈ {±1}^N of the Hopfield model (unlearning paper, eq. 2), stored row-major as P × N floats
 * (row μ is pattern μ), and the operations on states that the measurements need.
 */
public final class Patterns {
    private Patterns() {
    }

    /** P independent uniform ±1 patterns of N bits. */
    public static float[] random(int p, int n, SplittableRandom rng) {
        float[] xi = new float[p * n];
        for (int k = 0; k < xi.length; k++) {
            xi[k] = rng.nextBoolean() ? 1f : -1f;
        }
        return xi;
    }

    /** A uniform random ±1 state of N spins. */
    public static float[] randomState(int n, SplittableRandom rng) {
        return random(1, n, rng);
    }

    /**
     * A copy of pattern μ with exactly round(fraction · N) bits flipped, at distinct positions drawn uniformly
     * (a partial Fisher–Yates shuffle).
     */
    public static float[] corrupted(float[] xi, int mu, int n, double fraction, SplittableRandom rng) {
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException("fraction of flipped bits must be in [0, 1]: " + fraction);
        }
        float[] s = new float[n];
        System.arraycopy(xi, mu * n, s, 0, n);
        int flips = (int) Math.round(fraction * n);
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        for (int k = 0; k < flips; k++) {
            int pick = k + rng.nextInt(n - k);
            int t = idx[k];
            idx[k] = idx[pick];
            idx[pick] = t;
            s[idx[k]] = -s[idx[k]];
        }
        return s;
    }

    /** The overlap m = (1/N) Σ_i σ_i ξ_i^μ. */
    public static double overlap(float[] s, float[] xi, int mu, int n) {
        double sum = 0;
        int o = mu * n;
        for (int i = 0; i < n; i++) {
            sum += s[i] * xi[o + i];
        }
        return sum / n;
    }

    /** Fills {@code perm} with a uniform random permutation of 0 … length − 1 (Fisher–Yates). */
    public static void permutation(int[] perm, SplittableRandom rng) {
        for (int i = 0; i < perm.length; i++) {
            perm[i] = i;
        }
        for (int i = perm.length - 1; i > 0; i--) {
            int k = rng.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[k];
            perm[k] = t;
        }
    }
}
