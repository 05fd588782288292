package org.engram.kernels.rbm;

import dev.ludovic.netlib.blas.BLAS;
import java.util.SplittableRandom;

/**
 * Regularised axons (RAPID paper, eq. 5): the weights of a ±1 RBM built from K patterns ξ^k = (ξ_v^k, ξ_h^k),
 * W_iα = (1/√K) Σ_k ξ_i^k ξ_α^k — the patterns are the trainable parameters. ξ_v is K × V and ξ_h is K × H,
 * row-major. {@link #weights} rebuilds W (O(K·V·H), one sgemm); {@link #ascend} applies the pattern gradients
 * of eq. A7 given the weight gradient G = ∂ log-likelihood / ∂W (V × H):
 * Δξ_v^k = (lr/√K) Σ_α G_·α ξ_α^k and Δξ_h^k = (lr/√K) Σ_i G_i· ξ_i^k, both from the patterns before the step.
 * {@link #binarise} (eq. B1) and {@link #clip} (Appendix B, value restriction) bring them back.
 */
public final class RaPatterns {
    public final int k;
    public final int visible;
    public final int hidden;
    public final float[] xv;
    public final float[] xh;
    private final float[] dv;
    private final float[] dh;
    private static final BLAS BLAS_ = BLAS.getInstance();

    public RaPatterns(int k, int visible, int hidden) {
        if (k < 1 || visible < 1 || hidden < 1) {
            throw new IllegalArgumentException("K, V and H must be positive, found " + k + ", " + visible + ", " + hidden);
        }
        this.k = k;
        this.visible = visible;
        this.hidden = hidden;
        this.xv = new float[k * visible];
        this.xh = new float[k * hidden];
        this.dv = new float[xv.length];
        this.dh = new float[xh.length];
    }

    /** K Bernoulli(½) ±1 patterns (Algorithm 1's initialisation), drawn from the stream (modified). */
    public static RaPatterns random(int k, int visible, int hidden, SplittableRandom rng) {
        RaPatterns p = new RaPatterns(k, visible, hidden);
        for (int q = 0; q < p.xv.length; q++) {
            p.xv[q] = rng.nextBoolean() ? 1f : -1f;
        }
        for (int q = 0; q < p.xh.length; q++) {
            p.xh[q] = rng.nextBoolean() ? 1f : -1f;
        }
        return p;
    }

    /** W = (1/√K) ξ_vᵀ ξ_h into the model's V × H weights (eq. 5). */
    public void weights(SpinRbm rbm) {
        check(rbm);
        BLAS_.sgemm("N", "T", hidden, visible, k, (float) (1 / Math.sqrt(k)), xh, 0, hidden, xv, 0, visible, 0f,
                rbm.w, 0, hidden);
    }

    /** A fresh model with the weights of these patterns. */
    public SpinRbm model() {
        SpinRbm r = new SpinRbm(visible, hidden);
        weights(r);
        return r;
    }

    /**
     * One ascent step of eq. A7 with the weight gradient g (V × H row-major): both pattern updates are computed
     * from the current patterns, then added; W is NOT rebuilt here (call {@link #weights}).
     */
    public void ascend(float[] g, double lr) {
        if (g.length != visible * hidden) {
            throw new IllegalArgumentException("gradient has " + g.length + " entries, expected " + visible * hidden);
        }
        float s = (float) (lr / Math.sqrt(k));
        // Δξ_v (K × V) = s · ξ_h (K × H) · Gᵀ (H × V)
        BLAS_.sgemm("T", "N", visible, k, hidden, s, g, 0, hidden, xh, 0, hidden, 0f, dv, 0, visible);
        // Δξ_h (K × H) = s · ξ_v (K × V) · G (V × H)
        BLAS_.sgemm("N", "N", hidden, k, visible, s, g, 0, hidden, xv, 0, visible, 0f, dh, 0, hidden);
        Fused.axpy(1f, dv, 0, xv, 0, xv.length);
        Fused.axpy(1f, dh, 0, xh, 0, xh.length);
    }

    /** ξ ← sign(ξ) (eq. B1; sign(0) = +1). */
    public void binarise() {
        for (int q = 0; q < xv.length; q++) {
            xv[q] = xv[q] >= 0 ? 1f : -1f;
        }
        for (int q = 0; q < xh.length; q++) {
            xh[q] = xh[q] >= 0 ? 1f : -1f;
        }
    }

    /** ξ ← min(x, max(−x, ξ)) (Appendix B, value restriction). */
    public void clip(float x) {
        for (int q = 0; q < xv.length; q++) {
            xv[q] = Math.min(x, Math.max(-x, xv[q]));
        }
        for (int q = 0; q < xh.length; q++) {
            xh[q] = Math.min(x, Math.max(-x, xh[q]));
        }
    }

    /** The lowest energy −ξ_vᵀ W ξ_h over the K patterns (the configurations PID averages over). */
    public double lowestEnergy(SpinRbm rbm) {
        check(rbm);
        double min = Double.POSITIVE_INFINITY;
        for (int p = 0; p < k; p++) {
            min = Math.min(min, rbm.energy(xv, p * visible, xh, p * hidden));
        }
        return min;
    }

    private void check(SpinRbm rbm) {
        if (rbm.visible != visible || rbm.hidden != hidden) {
            throw new IllegalArgumentException("model is " + rbm.visible + "×" + rbm.hidden + ", patterns are "
                    + visible + "×" + hidden);
        }
    }
}
