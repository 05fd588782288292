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
 * shapes (N × N times N × batch). Inputs are random ±1 784-pixel rows padded to N with random labels.
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
        Mlcm model = new Mlcm(p, new SplittableRandom(2));
        MlcmTrainer trainer = new MlcmTrainer(model, new MlcmTrainer.Settings(batch, 5.0 / n, 1e-3, 1.0, 5e-4));
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
        while (System.nanoTime() - t0 < seconds * 1e9 || epochs == 0) {
            MlcmTrainer.Pass pass = trainer.epoch(x, inputs, y, rows, order, r);
            samples += rows;
            sweeps += pass.meanSweeps();
            epochs++;
        }
        double total = (System.nanoTime() - t0) / 1e9;
        double steps = (c.convergeNanos + c.updateNanos) / 1e9;
        double achieved = c.gemmFlops / steps / 1e9;
        out.printf(Locale.ROOT, "%-44s %12s%n", "measure", "value");
        out.printf(Locale.ROOT, "%-44s %12.0f%n", "training samples / s", samples / total);
        out.printf(Locale.ROOT, "%-44s %12.2f%n", "mean sweeps to converge (x, y clamped)", sweeps / epochs);
        out.printf(Locale.ROOT, "%-44s %12.3f%n", "convergence step, s per sample ×1e3", c.convergeNanos / 1e6 / samples);
        out.printf(Locale.ROOT, "%-44s %12.3f%n", "update step, s per sample ×1e3", c.updateNanos / 1e6 / samples);
        out.printf(Locale.ROOT, "%-44s %11.1f%%%n", "time of both steps inside sgemm", 100.0 * c.gemmNanos
                / (c.convergeNanos + c.updateNanos));
        out.printf(Locale.ROOT, "%-44s %12.1f%n", "achieved GFLOP/s (both steps)", achieved);
        out.printf(Locale.ROOT, "%-44s %12.1f%n", "sgemm GFLOP/s, same shapes, same process", sgemm);
        out.printf(Locale.ROOT, "%-44s %11.1f%%  (target ≥ 50%%)%n", "achieved / sgemm", 100 * achieved / sgemm);
    }
}
