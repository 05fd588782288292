package org.engram.kernels.rbm;

import dev.ludovic.netlib.blas.BLAS;

/**
 * Prediction of a classification RBM (Larochelle et al. 2012) whose last C visible units are the
 * one-hot label: ŷ = argmax_y c_y + Σ_j softplus(b_j + x·W_{·j} + U_{yj}) — the label of lowest free
 * energy F(x, y) — with a numerically stable softplus. U is W's last C rows, c the last C visible biases.
 * The sum is vectorised in float ({@link Fused#softplusSum}; relative rounding ≈ 1e-6, the precision
 * of the float pre-activations it sums): an evaluation of 2,000 images at M = 500 took 0.39 s with a
 * double-precision Math.log1p/Math.exp softplus, as long as a training epoch on 8,000.
 */
public final class Classifier {
    private final int pixels;
    private final int labels;
    private final int hidden;
    private final int batch;
    private final float[] pre;
    private final float[] x;
    /** d = 0 for {@link Fused#softplusSum}: plain softplus terms. */
    private final float[] zeros;
    private final BLAS blas = BLAS.getInstance();

    public Classifier(int pixels, int labels, int hidden, int batch) {
        this.pixels = pixels;
        this.labels = labels;
        this.hidden = hidden;
        this.batch = batch;
        this.pre = new float[batch * hidden];
        this.x = new float[batch * pixels];
        this.zeros = new float[hidden];
    }

    /** The score c_y + Σ_j softplus(pre_j + U_yj) of one label, for pre = b + x·W (pixels part). */
    private double score(Rbm rbm, float[] pre, int off, int y) {
        return rbm.a[pixels + y] + Fused.softplusSum(pre, off, rbm.w, (pixels + y) * hidden, zeros, 0,
                Float.POSITIVE_INFINITY, hidden);
    }

    /** Fraction of rows (rows × pixels, 0/1) whose predicted label equals labels[row]. */
    public double accuracy(Rbm rbm, float[] data, int rows, byte[] truth) {
        int correct = 0;
        for (int from = 0; from < rows; from += batch) {
            int b = Math.min(batch, rows - from);
            System.arraycopy(data, from * pixels, x, 0, b * pixels);
            // pre = x · W[0..pixels) + b
            blas.sgemm("N", "N", hidden, b, pixels, 1f, rbm.w, hidden, x, pixels, 0f, pre, hidden);
            for (int r = 0; r < b; r++) {
                int off = r * hidden;
                for (int j = 0; j < hidden; j++) {
                    pre[off + j] += rbm.b[j];
                }
                int best = 0;
                double bestScore = Double.NEGATIVE_INFINITY;
                for (int y = 0; y < labels; y++) {
                    double sc = score(rbm, pre, off, y);
                    if (sc > bestScore) {
                        bestScore = sc;
                        best = y;
                    }
                }
                if (best == (truth[from + r] & 0xff)) {
                    correct++;
                }
            }
        }
        return correct / (double) rows;
    }

    /** Predicted label of one image (pixels values), for tests. */
    public int predict(Rbm rbm, float[] image) {
        float[] p = new float[hidden];
        for (int j = 0; j < hidden; j++) {
            double s = rbm.b[j];
            for (int i = 0; i < pixels; i++) {
                s += image[i] * rbm.w[i * hidden + j];
            }
            p[j] = (float) s;
        }
        int best = 0;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int y = 0; y < labels; y++) {
            double sc = score(rbm, p, 0, y);
            if (sc > bestScore) {
                bestScore = sc;
                best = y;
            }
        }
        return best;
    }
}
