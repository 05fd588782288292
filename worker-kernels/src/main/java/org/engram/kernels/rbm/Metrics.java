package org.engram.kernels.rbm;

import java.util.SplittableRandom;

/**
 * Reconstruction metrics of the KH-RBM paper after one sampled v → h → v step:
 * <ul>
 *   <li>{@code mse}: eq. 11, the squared error averaged over pixels and images;</li>
 *   <li>{@code mseSum}: the authors' code's variant, summed over the pixels of an image and averaged
 *       over images (a Hamming count for binary data) — N times {@code mse};</li>
 *   <li>{@code crossEntropy}: eq. 12, the Bernoulli log-loss of the data under P(v = 1 | h), h ~ p(h|v),
 *       p clipped to [1e-6, 1 − 1e-6], averaged over pixels and images.</li>
 * </ul>
 */
public final class Metrics {
    /** Values of one evaluation. */
    public record Reconstruction(double mse, double mseSum, double crossEntropy) {
    }

    private final ContrastiveDivergence cd;
    private final int visible;
    private final int hidden;
    private final int batch;
    private final float[] h;
    private final float[] p;

    public Metrics(int visible, int hidden, int batch) {
        this.cd = new ContrastiveDivergence(visible, hidden, batch);
        this.visible = visible;
        this.hidden = hidden;
        this.batch = batch;
        this.h = new float[batch * hidden];
        this.p = new float[batch * visible];
    }

    /** Evaluates rows × N data (0/1) in batches. */
    public Reconstruction reconstruction(Rbm rbm, float[] data, int rows, SplittableRandom rng) {
        double sq = 0;
        double ce = 0;
        float[] v = new float[batch * visible];
        for (int from = 0; from < rows; from += batch) {
            int b = Math.min(batch, rows - from);
            System.arraycopy(data, from * visible, v, 0, b * visible);
            cd.hidden(rbm, v, b, h);
            ContrastiveDivergence.sample(h, b * hidden, h, rng);
            cd.visible(rbm, h, b, p);
            for (int q = 0; q < b * visible; q++) {
                float x = v[q];
                double pq = Math.min(1 - 1e-6, Math.max(1e-6, p[q]));
                ce -= x * Math.log(pq) + (1 - x) * Math.log(1 - pq);
                float recon = rng.nextDouble() < p[q] ? 1f : 0f;
                sq += (x - recon) * (x - recon);
            }
        }
        double pixels = (double) rows * visible;
        return new Reconstruction(sq / pixels, sq / rows, ce / pixels);
    }
}
