package org.engram.kernels.rbm;

import dev.ludovic.netlib.blas.BLAS;
import java.util.SplittableRandom;

/**
 * A restricted Boltzmann machine of ±1 spins without biases (RAPID paper, Sec. II with b = 0):
 * E(v, h) = −vᵀWh, v ∈ {−1, +1}^V, h ∈ {−1, +1}^H. Summing h out gives p(v) ∝ e^{−F(v)} with
 * F(v) = −Σ_a log 2cosh((vᵀW)_a); the conditionals are P(s = +1 | field) = σ(2·field) and the hidden
 * expectation is tanh(field). W is V × H row-major ({@code w[i·H + a]}), the layout of {@link Rbm}, and the
 * batch products go through netlib BLAS (sgemm) as in {@link ContrastiveDivergence}; sampling and the
 * log-cosh sums are {@link Fused}'s. A batch of states is rows × V (or rows × H), row-major.
 *
 * <p>Since there are no biases, F(v) = F(−v): every statement about p(v) holds for the flipped state too.
 */
public final class SpinRbm {
    public final int visible;
    public final int hidden;
    public final float[] w;
    private static final BLAS BLAS_ = BLAS.getInstance();
    private final float[] zeros;

    public SpinRbm(int visible, int hidden) {
        if (visible < 1 || hidden < 1) {
            throw new IllegalArgumentException("visible and hidden must be positive, found " + visible + " and " + hidden);
        }
        this.visible = visible;
        this.hidden = hidden;
        this.w = new float[visible * hidden];
        this.zeros = new float[Math.max(visible, hidden)];
    }

    /** Weights N(0, sd²) (the authors' baselines: sd = 0.01), drawn from the stream (modified). */
    public static SpinRbm gaussian(int visible, int hidden, double sd, SplittableRandom rng) {
        SpinRbm r = new SpinRbm(visible, hidden);
        for (int q = 0; q < r.w.length; q++) {
            r.w[q] = (float) (sd * rng.nextGaussian());
        }
        return r;
    }

    /** Weights uniform on [−half-width, half-width] (standard deviation half-width/√3). */
    public static SpinRbm uniform(int visible, int hidden, double halfWidth, SplittableRandom rng) {
        SpinRbm r = new SpinRbm(visible, hidden);
        for (int q = 0; q < r.w.length; q++) {
            r.w[q] = (float) (halfWidth * (2 * rng.nextDouble() - 1));
        }
        return r;
    }

    public SpinRbm copy() {
        SpinRbm r = new SpinRbm(visible, hidden);
        System.arraycopy(w, 0, r.w, 0, w.length);
        return r;
    }

    /** The population standard deviation of the weights (what Fig. 1's x axis measures). */
    public double weightStd() {
        double s = 0;
        double s2 = 0;
        for (float x : w) {
            s += x;
            s2 += (double) x * x;
        }
        double m = s / w.length;
        return Math.sqrt(Math.max(0, s2 / w.length - m * m));
    }

    /** log 2cosh(x), overflow-safe: |x| + log1p(e^{−2|x|}). */
    public static double logCosh2(double x) {
        double a = Math.abs(x);
        return a + Math.log1p(Math.exp(-2 * a));
    }

    /** E(v, h) = −vᵀWh, in double. */
    public double energy(float[] v, int vo, float[] h, int ho) {
        double e = 0;
        for (int i = 0; i < visible; i++) {
            double row = 0;
            int wo = i * hidden;
            for (int a = 0; a < hidden; a++) {
                row += w[wo + a] * h[ho + a];
            }
            e -= v[vo + i] * row;
        }
        return e;
    }

    /** F(v) = −Σ_a log 2cosh((vᵀW)_a), in double (the reference the batched paths are tested against). */
    public double freeEnergy(float[] v, int vo) {
        double f = 0;
        for (int a = 0; a < hidden; a++) {
            double x = 0;
            for (int i = 0; i < visible; i++) {
                x += v[vo + i] * w[i * hidden + a];
            }
            f -= logCosh2(x);
        }
        return f;
    }

    /** out (rows × H) = alpha · v W for rows × V states starting at v[vo]. out: modified. */
    public void hiddenFields(float[] v, int vo, int rows, float alpha, float[] out, int oo) {
        BLAS_.sgemm("N", "N", hidden, rows, visible, alpha, w, 0, hidden, v, vo, visible, 0f, out, oo, hidden);
    }

    /** out (rows × V) = alpha · h Wᵀ for rows × H states starting at h[ho]. out: modified. */
    public void visibleFields(float[] h, int ho, int rows, float alpha, float[] out, int oo) {
        BLAS_.sgemm("T", "N", visible, rows, hidden, alpha, w, 0, hidden, h, ho, hidden, 0f, out, oo, visible);
    }

    /**
     * h ~ P(h | v) for rows states: P(h_a = +1) = σ(2 (vᵀW)_a). {@code scratch} holds rows × H floats; out
     * (rows × H) may be scratch. out: modified.
     */
    public void sampleHidden(float[] v, int rows, float[] scratch, float[] out, SplittableRandom rng) {
        hiddenFields(v, 0, rows, 2f, scratch, 0);
        Fused.sigmoidRows(scratch, rows, hidden, zeros);
        Fused.spins(scratch, 0, out, 0, rows * hidden, rng);
    }

    /** v ~ P(v | h) for rows states: P(v_i = +1) = σ(2 (Wh)_i). scratch: rows × V floats. out: modified. */
    public void sampleVisible(float[] h, int rows, float[] scratch, float[] out, SplittableRandom rng) {
        visibleFields(h, 0, rows, 2f, scratch, 0);
        Fused.sigmoidRows(scratch, rows, visible, zeros);
        Fused.spins(scratch, 0, out, 0, rows * visible, rng);
    }

    /** Chains per block of {@link #gibbs}: their fields (rows × H floats) stay in cache across the sweeps. */
    static final int GIBBS_BLOCK = 64;

    /**
     * {@code steps} Gibbs sweeps (h ~ P(h|v), then v ~ P(v|h)) of rows independent chains, v (rows × V) updated in
     * place; when hOut (rows × H) is given it receives the last h (the one the final v was drawn from). The chains
     * run in blocks of {@link #GIBBS_BLOCK}, all sweeps of a block before the next (the same draws for any
     * caller, whatever its thread count).
     */
    public void gibbs(float[] v, int rows, int steps, float[] hOut, SplittableRandom rng) {
        int b = Math.min(GIBBS_BLOCK, rows);
        float[] bv = new float[b * visible];
        float[] sv = new float[b * visible];
        float[] bh = new float[b * hidden];
        for (int from = 0; from < rows; from += b) {
            int n = Math.min(b, rows - from);
            System.arraycopy(v, from * visible, bv, 0, n * visible);
            for (int t = 0; t < steps; t++) {
                sampleHidden(bv, n, bh, bh, rng);
                sampleVisible(bh, n, sv, bv, rng);
            }
            System.arraycopy(bv, 0, v, from * visible, n * visible);
            if (hOut != null) {
                System.arraycopy(bh, 0, hOut, from * hidden, n * hidden);
            }
        }
    }

    /**
     * Σ_{q &lt; n} log 2cosh(x[xo + q] / 2) — of the doubled fields the products above give with alpha = 2 —
     * overflow-safe ({@link Fused#logCoshRow}).
     */
    public double logCoshSum(float[] doubled, int xo, int n) {
        return Fused.logCoshRow(doubled, xo, n, false, new double[1]);
    }

    /** F(v) of rows states into out[0 .. rows). scratch: rows × H floats. out: modified. */
    public void freeEnergies(float[] v, int rows, float[] scratch, double[] out) {
        hiddenFields(v, 0, rows, 2f, scratch, 0);
        for (int r = 0; r < rows; r++) {
            out[r] = -logCoshSum(scratch, r * hidden, hidden);
        }
    }

    /** E(v_r, h_r) = −v_rᵀ W h_r of rows pairs into out. scratch: rows × H floats. out: modified. */
    public void energies(float[] v, float[] h, int rows, float[] scratch, double[] out) {
        hiddenFields(v, 0, rows, 1f, scratch, 0);
        for (int r = 0; r < rows; r++) {
            double e = 0;
            int o = r * hidden;
            for (int a = 0; a < hidden; a++) {
                e -= scratch[o + a] * h[o + a];
            }
            out[r] = e;
        }
    }

    /**
     * The lowest energy −vᵀWh over rows pairs. scratch: rows × H floats.
     */
    public double minEnergy(float[] v, float[] h, int rows, float[] scratch) {
        double[] e = new double[rows];
        energies(v, h, rows, scratch, e);
        double min = Double.POSITIVE_INFINITY;
        for (double x : e) {
            min = Math.min(min, x);
        }
        return min;
    }

    /** Random ±1 states, rows × n (P(+1) = ½), drawn from the stream (modified). */
    public static float[] randomSpins(int rows, int n, SplittableRandom rng) {
        float[] s = new float[rows * n];
        for (int q = 0; q < s.length; q++) {
            s[q] = rng.nextBoolean() ? 1f : -1f;
        }
        return s;
    }

    @Override
    public String toString() {
        return "SpinRbm[" + visible + "×" + hidden + ", |W|max=" + Fused.maxAbs(w, 0, w.length) + "]";
    }
}
