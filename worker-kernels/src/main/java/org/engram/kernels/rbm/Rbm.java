package org.engram.kernels.rbm;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A binary restricted Boltzmann machine (KH-RBM paper eq. 1): E(v, h) = −vᵀWh − aᵀv − bᵀh with
 * v ∈ {0,1}^N, h ∈ {0,1}^M. W is N × M, row-major ({@code w[i·M + j]}), a the visible and b the hidden
 * biases. The parameters are mutable arrays owned by this object (training updates them in place);
 * everything else here is a pure function of them.
 */
public final class Rbm {
    /** Weight initialisations of the paper: Std-Normal N(0, 1) and LeCun N(0, 1/N). */
    public enum Init { STD_NORMAL, LECUN }

    public final int visible;
    public final int hidden;
    public final float[] w;
    public final float[] a;
    public final float[] b;

    public Rbm(int visible, int hidden) {
        if (visible < 1 || hidden < 1) {
            throw new IllegalArgumentException("visible and hidden must be positive, found " + visible + " and " + hidden);
        }
        this.visible = visible;
        this.hidden = hidden;
        this.w = new float[visible * hidden];
        this.a = new float[visible];
        this.b = new float[hidden];
    }

    /** Biases zero, weights drawn from the stream (modified). */
    public static Rbm initialised(int visible, int hidden, Init init, SplittableRandom rng) {
        Rbm r = new Rbm(visible, hidden);
        double sd = init == Init.STD_NORMAL ? 1.0 : 1.0 / Math.sqrt(visible);
        for (int q = 0; q < r.w.length; q++) {
            r.w[q] = (float) (sd * rng.nextGaussian());
        }
        return r;
    }

    public Rbm copy() {
        Rbm r = new Rbm(visible, hidden);
        System.arraycopy(w, 0, r.w, 0, w.length);
        System.arraycopy(a, 0, r.a, 0, a.length);
        System.arraycopy(b, 0, r.b, 0, b.length);
        return r;
    }

    public float weight(int i, int j) {
        return w[i * hidden + j];
    }

    /** E(v, h), eq. 1. */
    public double energy(float[] v, float[] h) {
        double e = 0;
        for (int i = 0; i < visible; i++) {
            e -= a[i] * v[i];
            if (v[i] != 0) {
                for (int j = 0; j < hidden; j++) {
                    e -= v[i] * w[i * hidden + j] * h[j];
                }
            }
        }
        for (int j = 0; j < hidden; j++) {
            e -= b[j] * h[j];
        }
        return e;
    }

    /** Numerically stable log(1 + e^x). */
    public static double softplus(double x) {
        return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
    }

    public static double sigmoid(double x) {
        return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    }

    /** Free energy F(v) = −aᵀv − Σ_j softplus(b_j + (vᵀW)_j), so that p(v) ∝ e^{−F(v)}. */
    public double freeEnergy(float[] v) {
        double f = 0;
        for (int i = 0; i < visible; i++) {
            f -= a[i] * v[i];
        }
        for (int j = 0; j < hidden; j++) {
            double x = b[j];
            for (int i = 0; i < visible; i++) {
                x += v[i] * w[i * hidden + j];
            }
            f -= softplus(x);
        }
        return f;
    }

    /** p(h_j = 1 | v) for every j. out: modified. */
    public void hiddenProbabilities(float[] v, float[] out) {
        for (int j = 0; j < hidden; j++) {
            double x = b[j];
            for (int i = 0; i < visible; i++) {
                x += v[i] * w[i * hidden + j];
            }
            out[j] = (float) sigmoid(x);
        }
    }

    /** p(v_i = 1 | h) for every i. out: modified. */
    public void visibleProbabilities(float[] h, float[] out) {
        for (int i = 0; i < visible; i++) {
            double x = a[i];
            for (int j = 0; j < hidden; j++) {
                x += w[i * hidden + j] * h[j];
            }
            out[i] = (float) sigmoid(x);
        }
    }

    @Override
    public String toString() {
        return "Rbm[" + visible + "×" + hidden + ", |W|max=" + Fused.maxAbs(w, 0, w.length) + "]";
    }

    /** Parameters as one vector (W, a, b), for comparing gradients. */
    public double[] flatten() {
        return Gradient.concat(w, a, b);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Rbm r && Arrays.equals(r.w, w) && Arrays.equals(r.a, a) && Arrays.equals(r.b, b);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(w);
    }
}
