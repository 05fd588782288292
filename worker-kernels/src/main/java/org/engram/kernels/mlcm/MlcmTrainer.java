package org.engram.kernels.mlcm;

import java.util.SplittableRandom;
import java.util.function.IntConsumer;
import org.engram.kernels.random.Shuffle;

/**
 * Algorithm 1 over a data set: per minibatch, the convergence step with x and y clamped and the update
 * step (algorithm 3); inference with the right and output fields off. Data are ±1 rows of {@code inputs}
 * values (zero-padded to N by the model), labels 0..classes−1.
 */
public final class MlcmTrainer {
    /** Learning settings: minibatch, η, weight decay ξ, robustness ρ, readout rate η_ro. */
    public record Settings(int batch, double eta, double decay, double robustness, double readoutRate)
            implements java.io.Serializable {
    }

    /** What one pass measured: accuracy (inference passes), sweeps, convergence, per-layer activity. */
    public record Pass(double accuracy, double meanSweeps, double converged, double[] activity, double[] unstable) {
    }

    private final Mlcm model;
    private final Settings settings;
    private final Mlcm.Batch bt;
    private final int[] predicted;

    public MlcmTrainer(Mlcm model, Settings settings) {
        this.model = model;
        this.settings = settings;
        this.bt = model.batch(settings.batch());
        this.predicted = new int[settings.batch()];
    }

    /** The chain being trained (its couplings and readout weights are a training run's state). */
    public Mlcm model() {
        return model;
    }

    /** One training epoch over rows 0..count in a shuffled order. */
    public Pass epoch(float[] data, int inputs, byte[] labels, int count, int[] order, SplittableRandom rng) {
        return epoch(data, inputs, labels, count, order, rng, rows -> { });
    }

    /** One training epoch; {@code rowsDone} hears how many rows are done after each minibatch (for progress). */
    public Pass epoch(float[] data, int inputs, byte[] labels, int count, int[] order, SplittableRandom rng,
                      IntConsumer rowsDone) {
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        Shuffle.permutation(order, count, rng);
        return pass(data, inputs, labels, count, order, true, rng, rowsDone, null);
    }

    /** Inference (right and output fields off) on rows 0..count: accuracy, sweeps, activity. */
    public Pass evaluate(float[] data, int inputs, byte[] labels, int count, SplittableRandom rng) {
        return evaluate(data, inputs, labels, count, rng, rows -> { });
    }

    /** Inference; {@code rowsDone} hears how many rows are done after each minibatch (for progress). */
    public Pass evaluate(float[] data, int inputs, byte[] labels, int count, SplittableRandom rng,
                         IntConsumer rowsDone) {
        return pass(data, inputs, labels, count, null, false, rng, rowsDone, null);
    }

    /** Layer L's inference-mode fixed points of some rows, and what their relaxation measured. */
    public record States(float[] s, int n, int count, Pass pass) {
    }

    /**
     * Layer L's fixed points of rows 0..count under inference (right and output fields off) — the states the readout
     * sees at inference — row-major count × N, for a readout trained on them ({@link SingleLayer} on N inputs): the
     * controls that retrain the readout on the states it is used on. The pass's accuracy is NaN.
     */
    public States inferenceStates(float[] data, int inputs, int count, SplittableRandom rng, IntConsumer rowsDone) {
        int n = model.params().n();
        float[] out = new float[Math.multiplyExact(count, n)];
        Pass p = pass(data, inputs, null, count, null, false, rng, rowsDone, out);
        return new States(out, n, count, new Pass(Double.NaN, p.meanSweeps(), p.converged(), p.activity(),
                p.unstable()));
    }

    /**
     * Minibatches over rows order[0..count) (or 0..count): convergence with x and y clamped then the update
     * step ({@code train}), or convergence with the right/output fields off then the prediction (or, with
     * {@code states} given, layer L's fixed points copied into it, row-major count × N, and no prediction).
     */
    private Pass pass(float[] data, int inputs, byte[] labels, int count, int[] order, boolean train,
                      SplittableRandom rng, IntConsumer rowsDone, float[] states) {
        int layers = model.params().layers();
        double[] activity = new double[layers];
        double[] unstable = new double[layers];
        long sweeps = 0;
        long converged = 0;
        long correct = 0;
        for (int from = 0; from < count; from += settings.batch()) {
            int size = Math.min(settings.batch(), count - from);
            model.load(bt, data, inputs, order, from, size, train ? labels : null);
            model.initialise(bt);
            model.converge(bt, train, rng);
            for (int b = 0; b < size; b++) {
                sweeps += bt.iterations[b];
                converged += bt.converged[b] ? 1 : 0;
            }
            for (int l = 0; l < layers; l++) {
                activity[l] += model.activity(bt, l) * size;
            }
            if (train) {
                double[] u = model.update(bt, settings.eta(), settings.decay(), settings.robustness(),
                        settings.readoutRate());
                for (int l = 0; l < layers; l++) {
                    unstable[l] += u[l] * size;
                }
            } else if (states != null) {
                int n = model.params().n();
                System.arraycopy(bt.s[layers - 1], 0, states, from * n, size * n);
            } else {
                model.predict(bt, predicted);
                for (int b = 0; b < size; b++) {
                    correct += predicted[b] == (labels[from + b] & 0xff) ? 1 : 0;
                }
            }
            rowsDone.accept(from + size);
        }
        for (int l = 0; l < layers; l++) {
            activity[l] /= count;
            unstable[l] /= count;
        }
        return new Pass(train ? Double.NaN : correct / (double) count, sweeps / (double) count,
                converged / (double) count, activity, unstable);
    }
}
