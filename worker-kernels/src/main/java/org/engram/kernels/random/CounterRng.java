package org.engram.kernels.random;

/**
 * A counter-based (stateless) generator: {@code word(key, counter)} is a pure function, so any
 * element of a random object — one 64-bit word of a coupling matrix, say — can be regenerated at
 * any time, in any order, on any worker, and comes out identical. The mixing function is the
 * SplitMix64 output function (Steele, Lea and Flood 2014) applied to {@code key + γ·(counter+1)},
 * followed by a second round keyed on the counter, which passes BigCrush as a stream.
 */
public final class CounterRng {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private CounterRng() {
    }

    /** The SplitMix64 finaliser (a bijection on 64-bit words). */
    public static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** 64 random bits for (key, counter). */
    public static long word(long key, long counter) {
        long z = mix64(key + GOLDEN * (counter + 1));
        return mix64(z ^ (counter * 0xD6E8FEB86659FD93L));
    }

    /** A uniform double in [0, 1) for (key, counter). */
    public static double uniform(long key, long counter) {
        return (word(key, counter) >>> 11) * 0x1.0p-53;
    }
}
