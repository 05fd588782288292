package org.engram.driver.bench;

import dev.ludovic.netlib.blas.BLAS;
import java.io.PrintStream;
import java.util.Locale;
import java.util.SplittableRandom;
import org.engram.kernels.mlcm.Mlcm;
import org.engram.kernels.mlcm.MlcmTrainer;

/**
 * MLCM training throughput (thesis Part II at its own scale: N = 1000, L = 5, the thesis' couplings,
 * batch 100): training samples per second, the share of the convergence and update steps spent inside
 * sgemm, and their achieved GFLOP/s against the sgemm rate measured in the same process at the same
 * shapes (N × N times N × batch); training and inference samples per second with the recurrent fields updated
 * flip by flip (the default) against multiplying J^l s^l afresh every sweep, in the same process. Inputs are
 * class prototypes with 20% noise, 784 pixels padded to N.
 */
public final class MlcmBenchmark {
    private MlcmBenchmark() {
    }

    public static void run(int n, int layers, int batch, double seconds, PrintStream out) {
        out.printf(Locale.ROOT, "MLCM training, N = %d, L = %d, batch %d, BLAS %s%n", n, layers, batch,
                BLAS.getInstance().getClass().getSimpleName());
        double sgemm = RbmBenchmark.sgemmRate("T", n, batch, n, Math.max(1, seconds / 3)); // a layer's fields
        int rows = 4000;
        int inputs = Math.min(784, n);
        SplittableRandom r = new SplittableRandom(1);
        float[] x = new float[rows * inputs];
        byte[] y = new byte[rows];
        // class prototypes with 20% noise, so the dynamics and updates see a learnable, realistic load
        float[][] proto = new float[10][inputs];
        for (float[] p : proto) {
            for (int i = 0; i < inputs; i++) {
                p[i] = r.nextBoolean() ? 1f : -1f;
            }
        }
        for (int k = 0; k < rows; k++) {
            y[k] = (byte) r.nextInt(10);
            for (int i = 0; i < inputs; i++) {
                x[k * inputs + i] = r.nextDouble() < 0.2 ? -proto[y[k]][i] : proto[y[k]][i];
            }
        }
        double[] left = new double[layers];
        double[] right = new double[layers];
        for (int l = 0; l < layers; l++) {
            left[l] = l == 0 ? 6 : 4;
            right[l] = l == layers - 1 ? 1.5 : 2;
        }
        Mlcm.Params p = new Mlcm.Params(n, layers, 10, 0.1, left, right, 6, 12, Mlcm.Order.LAYER_SEQUENTIAL_SYNC,
                Mlcm.Init.INPUT, Mlcm.States.SPIN, 0, Double.NaN, 100);
        Rate full = measure(p, batch, x, inputs, y, rows, seconds, 0, 0, false);
        // the same epochs and inference passes, so that both time the same models on the same rows
        Rate inc = measure(p, batch, x, inputs, y, rows, seconds, full.epochs, full.passes, true);
        out.printf(Locale.ROOT, "%-44s %12s %12s %8s%n", "measure", "J s / sweep", "flip updates", "ratio");
        out.printf(Locale.ROOT, "%-44s %12.0f %12.0f %7.2f×%n", "training samples / s", full.train, inc.train,
                inc.train / full.train);
        out.printf(Locale.ROOT, "%-44s %12.0f %12.0f %7.2f×%n", "inference samples / s", full.infer, inc.infer,
                inc.infer / full.infer);
        out.printf(Locale.ROOT, "%-44s %12.2f %12.2f%n", "mean sweeps to converge (x, y clamped)", full.trainSweeps,
                inc.trainSweeps);
        out.printf(Locale.ROOT, "%-44s %12.2f %12.2f%n", "mean sweeps to converge (inference)", full.inferSweeps,
                inc.inferSweeps);
        out.printf(Locale.ROOT, "%-44s %12.3f %12.3f%n", "convergence step, s per sample ×1e3", full.converge,
                inc.converge);
        out.printf(Locale.ROOT, "%-44s %12.3f %12.3f%n", "update step, s per sample ×1e3", full.update, inc.update);
        out.printf(Locale.ROOT, "%-44s %11.1f%% %11.1f%%%n", "time of both steps inside sgemm", full.gemmShare,
                inc.gemmShare);
        out.printf(Locale.ROOT, "%-44s %12.1f %12.1f%n", "achieved GFLOP/s inside sgemm", full.gemmRate,
                inc.gemmRate);
        out.printf(Locale.ROOT, "%-44s %12.1f%n", "sgemm GFLOP/s, same shapes, same process", sgemm);
        out.printf(Locale.ROOT, "%-44s %11.1f%%  (target ≥ 50%%)%n", "J s / sweep: achieved / sgemm",
                100 * full.achieved / sgemm);
    }

    /** What one way of computing the fields measured: samples/s, sweeps, per-sample step times, sgemm use. */
    private record Rate(double train, double infer, double trainSweeps, double inferSweeps, double converge,
                        double update, double gemmShare, double gemmRate, double achieved, int epochs, int passes) {
    }

    /**
     * Trains a fresh model (the same seeds every time) for {@code epochs} epochs after a warm-up one (0: for at
     * least {@code seconds}), then runs {@code passes} inference passes over the rows (0: for at least a third of
     * that), with the recurrent fields updated flip by flip or multiplied afresh every sweep.
     */
    private static Rate measure(Mlcm.Params p, int batch, float[] x, int inputs, byte[] y, int rows, double seconds,
                                int epochsWanted, int passesWanted, boolean incremental) {
        Mlcm model = new Mlcm(p, new SplittableRandom(2));
        model.incrementalFields(incremental);
        MlcmTrainer trainer = new MlcmTrainer(model, new MlcmTrainer.Settings(batch, 5.0 / p.n(), 1e-3, 1.0, 5e-4));
        SplittableRandom r = new SplittableRandom(1);
        int[] order = new int[rows];
        trainer.epoch(x, inputs, y, rows, order, r); // warm-up
        Mlcm.Counters c = model.counters;
        c.gemmNanos = 0;
        c.gemmFlops = 0;
        c.convergeNanos = 0;
        c.updateNanos = 0;
        long t0 = System.nanoTime();
        long samples = 0;
        double sweeps = 0;
        int epochs = 0;
        while (epochsWanted > 0 ? epochs < epochsWanted : System.nanoTime() - t0 < seconds * 1e9 || epochs == 0) {
            MlcmTrainer.Pass pass = trainer.epoch(x, inputs, y, rows, order, r);
            samples += rows;
            sweeps += pass.meanSweeps();
            epochs++;
        }
        double total = (System.nanoTime() - t0) / 1e9;
        double steps = (c.convergeNanos + c.updateNanos) / 1e9;
        double gemmShare = 100.0 * c.gemmNanos / (c.convergeNanos + c.updateNanos);
        double gemmRate = c.gemmFlops / (c.gemmNanos / 1e9) / 1e9;
        double achieved = c.gemmFlops / steps / 1e9;
        double converge = c.convergeNanos / 1e6 / samples;
        double update = c.updateNanos / 1e6 / samples;
        long i0 = System.nanoTime();
        long inferred = 0;
        double inferSweeps = 0;
        int passes = 0;
        while (passesWanted > 0 ? passes < passesWanted : System.nanoTime() - i0 < seconds / 3 * 1e9 || passes == 0) {
            inferSweeps += trainer.evaluate(x, inputs, y, rows, r).meanSweeps();
            inferred += rows;
            passes++;
        }
        double infer = inferred / ((System.nanoTime() - i0) / 1e9);
        return new Rate(samples / total, infer, sweeps / epochs, inferSweeps / passes, converge, update, gemmShare,
                gemmRate, achieved, epochs, passes);
    }
}
