package org.engram.kernels.mlcm;

import dev.ludovic.netlib.blas.BLAS;
import java.util.SplittableRandom;
import org.engram.kernels.random.Shuffle;

/**
 * The thesis' baseline as §7.1.1 describes it: "a simple single-layer perceptron trained directly on the raw input
 * vectors, using the same number of training epochs and analogous learning rules" — one ±1 output unit per class
 * (target +1 for the image's class, −1 for the others), fields h_c = Σ_i W_ci x_i, trained by the MLCM's own
 * perceptron rule (algorithm 1): per minibatch of B images, W_c ← (1 − η ξ) W_c + (η / B) Σ_b [t_c^b h_c^b ≤ ρ]
 * t_c^b x^b, the same η, weight decay ξ and robustness ρ; the prediction is the class of the largest field (ties:
 * the lowest). Weights start at zero. {@link SingleLayer} is the softmax regression Engram offers beside it.
 */
public final class MulticlassPerceptron {
    private final BLAS blas = BLAS.getInstance();
    private final int inputs;
    private final int classes;
    private final int batch;
    /** Row-major classes × inputs. */
    public final float[] w;
    private final float[] x;
    private final float[] h;
    private final int[] predicted;

    public MulticlassPerceptron(int inputs, int classes, int batch) {
        this.inputs = inputs;
        this.classes = classes;
        this.batch = batch;
        this.w = new float[classes * inputs];
        this.x = new float[inputs * batch];
        this.h = new float[classes * batch];
        this.predicted = new int[batch];
    }

    /** One epoch over rows 0..count in a shuffled order; returns the fraction of (image, class) pairs updated. */
    public double epoch(float[] data, byte[] y, int count, int[] order, double eta, double decay, double rho,
                        SplittableRandom rng) {
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        Shuffle.permutation(order, count, rng);
        long unstable = 0;
        for (int from = 0; from < count; from += batch) {
            int size = Math.min(batch, count - from);
            for (int b = 0; b < size; b++) {
                System.arraycopy(data, order[from + b] * inputs, x, b * inputs, inputs);
            }
            Readout.forward(blas, w, classes, inputs, x, size, h);
            for (int b = 0; b < size; b++) {
                int label = y[order[from + b]] & 0xff;
                for (int c = 0; c < classes; c++) {
                    float t = c == label ? 1f : -1f;
                    boolean update = t * h[b * classes + c] <= rho;
                    h[b * classes + c] = update ? t : 0f;
                    unstable += update ? 1 : 0;
                }
            }
            // W (row-major c × n = column-major n × c) = (1 − η ξ) W + (η / B) X Uᵀ
            blas.sgemm("N", "T", inputs, classes, size, (float) (eta / size), x, inputs, h, classes,
                    (float) (1 - eta * decay), w, inputs);
        }
        return unstable / ((double) count * classes);
    }

    public double accuracy(float[] data, byte[] y, int count) {
        return Readout.accuracy(blas, w, classes, inputs, data, y, count, batch, x, predicted, h);
    }
}
