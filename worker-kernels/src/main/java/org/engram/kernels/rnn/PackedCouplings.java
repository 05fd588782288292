package org.engram.kernels.rnn;

import org.engram.kernels.random.CounterRng;

/**
 * A random ±1 coupling matrix J'_ij (i, j &lt; n), one bit per entry (1 ⇔ +1), rows packed into
 * 64-bit words; the physical couplings of thesis eq. 3.1 are J_ij = J'_ij/√N. Bit j of row i is
 * bit {@code j & 63} of word {@code j >>> 6}; padding bits past n are zero.
 *
 * <p>Every word is {@link CounterRng#word(long, long)} of (seed, i·words + w), so a
 * {@linkplain #materialised materialised} matrix (n²/8 bytes, one array) and a
 * {@linkplain #regenerated regenerated} one (no storage, each row recomputed when read) hold
 * identical couplings for the same seed. The diagonal bit is whatever the generator gives; the
 * dynamics exclude it (the self-coupling J_D replaces it).
 */
public final class PackedCouplings {
    /** Largest matrix kept in memory by {@link #auto}: 6 GiB of bits (n ≈ 227,000). */
    public static final long DEFAULT_MAX_BYTES = 6L << 30;

    private final int n;
    private final int words;
    private final long seed;
    private final long lastMask;
    private final long[] data; // null when regenerated

    private PackedCouplings(int n, long seed, boolean materialise) {
        if (n < 2) {
            throw new IllegalArgumentException("n must be at least 2, found " + n);
        }
        this.n = n;
        this.words = wordsFor(n);
        this.seed = seed;
        this.lastMask = (n & 63) == 0 ? -1L : (1L << (n & 63)) - 1;
        if (materialise) {
            long size = (long) n * words;
            if (size > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("n = " + n + " is too large to materialise in one array ("
                        + size + " words); use regenerated couplings");
            }
            data = new long[(int) size];
            for (int i = 0; i < n; i++) {
                generateRow(i, data, i * words);
            }
        } else {
            data = null;
        }
    }

    /** Couplings held in memory: n²/8 bytes. */
    public static PackedCouplings materialised(int n, long seed) {
        return new PackedCouplings(n, seed, true);
    }

    /** Couplings recomputed row by row whenever they are read: no storage, identical values. */
    public static PackedCouplings regenerated(int n, long seed) {
        return new PackedCouplings(n, seed, false);
    }

    /** Materialised when it takes at most {@code maxBytes}, regenerated otherwise. */
    public static PackedCouplings auto(int n, long seed, long maxBytes) {
        return bytesFor(n) <= maxBytes && (long) n * wordsFor(n) < Integer.MAX_VALUE - 8
                ? materialised(n, seed) : regenerated(n, seed);
    }

    public static int wordsFor(int n) {
        return (n + 63) >>> 6;
    }

    public static long bytesFor(int n) {
        return 8L * n * wordsFor(n);
    }

    public int n() {
        return n;
    }

    public int words() {
        return words;
    }

    public long seed() {
        return seed;
    }

    public boolean isMaterialised() {
        return data != null;
    }

    /** The backing array (row i at offset i·words), or null when regenerated. Not to be modified. */
    long[] data() {
        return data;
    }

    /** Writes row i's words into {@code dst[off .. off+words)}. dst: modified. */
    public void fillRow(int i, long[] dst, int off) {
        if (data != null) {
            System.arraycopy(data, i * words, dst, off, words);
        } else {
            generateRow(i, dst, off);
        }
    }

    private void generateRow(int i, long[] dst, int off) {
        long base = (long) i * words;
        for (int w = 0; w < words - 1; w++) {
            dst[off + w] = CounterRng.word(seed, base + w);
        }
        dst[off + words - 1] = CounterRng.word(seed, base + words - 1) & lastMask;
    }

    /** One word of row i. */
    public long word(int i, int w) {
        if (data != null) {
            return data[i * words + w];
        }
        long v = CounterRng.word(seed, (long) i * words + w);
        return w == words - 1 ? v & lastMask : v;
    }

    /** J'_ij ∈ {−1, +1}. */
    public int sign(int i, int j) {
        return (int) ((word(i, j >>> 6) >>> (j & 63)) & 1L) * 2 - 1;
    }
}
