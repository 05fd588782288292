package org.engram.kernels.rbm;

import java.util.SplittableRandom;
import java.util.function.DoubleConsumer;

/**
 * Annealed importance sampling (Neal 2001; Salakhutdinov &amp; Murray 2008) of log Z for a ±1 RBM without biases,
 * written for spins (the authors' AIS assumes 0/1 units — REFERENCE-NOTES). The base model A has visible biases
 * b and W = 0: p_A(v) ∝ e^{bᵀv}, Z_A = Π_i 2cosh(b_i) · 2^H. The intermediate distributions, h summed out, are
 * p*_β(v) = e^{(1−β) bᵀv} Π_a 2cosh(β (vᵀW)_a); the transition at β is a Gibbs sweep h ~ σ(2β vᵀW),
 * v ~ σ(2((1−β) b + β Wh)). Each of {@code runs} chains starts exactly from p_A and accumulates
 * log w = Σ_k [log p*_{β_k}(v_{k−1}) − log p*_{β_{k−1}}(v_{k−1})]; log Ẑ = log Z_A + log mean e^{log w}.
 * The error bar is the paper's ±3σ: log(Ẑ ± 3 σ̂/√runs) with σ̂ the standard deviation of the weights Z_A w
 * (the lower end −∞ when that is not positive). AIS underestimates log Z in expectation, so NLL from it is a
 * lower bound on average.
 */
public final class SpinAis {
    private SpinAis() {
    }

    /**
     * @param logZ     the estimate log Ẑ
     * @param low      log(Ẑ − 3σ̂/√runs) (−∞ when not positive)
     * @param high     log(Ẑ + 3σ̂/√runs)
     * @param logBase  log Z_A used
     */
    public record Estimate(double logZ, double low, double high, double logBase) {
        /** Whether x lies in [low, high]. */
        public boolean covers(double x) {
            return x >= low && x <= high;
        }
    }

    /** A linear schedule of {@code temperatures} inverse temperatures from 0 to 1 (both included). */
    public static double[] linear(int temperatures) {
        if (temperatures < 2) {
            throw new IllegalArgumentException("temperatures must be ≥ 2, found " + temperatures);
        }
        double[] b = new double[temperatures];
        for (int i = 0; i < temperatures; i++) {
            b[i] = i / (double) (temperatures - 1);
        }
        return b;
    }

    /**
     * Salakhutdinov &amp; Murray's piecewise schedule: 0 → 0.5 in steps of 1e-3, 0.5 → 0.9 in 1e-4, 0.9 → 1 in 1e-5
     * (14,501 values).
     */
    public static double[] piecewise() {
        int n1 = 500;
        int n2 = 4000;
        int n3 = 10000;
        double[] b = new double[n1 + n2 + n3 + 1];
        int q = 0;
        for (int i = 0; i < n1; i++) {
            b[q++] = i * 1e-3;
        }
        for (int i = 0; i < n2; i++) {
            b[q++] = 0.5 + i * 1e-4;
        }
        for (int i = 0; i < n3; i++) {
            b[q++] = 0.9 + i * 1e-5;
        }
        b[q] = 1;
        return b;
    }

    /**
     * The base-rate biases of the data (rows × V, ±1): b_i = atanh(mean v_i), the means clipped to
     * ±(1 − 2·{@code eps}) so that no bias is infinite.
     */
    public static float[] baseRate(float[] data, int rows, int visible, double eps) {
        double[] mean = new double[visible];
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < visible; i++) {
                mean[i] += data[r * visible + i];
            }
        }
        float[] b = new float[visible];
        double lim = 1 - 2 * eps;
        for (int i = 0; i < visible; i++) {
            double m = Math.max(-lim, Math.min(lim, mean[i] / rows));
            b[i] = (float) (0.5 * Math.log((1 + m) / (1 - m)));
        }
        return b;
    }

    /** log Z_A = Σ_i log 2cosh(b_i) + H log 2. */
    public static double logBase(float[] b, int hidden) {
        double s = hidden * Math.log(2);
        for (float x : b) {
            s += SpinRbm.logCosh2(x);
        }
        return s;
    }

    /** The estimate with the base model's exact log Z_A. */
    public static Estimate logZ(SpinRbm rbm, float[] b, double[] betas, int runs, SplittableRandom rng) {
        return logZ(rbm, b, logBase(b, rbm.hidden), betas, runs, rng, done -> { });
    }

    /**
     * The estimate with the base model's exact log Z_A, telling {@code progress} the fraction of the temperatures
     * passed (0 … 1, about a hundred times in all): the paper's piecewise schedule is 14,501 steps, minutes at H = 3000.
     */
    public static Estimate logZ(SpinRbm rbm, float[] b, double[] betas, int runs, SplittableRandom rng,
                                DoubleConsumer progress) {
        return logZ(rbm, b, logBase(b, rbm.hidden), betas, runs, rng, progress);
    }

    /**
     * The estimate with {@code logBase} taken as log Z_A (the correct value is {@link #logBase}; anything else
     * shifts the estimate — the tests use that to check that a wrong AIS is caught).
     */
    public static Estimate logZ(SpinRbm rbm, float[] b, double logBase, double[] betas, int runs,
                                SplittableRandom rng) {
        return logZ(rbm, b, logBase, betas, runs, rng, done -> { });
    }

    private static Estimate logZ(SpinRbm rbm, float[] b, double logBase, double[] betas, int runs,
                                 SplittableRandom rng, DoubleConsumer progress) {
        int vis = rbm.visible;
        int hid = rbm.hidden;
        if (b.length != vis) {
            throw new IllegalArgumentException("base biases have " + b.length + " entries, expected " + vis);
        }
        float[] v = new float[runs * vis];
        float[] p = new float[runs * vis];
        float[] zero = new float[Math.max(vis, hid)];
        // v ~ p_A exactly: P(v_i = +1) = σ(2 b_i)
        for (int r = 0; r < runs; r++) {
            for (int i = 0; i < vis; i++) {
                p[r * vis + i] = 2 * b[i];
            }
        }
        Fused.sigmoidRows(p, runs, vis, zero);
        Fused.spins(p, 0, v, 0, runs * vis, rng);
        double[] logw = new double[runs];
        float[] f = new float[runs * hid];
        float[] scaled = new float[runs * hid];
        float[] h = new float[runs * hid];
        float[] vf = new float[runs * vis];
        int every = Math.max(1, (betas.length - 1) / 100);
        for (int k = 1; k < betas.length; k++) {
            if (k % every == 0) {
                progress.accept((k - 1.0) / (betas.length - 1));
            }
            double bPrev = betas[k - 1];
            double bNow = betas[k];
            rbm.hiddenFields(v, 0, runs, 2f, f, 0); // 2·field
            for (int r = 0; r < runs; r++) {
                double bv = 0;
                for (int i = 0; i < vis; i++) {
                    bv += b[i] * v[r * vis + i];
                }
                int o = r * hid;
                Fused.scale((float) bNow, f, o, scaled, o, hid);
                double now = (1 - bNow) * bv + rbm.logCoshSum(scaled, o, hid);
                Fused.scale((float) bPrev, f, o, scaled, o, hid);
                double prev = (1 - bPrev) * bv + rbm.logCoshSum(scaled, o, hid);
                logw[r] += now - prev;
            }
            // transition at β_k: h ~ σ(2β vᵀW), v ~ σ(2((1−β) b + β W h))
            Fused.scale((float) bNow, f, 0, h, 0, f.length);
            Fused.sigmoidRows(h, runs, hid, zero);
            Fused.spins(h, 0, h, 0, h.length, rng);
            rbm.visibleFields(h, 0, runs, (float) (2 * bNow), vf, 0);
            for (int r = 0; r < runs; r++) {
                for (int i = 0; i < vis; i++) {
                    vf[r * vis + i] += (float) (2 * (1 - bNow) * b[i]);
                }
            }
            Fused.sigmoidRows(vf, runs, vis, zero);
            Fused.spins(vf, 0, v, 0, v.length, rng);
        }
        double max = Double.NEGATIVE_INFINITY;
        for (double x : logw) {
            max = Math.max(max, x);
        }
        double s = 0;
        double s2 = 0;
        for (double x : logw) {
            double e = Math.exp(x - max);
            s += e;
            s2 += e * e;
        }
        double mean = s / runs;
        double var = Math.max(0, s2 / runs - mean * mean) * runs / Math.max(1, runs - 1);
        double half = 3 * Math.sqrt(var / runs);
        double logZ = logBase + max + Math.log(mean);
        double low = mean - half > 0 ? logBase + max + Math.log(mean - half) : Double.NEGATIVE_INFINITY;
        double high = logBase + max + Math.log(mean + half);
        return new Estimate(logZ, low, high, logBase);
    }
}
