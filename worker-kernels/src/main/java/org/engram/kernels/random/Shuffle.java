package org.engram.kernels.random;

import java.util.SplittableRandom;

/** Fisher–Yates shuffles driven by an explicit stream. */
public final class Shuffle {
    private Shuffle() {
    }

    /** a[0..n) ← a uniformly random permutation of 0 … n−1. a: modified; rng: modified. */
    public static void permutation(int[] a, int n, SplittableRandom rng) {
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
