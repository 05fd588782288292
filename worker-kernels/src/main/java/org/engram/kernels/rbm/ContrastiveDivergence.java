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

    public ContrastiveDivergence(int visible, int hidden, int batch) {
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
        for (int r = 0; r < rows; r++) {
            int off = r * hidden;
            for (int j = 0; j < hidden; j++) {
                out[off + j] = (float) Rbm.sigmoid(out[off + j] + rbm.b[j]);
            }
        }
    }

    /** P(v = 1 | h) for rows × M hidden states into rows × N. out: modified. */
    public void visible(Rbm rbm, float[] h, int rows, float[] out) {
        blas.sgemm("T", "N", visible, rows, hidden, 1f, rbm.w, hidden, h, hidden, 0f, out, visible);
        for (int r = 0; r < rows; r++) {
            int off = r * visible;
            for (int i = 0; i < visible; i++) {
                out[off + i] = (float) Rbm.sigmoid(out[off + i] + rbm.a[i]);
            }
        }
    }

    /** Bernoulli samples of probabilities p[0..n) into out (may be p itself). */
    static void sample(float[] p, int n, float[] out, SplittableRandom rng) {
        for (int q = 0; q < n; q++) {
            out[q] = rng.nextDouble() < p[q] ? 1f : 0f;
        }
    }

    /**
     * The CD-k (chains == null) or PCD-k estimate for the batch v0 (rows × N).
     *
     * @param chains persistent visible states (rows × N), advanced in place; null for CD
     * @param out    the estimate (modified)
     */
    public void estimate(Rbm rbm, float[] v0, int rows, int k, SplittableRandom rng, float[] chains, Gradient out) {
        if (rows > batch || k < 1) {
            throw new IllegalArgumentException("rows must be ≤ " + batch + " and k ≥ 1, found rows = " + rows + ", k = " + k);
        }
        int nh = rows * hidden;
        int nv = rows * visible;
        hidden(rbm, v0, rows, p0);
        if (chains != null) {
            hidden(rbm, chains, rows, pk);
            sample(pk, nh, hk, rng);
        } else {
            sample(p0, nh, hk, rng);
        }
        for (int step = 0; step < k; step++) {
            visible(rbm, hk, rows, vk);
            sample(vk, nv, vk, rng);
            hidden(rbm, vk, rows, pk);
            if (step < k - 1) {
                sample(pk, nh, hk, rng);
            }
        }
        if (chains != null) {
            System.arraycopy(vk, 0, chains, 0, nv);
        }
        float inv = 1f / rows;
        blas.sgemm("N", "T", hidden, visible, rows, inv, p0, hidden, v0, visible, 0f, out.dw, hidden);
        blas.sgemm("N", "T", hidden, visible, rows, -inv, pk, hidden, vk, visible, 1f, out.dw, hidden);
        java.util.Arrays.fill(out.da, 0f);
        java.util.Arrays.fill(out.db, 0f);
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < visible; i++) {
                out.da[i] += (v0[r * visible + i] - vk[r * visible + i]) * inv;
            }
            for (int j = 0; j < hidden; j++) {
                out.db[j] += (p0[r * hidden + j] - pk[r * hidden + j]) * inv;
            }
        }
    }
}
