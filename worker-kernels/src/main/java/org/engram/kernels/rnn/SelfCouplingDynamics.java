package org.engram.kernels.rnn;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Random ±1/√N network with self-coupling, thesis eq. 3.1:
 * s_i(t+1) = sign(J_D s_i(t) + Σ_{j≠i} J_ij s_j(t)), J_ij = J'_ij/√N, sign(0) = +1.
 *
 * <p>Multiplying by √N, the update is s_i ← sign(m_i + J_D√N·s_i) with the integer field
 * m_i = Σ_{j≠i} J'_ij s_j = n − 2·popcount(row_i XOR s) − J'_ii s_i, so a sweep is XOR + popcount
 * on packed bits and every field is exact. States that share the couplings (different J_D, different
 * initial states) advance together: each matrix row is read once per sweep for all of them. After a
 * sweep in which few spins flipped, fields are updated from the flipped columns only
 * ({@link FieldUpdate}), which gives the same integers as a full recompute.
 */
public final class SelfCouplingDynamics {
    /**
     * A state takes the incremental path when flips × this &lt; words per row: one random bit read per
     * flip and row against one streamed word per 64 spins.
     */
    static final int INCREMENTAL_COST = 8;

    private SelfCouplingDynamics() {
    }

    /**
     * Runs every state to a fixed point, a cycle or T_max.
     *
     * @param couplings    J' (not modified)
     * @param selfCoupling J_D for each state
     * @param states       initial states, packed; modified: each ends as the trajectory's last state
     * @param maxSteps     T_max, at least 1
     * @param update       synchronous or asynchronous
     * @param fields       how fields are updated after synchronous sweeps
     * @param rng          update order for asynchronous sweeps (unused when synchronous)
     */
    public static Trajectory[] run(PackedCouplings couplings, double[] selfCoupling, long[][] states,
                                   int maxSteps, SpinUpdate update, FieldUpdate fields, SplittableRandom rng) {
        return run(couplings, selfCoupling, states, maxSteps, update, fields, rng, 1);
    }

    /**
     * As {@link #run(PackedCouplings, double[], long[][], int, SpinUpdate, FieldUpdate, SplittableRandom)},
     * with full field recomputes split by rows over {@code threads} threads (the fields are exact
     * integers, so the result does not depend on the split). Use more than one thread only when the
     * machine has cores no other task is using.
     */
    public static Trajectory[] run(PackedCouplings couplings, double[] selfCoupling, long[][] states,
                                   int maxSteps, SpinUpdate update, FieldUpdate fields, SplittableRandom rng,
                                   int threads) {
        return run(couplings, selfCoupling, states, maxSteps, update, fields, rng, threads, null);
    }

    /**
     * As {@link #run(PackedCouplings, double[], long[][], int, SpinUpdate, FieldUpdate, SplittableRandom, int)};
     * synchronous updates tell {@code sweepDone} (when not null) the number of each sweep as it ends — for progress
     * inside a long batch (one sweep of N = 102,400 states takes seconds).
     */
    public static Trajectory[] run(PackedCouplings couplings, double[] selfCoupling, long[][] states,
                                   int maxSteps, SpinUpdate update, FieldUpdate fields, SplittableRandom rng,
                                   int threads, java.util.function.IntConsumer sweepDone) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, found " + threads);
        }
        if (selfCoupling.length != states.length) {
            throw new IllegalArgumentException("selfCoupling has " + selfCoupling.length + " entries but there are "
                    + states.length + " states");
        }
        if (maxSteps < 1) {
            throw new IllegalArgumentException("maxSteps must be at least 1, found " + maxSteps);
        }
        for (long[] s : states) {
            if (s.length != couplings.words()) {
                throw new IllegalArgumentException("state has " + s.length + " words, couplings rows have "
                        + couplings.words());
            }
        }
        return update == SpinUpdate.SYNCHRONOUS
                ? synchronous(couplings, selfCoupling, states, maxSteps, fields, threads, sweepDone)
                : asynchronous(couplings, selfCoupling, states, maxSteps, rng);
    }

    /** The integer fields m_i = Σ_{j≠i} J'_ij s_j of one state. out: modified. */
    public static void fields(PackedCouplings j, long[] s, int[] out) {
        fields(j, new long[][] {s}, new int[][] {out}, 1);
    }

    /** Full recompute for states idx[0..count), rows split over {@code threads} threads. */
    static void fullFields(PackedCouplings j, long[][] s, int[][] m, int[] idx, int count, int threads) {
        int n = j.n();
        if (threads == 1) {
            fullFields(j, s, m, idx, count, new long[j.words()], 0, n);
            return;
        }
        java.util.stream.IntStream.range(0, threads).parallel().forEach(t ->
                fullFields(j, s, m, idx, count, new long[j.words()], (int) ((long) n * t / threads),
                        (int) ((long) n * (t + 1) / threads)));
    }

    /**
     * The integer fields of several states in one pass over the rows (each row read once for all).
     * states: not modified; out: modified, one array of n per state.
     */
    public static void fields(PackedCouplings j, long[][] states, int[][] out, int threads) {
        int[] idx = new int[states.length];
        for (int k = 0; k < idx.length; k++) {
            idx[k] = k;
        }
        fullFields(j, states, out, idx, states.length, threads);
    }

    /**
     * Brings the fields of one state up to date after the spins {@code flipped[0..count)} flipped
     * (the state already holds the new values); n·count work instead of n²/64.
     * m: modified.
     */
    public static void updateFields(PackedCouplings j, long[] state, int[] m, int[] flipped, int count) {
        incrementalFields(j, new long[][] {state}, new int[][] {m}, new int[][] {flipped}, new int[] {count},
                new int[] {0}, 1);
    }

    /** Full recompute of fields for states idx[0..count): one pass over the rows for all of them. */
    static void fullFields(PackedCouplings j, long[][] s, int[][] m, int[] idx, int count, long[] scratch,
                           int rowFrom, int rowTo) {
        int n = j.n();
        int words = j.words();
        long[] data = j.data();
        for (int i = rowFrom; i < rowTo; i++) {
            long[] row;
            int off;
            if (data != null) {
                row = data;
                off = i * words;
            } else {
                j.fillRow(i, scratch, 0);
                row = scratch;
                off = 0;
            }
            int dw = i >>> 6;
            int db = i & 63;
            long diagBit = (row[off + dw] >>> db) & 1L;
            for (int c = 0; c < count; c++) {
                int k = idx[c];
                long[] sk = s[k];
                int d = disagreements(row, off, sk, words);
                long si = (sk[dw] >>> db) & 1L;
                m[k][i] = n - 2 * d - (diagBit == si ? 1 : -1);
            }
        }
    }

    /**
     * popcount(row XOR s) over one row: four independent accumulators so that the popcounts of
     * consecutive words overlap instead of waiting on one running sum.
     */
    static int disagreements(long[] row, int off, long[] s, int words) {
        if (off < 0 || off + words > row.length || words > s.length) {
            throw new IndexOutOfBoundsException("row offset " + off + " + " + words + " words");
        }
        int d0 = 0;
        int d1 = 0;
        int d2 = 0;
        int d3 = 0;
        int w = 0;
        for (int end = words - 3; w < end; w += 4) {
            int o = off + w;
            d0 += Long.bitCount(row[o] ^ s[w]);
            d1 += Long.bitCount(row[o + 1] ^ s[w + 1]);
            d2 += Long.bitCount(row[o + 2] ^ s[w + 2]);
            d3 += Long.bitCount(row[o + 3] ^ s[w + 3]);
        }
        for (; w < words; w++) {
            d0 += Long.bitCount(row[off + w] ^ s[w]);
        }
        return d0 + d1 + d2 + d3;
    }

    private static Trajectory[] synchronous(PackedCouplings j, double[] jd, long[][] s, int maxSteps,
                                            FieldUpdate mode, int threads, java.util.function.IntConsumer sweepDone) {
        int n = j.n();
        int words = j.words();
        int kCount = s.length;
        double sqrtN = Math.sqrt(n);
        int[][] m = new int[kCount][n];
        int[][] flips = new int[kCount][n];
        int[] flipCount = new int[kCount];
        long[][] prev = new long[kCount][];
        long[][] next = new long[kCount][words];
        @SuppressWarnings("unchecked")
        Map<Long, Integer>[] seen = new Map[kCount];
        Trajectory[] result = new Trajectory[kCount];
        int[] active = new int[kCount];
        int activeCount = kCount;
        for (int k = 0; k < kCount; k++) {
            active[k] = k;
            seen[k] = new HashMap<>();
            seen[k].put(SpinStates.fingerprint(s[k]), 0);
        }
        fullFields(j, s, m, active, activeCount, threads);
        int[] fullIdx = new int[kCount];
        int[] incIdx = new int[kCount];
        for (int t = 0; t < maxSteps && activeCount > 0; t++) {
            int kept = 0;
            for (int a = 0; a < activeCount; a++) {
                int k = active[a];
                double c = jd[k] * sqrtN;
                long[] sk = s[k];
                long[] nk = next[k];
                int[] mk = m[k];
                int[] fk = flips[k];
                int fc = 0;
                Arrays.fill(nk, 0L);
                for (int i = 0; i < n; i++) {
                    long bit = (sk[i >>> 6] >>> (i & 63)) & 1L;
                    double v = mk[i] + (bit == 1L ? c : -c);
                    long nb = v >= 0 ? 1L : 0L;
                    nk[i >>> 6] |= nb << (i & 63);
                    if (nb != bit) {
                        fk[fc++] = i;
                    }
                }
                flipCount[k] = fc;
                Trajectory done = null;
                if (fc == 0) {
                    done = new Trajectory(Outcome.FIXED_POINT, t + 1, 1, SpinStates.magnetisation(sk, n),
                            SpinStates.uniform(sk, n));
                } else if (prev[k] != null && Arrays.equals(prev[k], nk)) {
                    done = new Trajectory(Outcome.CYCLE, t + 1, 2, SpinStates.magnetisation(nk, n), false);
                } else {
                    Integer seenAt = seen[k].put(SpinStates.fingerprint(nk), t + 1);
                    if (seenAt != null) {
                        done = new Trajectory(Outcome.CYCLE, t + 1, t + 1 - seenAt, SpinStates.magnetisation(nk, n),
                                false);
                    }
                }
                // rotate buffers: prev <- s, s <- next
                long[] old = prev[k] == null ? new long[words] : prev[k];
                System.arraycopy(sk, 0, old, 0, words);
                prev[k] = old;
                System.arraycopy(nk, 0, sk, 0, words);
                if (done != null) {
                    result[k] = done;
                    if (done.outcome() == Outcome.FIXED_POINT) {
                        System.arraycopy(old, 0, sk, 0, words);
                    }
                } else if (t + 1 == maxSteps) {
                    result[k] = new Trajectory(Outcome.TIMEOUT, maxSteps, 0, SpinStates.magnetisation(sk, n), false);
                } else {
                    active[kept++] = k;
                }
            }
            activeCount = kept;
            if (sweepDone != null) {
                sweepDone.accept(t + 1);
            }
            if (activeCount == 0) {
                break;
            }
            int nf = 0;
            int ni = 0;
            for (int a = 0; a < activeCount; a++) {
                int k = active[a];
                boolean inc = switch (mode) {
                    case FULL -> false;
                    case INCREMENTAL -> true;
                    case ADAPTIVE -> (long) flipCount[k] * INCREMENTAL_COST < words;
                };
                if (inc) {
                    incIdx[ni++] = k;
                } else {
                    fullIdx[nf++] = k;
                }
            }
            if (nf > 0) {
                fullFields(j, s, m, fullIdx, nf, threads);
            }
            if (ni > 0) {
                incrementalFields(j, s, m, flips, flipCount, incIdx, ni);
            }
        }
        return result;
    }

    /** m_i += Σ_{f flipped, f≠i} 2 J'_if s_f(new), for states idx[0..count). */
    static void incrementalFields(PackedCouplings j, long[][] s, int[][] m, int[][] flips, int[] flipCount,
                                  int[] idx, int count) {
        int n = j.n();
        int words = j.words();
        long[] data = j.data();
        for (int c = 0; c < count; c++) {
            int k = idx[c];
            long[] sk = s[k];
            int[] mk = m[k];
            int[] fk = flips[k];
            int fc = flipCount[k];
            for (int q = 0; q < fc; q++) {
                int f = fk[q];
                int fw = f >>> 6;
                int fb = f & 63;
                long sf = (sk[fw] >>> fb) & 1L;
                for (int i = 0; i < n; i++) {
                    if (i == f) {
                        continue;
                    }
                    long word = data != null ? data[i * words + fw] : j.word(i, fw);
                    long bit = (word >>> fb) & 1L;
                    mk[i] += bit == sf ? 2 : -2;
                }
            }
        }
    }

    private static Trajectory[] asynchronous(PackedCouplings j, double[] jd, long[][] s, int maxSteps,
                                             SplittableRandom rng) {
        if (rng == null) {
            throw new IllegalArgumentException("asynchronous updates need a random stream for the update order");
        }
        int n = j.n();
        double sqrtN = Math.sqrt(n);
        Trajectory[] result = new Trajectory[s.length];
        int[] m = new int[n];
        int[] order = new int[n];
        for (int k = 0; k < s.length; k++) {
            long[] sk = s[k];
            fields(j, sk, m);
            double c = jd[k] * sqrtN;
            Trajectory done = null;
            for (int t = 0; t < maxSteps && done == null; t++) {
                org.engram.kernels.random.Shuffle.permutation(order, n, rng);
                int flipped = 0;
                for (int q = 0; q < n; q++) {
                    int i = order[q];
                    long bit = (sk[i >>> 6] >>> (i & 63)) & 1L;
                    double v = m[i] + (bit == 1L ? c : -c);
                    long nb = v >= 0 ? 1L : 0L;
                    if (nb != bit) {
                        flipped++;
                        SpinStates.flip(sk, i);
                        int iw = i >>> 6;
                        int ib = i & 63;
                        for (int r = 0; r < n; r++) {
                            if (r != i) {
                                long b = (j.word(r, iw) >>> ib) & 1L;
                                m[r] += b == nb ? 2 : -2;
                            }
                        }
                    }
                }
                if (flipped == 0) {
                    done = new Trajectory(Outcome.FIXED_POINT, t + 1, 1, SpinStates.magnetisation(sk, n),
                            SpinStates.uniform(sk, n));
                }
            }
            result[k] = done != null ? done
                    : new Trajectory(Outcome.TIMEOUT, maxSteps, 0, SpinStates.magnetisation(sk, n), false);
        }
        return result;
    }
}
