package org.engram.kernels.rnn;

import java.util.SplittableRandom;

/**
 * The sparse positive reinforcement matrix A of thesis §3.2: {@code round(n^d)} entries of value a at
 * distinct, uniformly random off-diagonal positions (eq. 3.3 sums over j ≠ i, so a diagonal entry
 * would have no effect; drawing among the n(n−1) off-diagonal positions makes the effective count
 * exactly round(n^d)). Stored row-compressed; all values equal a.
 */
public final class SparseReinforcement {
    private final int n;
    private final float value;
    private final int[] rowStart;
    private final int[] cols;

    private SparseReinforcement(int n, float value, int[] rowStart, int[] cols) {
        this.n = n;
        this.value = value;
        this.rowStart = rowStart;
        this.cols = cols;
    }

    /** Number of non-zero entries for exponent d: round(n^d), capped at n(n−1). */
    public static long entries(int n, double d) {
        return Math.min(Math.round(Math.pow(n, d)), (long) n * (n - 1));
    }

    /**
     * Draws A.
     *
     * @param n     network size, ≥ 2 and ≤ 46,340 (positions are indexed by n² bits)
     * @param d     density exponent, entries = round(n^d)
     * @param a     value of every entry
     * @param rng   the stream (modified)
     */
    public static SparseReinforcement draw(int n, double d, double a, SplittableRandom rng) {
        if (n < 2 || n > 46_340) {
            throw new IllegalArgumentException("n must be in [2, 46340] for a sparse reinforcement matrix, found " + n);
        }
        if (!(d >= 0) || !Double.isFinite(a)) {
            throw new IllegalArgumentException("d must be ≥ 0 and a finite, found d = " + d + ", a = " + a);
        }
        long total = (long) n * (n - 1);
        long want = entries(n, d);
        boolean complement = want > total / 2;
        long draws = complement ? total - want : want;
        long[] marked = new long[(int) ((total + 63) >>> 6)];
        for (long c = 0; c < draws; ) {
            long p = rng.nextLong(total);
            long bit = 1L << (p & 63);
            int w = (int) (p >>> 6);
            if ((marked[w] & bit) == 0) {
                marked[w] |= bit;
                c++;
            }
        }
        int[] rowStart = new int[n + 1];
        int[] cols = new int[(int) want];
        int q = 0;
        for (int i = 0; i < n; i++) {
            rowStart[i] = q;
            long base = (long) i * (n - 1);
            for (int r = 0; r < n - 1; r++) {
                long p = base + r;
                boolean on = ((marked[(int) (p >>> 6)] >>> (p & 63)) & 1L) != 0;
                if (on != complement) {
                    cols[q++] = r < i ? r : r + 1;
                }
            }
        }
        rowStart[n] = q;
        return new SparseReinforcement(n, (float) a, rowStart, cols);
    }

    public int n() {
        return n;
    }

    public long nonZeros() {
        return cols.length;
    }

    public float value() {
        return value;
    }

    /** A_ij. */
    public float get(int i, int j) {
        for (int q = rowStart[i]; q < rowStart[i + 1]; q++) {
            if (cols[q] == j) {
                return value;
            }
        }
        return 0f;
    }

    /**
     * h[k·n + i] += a Σ_{j ∈ row i} s[k·n + j] for states k &lt; count (column-major n × count).
     * s: not modified; h: modified.
     */
    public void multiplyAdd(float[] s, float[] h, int count) {
        for (int k = 0; k < count; k++) {
            int off = k * n;
            for (int i = 0; i < n; i++) {
                float acc = 0f;
                for (int q = rowStart[i]; q < rowStart[i + 1]; q++) {
                    acc += s[off + cols[q]];
                }
                h[off + i] += value * acc;
            }
        }
    }
}
