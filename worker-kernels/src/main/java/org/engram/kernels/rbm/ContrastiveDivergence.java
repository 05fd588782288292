package org.engram.kernels.rbm;

import dev.ludovic.netlib.blas.BLAS;
import java.util.SplittableRandom;

/**
 * CD-k and PCD-k gradient estimates on a minibatch, as the authors' code computes them
 * (REFERENCE-NOTES): the chain starts at the data (or, for PCD, at persistent chains); h and v are
 * sampled at every step; the statistics use the hidden probabilities:
 * ΔW = (v0ᵀ P(h|v0) − vkᵀ P(h|vk)) / B, Δa = mean(v0 − vk), Δb = mean(P(h|v0) − P(h|vk)).
 * The batch's matrix products go through netlib BLAS (sgemm); buffers are allocated once per batch
 * size and reused — nothing is allocated per step.
 */
public final class ContrastiveDivergence {
    private final int visible;
    private final int hidden;
    private final int batch;
    private final float[] p0;
    private final float[] hk;
    private final float[] pk;
    private final float[] vk;
    private final BLAS blas = BLAS.getInstance();
    private final int labels;

    public ContrastiveDivergence(int visible, int hidden, int batch) {
        this(visible, hidden, batch, 0);
    }

    /**
     * For a classification RBM (Larochelle et al. 2012) whose last {@code labels} visible units are a
     * one-hot label: in the negative phase those units are set to the one-hot argmax of their softmax
     * (as the authors' code does) instead of being sampled independently.
     */
    public ContrastiveDivergence(int visible, int hidden, int batch, int labels) {
        if (labels < 0 || labels >= visible) {
            throw new IllegalArgumentException("labels must be in [0, " + visible + "), found " + labels);
        }
        this.labels = labels;
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be positive, found " + batch);
        }
        this.visible = visible;
        this.hidden = hidden;
        this.batch = batch;
        this.p0 = new float[batch * hidden];
        this.hk = new float[batch * hidden];
        this.pk = new float[batch * hidden];
        this.vk = new float[batch * visible];
    }

    /** P(h = 1 | v) for rows × N visible states (row-major) into rows × M. out: modified. */
    public void hidden(Rbm rbm, float[] v, int rows, float[] out) {
        blas.sgemm("N", "N", hidden, rows, visible, 1f, rbm.w, hidden, v, visible, 0f, out, hidden);
        Fused.sigmoidRows(out, rows, hidden, rbm.b);
    }

    /** P(v = 1 | h) for rows × M hidden states into rows × N. out: modified. */
    public void visible(Rbm rbm, float[] h, int rows, float[] out) {
        blas.sgemm("T", "N", visible, rows, hidden, 1f, rbm.w, hidden, h, hidden, 0f, out, visible);
        Fused.sigmoidRows(out, rows, visible, rbm.a);
    }

    /** Pixels sampled; the label block set to the one-hot argmax (softmax and sigmoid share it). */
    private void sampleWithLabels(float[] v, int rows, SplittableRandom rng) {
        int pixels = visible - labels;
        for (int r = 0; r < rows; r++) {
            int off = r * visible;
            Fused.bernoulli(v, off, pixels, rng);
            int best = 0;
            for (int y = 1; y < labels; y++) {
                if (v[off + pixels + y] > v[off + pixels + best]) {
                    best = y;
                }
            }
            for (int y = 0; y < labels; y++) {
                v[off + pixels + y] = y == best ? 1f : 0f;
            }
        }
    }

    /** Bernoulli samples of probabilities p[0..n) into out (may be p itself). */
    static void sample(float[] p, int n, float[] out, SplittableRandom rng) {
        Fused.bernoulli(p, n, out, rng);
    }

    /**
     * One CD-k / PCD-k step applied in place, θ += η·estimate, without materialising the estimate:
     * the weight update is accumulated straight into W by the two sgemm calls.
     * rbm: modified; chains as in {@link #estimate}.
     */
    public void step(Rbm rbm, float[] v0, int rows, int k, float rate, SplittableRandom rng, float[] chains) {
        step(rbm, v0, rows, k, rate, rng, chains, null);
    }

    /** As above, with v0·W already computed (rows × M, no bias) in {@code v0Pre}, or null. */
    public void step(Rbm rbm, float[] v0, int rows, int k, float rate, SplittableRandom rng, float[] chains,
                     float[] v0Pre) {
        chain(rbm, v0, rows, k, rng, chains, v0Pre);
        float scale = rate / rows;
        blas.sgemm("N", "T", hidden, visible, rows, scale, p0, hidden, v0, visible, 1f, rbm.w, hidden);
        blas.sgemm("N", "T", hidden, visible, rows, -scale, pk, hidden, vk, visible, 1f, rbm.w, hidden);
        biases(rbm.a, rbm.b, v0, rows, scale, true);
    }

    /** Runs the chain: p0 = P(h|v0); vk, pk = the k-th visible sample and its hidden probabilities. */
    private void chain(Rbm rbm, float[] v0, int rows, int k, SplittableRandom rng, float[] chains, float[] v0Pre) {
        if (rows > batch || k < 1) {
            throw new IllegalArgumentException("rows must be ≤ " + batch + " and k ≥ 1, found rows = " + rows + ", k = " + k);
        }
        int nh = rows * hidden;
        int nv = rows * visible;
        if (v0Pre != null) {
            Fused.sigmoidRows(v0Pre, p0, rows, hidden, rbm.b);
        } else {
            hidden(rbm, v0, rows, p0);
        }
        if (chains != null) {
            hidden(rbm, chains, rows, pk);
            sample(pk, nh, hk, rng);
        } else {
            sample(p0, nh, hk, rng);
        }
        for (int step = 0; step < k; step++) {
            visible(rbm, hk, rows, vk);
            if (labels == 0) {
                sample(vk, nv, vk, rng);
            } else {
                sampleWithLabels(vk, rows, rng);
            }
            hidden(rbm, vk, rows, pk);
            if (step < k - 1) {
                sample(pk, nh, hk, rng);
            }
        }
        if (chains != null) {
            System.arraycopy(vk, 0, chains, 0, nv);
        }
    }

    /** da += scale Σ (v0 − vk), db += scale Σ (p0 − pk); zeroed first unless {@code accumulate}. */
    private void biases(float[] da, float[] db, float[] v0, int rows, float scale, boolean accumulate) {
        if (!accumulate) {
            java.util.Arrays.fill(da, 0f);
            java.util.Arrays.fill(db, 0f);
        }
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < visible; i++) {
                da[i] += (v0[r * visible + i] - vk[r * visible + i]) * scale;
            }
            for (int j = 0; j < hidden; j++) {
                db[j] += (p0[r * hidden + j] - pk[r * hidden + j]) * scale;
            }
        }
    }

    /**
     * The CD-k (chains == null) or PCD-k estimate for the batch v0 (rows × N).
     *
     * @param chains persistent visible states (rows × N), advanced in place; null for CD
     * @param out    the estimate (modified)
     */
    public void estimate(Rbm rbm, float[] v0, int rows, int k, SplittableRandom rng, float[] chains, Gradient out) {
        chain(rbm, v0, rows, k, rng, chains, null);
        float inv = 1f / rows;
        blas.sgemm("N", "T", hidden, visible, rows, inv, p0, hidden, v0, visible, 0f, out.dw, hidden);
        blas.sgemm("N", "T", hidden, visible, rows, -inv, pk, hidden, vk, visible, 1f, out.dw, hidden);
        biases(out.da, out.db, v0, rows, inv, false);
    }
}
