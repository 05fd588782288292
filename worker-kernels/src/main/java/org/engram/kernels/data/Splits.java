package org.engram.kernels.data;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Deterministic train / validation splits: a Fisher–Yates permutation of the indices from a given
 * seed, the first {@code validation} of them for validation, the rest for training — both in the
 * permutation's order, so that any prefix of either part is itself a uniform random sample (datasets
 * stored sorted by class, like the offline MNIST subset, would otherwise give a first-k subset of a
 * few classes only). Same (n, validation, seed) ⇒ same split on every machine.
 */
public final class Splits {
    private Splits() {
    }

    /** {train indices, validation indices}, each in random order. */
    public static int[][] trainValidation(int n, int validation, long seed) {
        if (validation < 0 || validation > n) {
            throw new IllegalArgumentException("validation must be in [0, " + n + "], found " + validation);
        }
        int[] perm = new int[n];
        org.engram.kernels.random.Shuffle.permutation(perm, n, new SplittableRandom(seed));
        int[] val = Arrays.copyOfRange(perm, 0, validation);
        int[] train = Arrays.copyOfRange(perm, validation, n);
        return new int[][] {train, val};
    }
}
