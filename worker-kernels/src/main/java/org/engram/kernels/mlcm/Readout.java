package org.engram.kernels.mlcm;

import dev.ludovic.netlib.blas.BLAS;

/**
 * The softmax readout of eq. 6.2 and its cross-entropy step (algorithm 3, lines 9–14): logits = W s,
 * ∇W = (softmax(logits) − y)ᵀ s summed over the batch. Shared by the MLCM (s = layer L's fixed point) and
 * the single-layer baseline (s = the raw input), so both are trained by the same rule.
 */
public final class Readout {
    private Readout() {
    }

    /**
     * One step on a batch. {@code w} is row-major classes × n; {@code s} column-major n × size; labels per
     * column (negative: skipped). {@code logits} holds at least classes × size floats.
     */
    public static void step(BLAS blas, float[] w, int classes, int n, float[] s, int size, int[] labels, double rate,
                            float[] logits) {
        forward(blas, w, classes, n, s, size, logits);
        for (int b = 0; b < size; b++) {
            int o = b * classes;
            softmax(logits, o, classes);
            if (labels[b] < 0) {
                java.util.Arrays.fill(logits, o, o + classes, 0f);
            } else {
                logits[o + labels[b]] -= 1f;
            }
        }
        // W (row-major c × n = column-major n × c): W[:, c] -= rate Σ_b s[:, b] g[c, b]
        blas.sgemm("N", "T", n, classes, size, (float) -rate, s, n, logits, classes, 1f, w, n);
    }

    /** logits (column-major classes × size) = W s. */
    static void forward(BLAS blas, float[] w, int classes, int n, float[] s, int size, float[] logits) {
        blas.sgemm("T", "N", classes, size, n, 1f, w, n, s, n, 0f, logits, classes);
    }

    static void softmax(float[] z, int o, int len) {
        float max = Float.NEGATIVE_INFINITY;
        for (int c = 0; c < len; c++) {
            max = Math.max(max, z[o + c]);
        }
        double sum = 0;
        for (int c = 0; c < len; c++) {
            double e = Math.exp(z[o + c] - max);
            z[o + c] = (float) e;
            sum += e;
        }
        for (int c = 0; c < len; c++) {
            z[o + c] = (float) (z[o + c] / sum);
        }
    }

    /** argmax of W s per column (ties: lowest class). */
    public static void predict(BLAS blas, float[] w, int classes, int n, float[] s, int size, int[] out, float[] logits) {
        forward(blas, w, classes, n, s, size, logits);
        for (int b = 0; b < size; b++) {
            int best = 0;
            for (int c = 1; c < classes; c++) {
                if (logits[b * classes + c] > logits[b * classes + best]) {
                    best = c;
                }
            }
            out[b] = best;
        }
    }

    /**
     * The fraction of rows 0..count of {@code data} (row-major count × n) whose argmax of W x is their label, in
     * batches of {@code batch} through the caller's buffers ({@code x}: n × batch, {@code predicted}: batch,
     * {@code logits}: classes × batch).
     */
    public static double accuracy(BLAS blas, float[] w, int classes, int n, float[] data, byte[] y, int count, int batch,
                                  float[] x, int[] predicted, float[] logits) {
        long correct = 0;
        for (int from = 0; from < count; from += batch) {
            int size = Math.min(batch, count - from);
            System.arraycopy(data, from * n, x, 0, size * n);
            predict(blas, w, classes, n, x, size, predicted, logits);
            for (int b = 0; b < size; b++) {
                if (predicted[b] == (y[from + b] & 0xff)) {
                    correct++;
                }
            }
        }
        return correct / (double) count;
    }
}
