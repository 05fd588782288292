package org.engram.kernels.rnn;

import java.util.SplittableRandom;
import org.engram.kernels.random.CounterRng;

/** Spin states s ∈ {−1,+1}^n packed one bit a spin (1 ⇔ +1), as {@link PackedCouplings} rows. */
public final class SpinStates {
    private SpinStates() {
    }

    /** A uniformly random state. */
    public static long[] random(int n, SplittableRandom rng) {
        long[] s = new long[PackedCouplings.wordsFor(n)];
        for (int w = 0; w < s.length; w++) {
            s[w] = rng.nextLong();
        }
        if ((n & 63) != 0) {
            s[s.length - 1] &= (1L << (n & 63)) - 1;
        }
        return s;
    }

    public static int get(long[] s, int i) {
        return (int) ((s[i >>> 6] >>> (i & 63)) & 1L) * 2 - 1;
    }

    public static void flip(long[] s, int i) {
        s[i >>> 6] ^= 1L << (i & 63);
    }

    /** Number of +1 spins. */
    public static int ups(long[] s) {
        int c = 0;
        for (long w : s) {
            c += Long.bitCount(w);
        }
        return c;
    }

    public static double magnetisation(long[] s, int n) {
        return (2.0 * ups(s) - n) / n;
    }

    public static boolean uniform(long[] s, int n) {
        int u = ups(s);
        return u == 0 || u == n;
    }

    /** A 64-bit fingerprint of a state, for cycle detection. */
    public static long fingerprint(long[] s) {
        long h = 0x632BE59BD9B4E019L;
        for (int w = 0; w < s.length; w++) {
            h = CounterRng.word(h, s[w] ^ w);
        }
        return h;
    }

    public static float[] toFloats(long[] s, int n) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = get(s, i);
        }
        return f;
    }

    public static long[] fromFloats(float[] f, int off, int n) {
        long[] s = new long[PackedCouplings.wordsFor(n)];
        for (int i = 0; i < n; i++) {
            if (f[off + i] >= 0f) {
                s[i >>> 6] |= 1L << (i & 63);
            }
        }
        return s;
    }
}
