package org.engram.kernels.rnn;

import dev.ludovic.netlib.blas.BLAS;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Random Gaussian network stabilised by sparse positive reinforcement, thesis eq. 3.3:
 * s(t+1) = sign((J + A) s(t)), J_ij ~ N(0, 1/N) (σ = 1/√N), J_ii = 0, A from
 * {@link SparseReinforcement}, synchronous updates, sign(0) = +1.
 *
 * <p>All initial states that share (J, A) advance together: one sweep is one single-precision GEMM
 * H = J·S through netlib BLAS for the n × K block S of active states, plus the sparse A·S. States
 * that reach a fixed point or a cycle leave the block.
 */
public final class ReinforcementDynamics {
    private ReinforcementDynamics() {
    }

    /** Dense Gaussian couplings, column-major n × n (J_ij at [i + j·n]), zero diagonal. */
    public static float[] gaussianCouplings(int n, SplittableRandom rng) {
        if (n < 2 || (long) n * n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("n must be in [2, 46340] for dense couplings, found " + n);
        }
        float[] j = new float[n * n];
        double sigma = 1.0 / Math.sqrt(n);
        for (int q = 0; q < j.length; q++) {
            j[q] = (float) (sigma * rng.nextGaussian());
        }
        for (int i = 0; i < n; i++) {
            j[i + i * n] = 0f;
        }
        return j;
    }

    /**
     * Runs every initial state to a fixed point, a cycle or T_max.
     *
     * @param j        dense couplings from {@link #gaussianCouplings} (not modified)
     * @param a        reinforcement (not modified), or null for none
     * @param states   initial states as ±1 floats, one array of length n each; modified: last states
     * @param maxSteps T_max
     */
    public static Trajectory[] run(float[] j, SparseReinforcement a, float[][] states, int maxSteps) {
        int k0 = states.length;
        if (k0 == 0) {
            return new Trajectory[0];
        }
        int n = states[0].length;
        if ((long) n * n != j.length) {
            throw new IllegalArgumentException("couplings hold " + j.length + " entries, states have n = " + n);
        }
        if (a != null && a.n() != n) {
            throw new IllegalArgumentException("reinforcement has n = " + a.n() + ", states have n = " + n);
        }
        if (maxSteps < 1) {
            throw new IllegalArgumentException("maxSteps must be at least 1, found " + maxSteps);
        }
        BLAS blas = BLAS.getInstance();
        float[] s = new float[n * k0];
        float[] h = new float[n * k0];
        float[] prev = new float[n * k0];
        int[] id = new int[k0];
        @SuppressWarnings("unchecked")
        Map<Long, Integer>[] seen = new Map[k0];
        for (int k = 0; k < k0; k++) {
            if (states[k].length != n) {
                throw new IllegalArgumentException("state " + k + " has " + states[k].length + " spins, expected " + n);
            }
            System.arraycopy(states[k], 0, s, k * n, n);
            id[k] = k;
            seen[k] = new HashMap<>();
            seen[k].put(SpinStates.fingerprint(SpinStates.fromFloats(s, k * n, n)), 0);
        }
        Trajectory[] out = new Trajectory[k0];
        int active = k0;
        boolean havePrev = false;
        for (int t = 0; t < maxSteps && active > 0; t++) {
            blas.sgemm("N", "N", n, active, n, 1f, j, n, s, n, 0f, h, n);
            if (a != null) {
                a.multiplyAdd(s, h, active);
            }
            int kept = 0;
            for (int c = 0; c < active; c++) {
                int off = c * n;
                int flips = 0;
                int ups = 0;
                boolean sameAsPrev = havePrev;
                for (int i = 0; i < n; i++) {
                    float nv = h[off + i] >= 0f ? 1f : -1f;
                    if (nv != s[off + i]) {
                        flips++;
                    }
                    if (sameAsPrev && nv != prev[off + i]) {
                        sameAsPrev = false;
                    }
                    if (nv > 0) {
                        ups++;
                    }
                    h[off + i] = nv;
                }
                int k = id[c];
                Trajectory done = null;
                double mag = (2.0 * ups - n) / n;
                if (flips == 0) {
                    done = new Trajectory(Outcome.FIXED_POINT, t + 1, 1, mag, ups == 0 || ups == n);
                } else if (sameAsPrev) {
                    done = new Trajectory(Outcome.CYCLE, t + 1, 2, mag, false);
                } else {
                    Integer at = seen[k].put(SpinStates.fingerprint(SpinStates.fromFloats(h, off, n)), t + 1);
                    if (at != null) {
                        done = new Trajectory(Outcome.CYCLE, t + 1, t + 1 - at, mag, false);
                    } else if (t + 1 == maxSteps) {
                        done = new Trajectory(Outcome.TIMEOUT, maxSteps, 0, mag, false);
                    }
                }
                if (done != null) {
                    out[k] = done;
                    System.arraycopy(h, off, states[k], 0, n);
                } else {
                    // compact: column c moves to column kept, for s (now prev), h (now s)
                    System.arraycopy(s, off, prev, kept * n, n);
                    System.arraycopy(h, off, s, kept * n, n);
                    id[kept] = k;
                    kept++;
                }
            }
            // s holds the kept new states in columns < kept; but columns were overwritten in order c ≥ kept
            active = kept;
            havePrev = true;
            if (active > 0) {
                Arrays.fill(h, 0, active * n, 0f);
            }
        }
        return out;
    }
}
