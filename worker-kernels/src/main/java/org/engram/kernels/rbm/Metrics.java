package org.engram.kernels.rbm;

import java.util.SplittableRandom;

/**
 * Reconstruction metrics of the KH-RBM paper after one sampled v → h → v step:
 * <ul>
 *   <li>{@code mse}: eq. 11, the squared error averaged over pixels and images;</li>
 *   <li>{@code mseSum}: the authors' code's variant, summed over the pixels of an image and averaged
 *       over images (a Hamming count for binary data) — N times {@code mse};</li>
 *   <li>{@code crossEntropy}: eq. 12, the Bernoulli log-loss of the data under P(v = 1 | h), h ~ p(h|v),
 *       p clipped to [1e-6, 1 − 1e-6], averaged over pixels and images — computed from the logit t of p
 *       as softplus(t) − x·t with t clipped to ±logit(1 − 1e-6) (the same clip), each image's sum
 *       vectorised in float ({@link Fused#softplusSum}; ≈ 1e-7 relative), images added in double.</li>
 * </ul>
 */
public final class Metrics {
    /** Values of one evaluation. */
    public record Reconstruction(double mse, double mseSum, double crossEntropy) {
    }

    /** logit(1 − 1e-6): clipping the logit here clips p to [1e-6, 1 − 1e-6]. */
    static final float LOGIT_CLIP = (float) Math.log((1 - 1e-6) / 1e-6);

    private final ContrastiveDivergence cd;
    private final int visible;
    private final int hidden;
    private final int batch;
    private final float[] h;
    private final float[] p;
    private final float[] v;

    public Metrics(int visible, int hidden, int batch) {
        this.cd = new ContrastiveDivergence(visible, hidden, batch);
        this.visible = visible;
        this.hidden = hidden;
        this.batch = batch;
        this.h = new float[batch * hidden];
        this.p = new float[batch * visible];
        this.v = new float[batch * visible];
    }

    /**
     * Receptive-field overlap (KH-RBM paper, text after Fig. 2): for each hidden unit the largest
     * cosine similarity between its weight vector W_·ν and another unit's, averaged over units.
     */
    public static double receptiveFieldOverlap(Rbm rbm) {
        int n = rbm.visible;
        int m = rbm.hidden;
        if (m < 2) {
            return Double.NaN;
        }
        double[] norm = new double[m];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                double w = rbm.w[i * m + j];
                norm[j] += w * w;
            }
        }
        double[][] dot = new double[m][m];
        double[] row = new double[m];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                row[j] = rbm.w[i * m + j];
            }
            for (int a = 0; a < m; a++) {
                double wa = row[a];
                if (wa != 0) {
                    double[] da = dot[a];
                    for (int b = a + 1; b < m; b++) {
                        da[b] += wa * row[b];
                    }
                }
            }
        }
        double sum = 0;
        for (int a = 0; a < m; a++) {
            double best = -1;
            for (int b = 0; b < m; b++) {
                if (b != a) {
                    double d = a < b ? dot[a][b] : dot[b][a];
                    best = Math.max(best, d / Math.sqrt(norm[a] * norm[b] + 1e-300));
                }
            }
            sum += best;
        }
        return sum / m;
    }

    /** Evaluates rows × N data (0/1) in batches. */
    public Reconstruction reconstruction(Rbm rbm, float[] data, int rows, SplittableRandom rng) {
        double sq = 0;
        double ce = 0;
        for (int from = 0; from < rows; from += batch) {
            int b = Math.min(batch, rows - from);
            System.arraycopy(data, from * visible, v, 0, b * visible);
            cd.hidden(rbm, v, b, h);
            ContrastiveDivergence.sample(h, b * hidden, h, rng);
            cd.visibleCurrents(rbm, h, b, p);
            for (int r = 0; r < b; r++) {
                ce += Fused.softplusSum(p, r * visible, rbm.a, 0, v, r * visible, LOGIT_CLIP, visible);
            }
            Fused.sigmoidRows(p, b, visible, rbm.a);
            for (int q = 0; q < b * visible; q++) {
                float x = v[q];
                float recon = rng.nextDouble() < p[q] ? 1f : 0f;
                sq += (x - recon) * (x - recon);
            }
        }
        double pixels = (double) rows * visible;
        return new Reconstruction(sq / pixels, sq / rows, ce / pixels);
    }
}
