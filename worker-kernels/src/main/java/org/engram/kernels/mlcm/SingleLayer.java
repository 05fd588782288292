package org.engram.kernels.mlcm;

import dev.ludovic.netlib.blas.BLAS;
import java.util.SplittableRandom;
import org.engram.kernels.random.Shuffle;

/**
 * The thesis' baseline "single-layer network": a softmax readout trained directly on the raw ±1 inputs
 * by the same cross-entropy step the MLCM's readout uses (algorithm 3, lines 9–14), same batches and
 * epochs — so the comparison isolates what the MLCM's fixed points add.
 */
public final class SingleLayer {
    private final BLAS blas = BLAS.getInstance();
    private final int inputs;
    private final int classes;
    public final float[] w;
    private final float[] x;
    private final int[] labels;
    private final int[] predicted;
    private final float[] logits;
    private final int batch;

    public SingleLayer(int inputs, int classes, int batch) {
        this.inputs = inputs;
        this.classes = classes;
        this.batch = batch;
        this.w = new float[classes * inputs];
        this.x = new float[inputs * batch];
        this.labels = new int[batch];
        this.predicted = new int[batch];
        this.logits = new float[classes * batch];
    }

    public void epoch(float[] data, byte[] y, int count, int[] order, double rate, SplittableRandom rng) {
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        Shuffle.permutation(order, count, rng);
        for (int from = 0; from < count; from += batch) {
            int size = Math.min(batch, count - from);
            for (int b = 0; b < size; b++) {
                System.arraycopy(data, order[from + b] * inputs, x, b * inputs, inputs);
                labels[b] = y[order[from + b]] & 0xff;
            }
            Readout.step(blas, w, classes, inputs, x, size, labels, rate, logits);
        }
    }

    public double accuracy(float[] data, byte[] y, int count) {
        return Readout.accuracy(blas, w, classes, inputs, data, y, count, batch, x, predicted, logits);
    }
}
