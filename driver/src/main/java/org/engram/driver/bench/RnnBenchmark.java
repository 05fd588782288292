package org.engram.driver.bench;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.engram.kernels.rnn.FloatSelfCoupling;
import org.engram.kernels.rnn.PackedCouplings;
import org.engram.kernels.rnn.SelfCouplingDynamics;
import org.engram.kernels.rnn.SpinStates;

/**
 * Synapse updates per second of the random-network kernels, each against a baseline measured in the
 * same process: the straightforward float loop (at N = 10,000, where its 400 MB matrix fits), plain
 * streaming of the packed matrix (the memory-bandwidth bound), full vs incremental field updates, and
 * one vs several states advanced together. Counter-regenerated couplings are timed at sizes whose
 * matrix would not fit in memory.
 */
public final class RnnBenchmark {
    private RnnBenchmark() {
    }

    /** Median-free simple timer: repeats until {@code seconds} passed, returns seconds per call. */
    static double time(Runnable r, double seconds) {
        r.run(); // warm-up
        long start = System.nanoTime();
        int reps = 0;
        do {
            r.run();
            reps++;
        } while ((System.nanoTime() - start) / 1e9 < seconds);
        return (System.nanoTime() - start) / 1e9 / reps;
    }

    public static void run(List<Integer> sizes, double seconds, PrintStream out) {
        out.printf(Locale.ROOT, "# rnn kernels, %d cores, Java %s; synapse updates = N^2 x states per sweep%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        out.printf(Locale.ROOT, "%-34s %9s %7s %12s %14s %9s%n", "kernel", "N", "states", "s/sweep", "updates/s", "ratio");
        long maxHeap = Runtime.getRuntime().maxMemory();
        for (int n : sizes) {
            SplittableRandom rng = new SplittableRandom(n);
            boolean fits = PackedCouplings.bytesFor(n) < maxHeap / 2 && (long) n * PackedCouplings.wordsFor(n) < Integer.MAX_VALUE - 8;
            PackedCouplings j = fits ? PackedCouplings.materialised(n, 1) : PackedCouplings.regenerated(n, 1);
            String kind = fits ? "bit-packed" : "bit-packed regenerated";
            long[] s = SpinStates.random(n, rng);
            int[] m = new int[n];
            double updates = (double) n * n;
            double baseline = Double.NaN;
            if ((long) n * n * 4 < maxHeap / 2 && n <= 20_000) {
                FloatSelfCoupling f = new FloatSelfCoupling(j);
                float[] fs = SpinStates.toFloats(s, n);
                float[] fo = new float[n];
                double t = time(() -> f.fields(fs, fo), seconds);
                baseline = updates / t;
                row(out, "float matrix-vector loop", n, 1, t, baseline, 1.0);
            }
            if (fits) {
                long[] data = new long[j.words()];
                double t = time(() -> {
                    long acc = 0;
                    for (int i = 0; i < n; i++) {
                        for (int w = 0; w < data.length; w++) {
                            acc += j.word(i, w);
                        }
                    }
                    if (acc == 42) {
                        out.print("");
                    }
                }, seconds);
                out.printf(Locale.ROOT, "%-34s %9d %7s %12.4f %14s %9s  (%.1f GB/s)%n", "stream packed matrix (bandwidth)",
                        n, "-", t, "-", "-", PackedCouplings.bytesFor(n) / t / 1e9);
            }
            double t1 = time(() -> SelfCouplingDynamics.fields(j, s, m), seconds);
            double one = updates / t1;
            row(out, kind + ", 1 state", n, 1, t1, one, one / baseline);
            int k = 8;
            long[][] states = new long[k][];
            int[][] ms = new int[k][n];
            for (int q = 0; q < k; q++) {
                states[q] = SpinStates.random(n, rng);
            }
            double tk = time(() -> SelfCouplingDynamics.fields(j, states, ms, 1), seconds);
            row(out, kind + ", 8 states together", n, k, tk, updates * k / tk, (updates * k / tk) / one);
            int cores = Runtime.getRuntime().availableProcessors();
            if (cores > 1) {
                long[][] single = {s};
                int[][] ms1 = {m};
                double tp = time(() -> SelfCouplingDynamics.fields(j, single, ms1, cores), seconds);
                row(out, kind + ", 1 state, " + cores + " threads", n, 1, tp, updates / tp, t1 / tp);
                double tpk = time(() -> SelfCouplingDynamics.fields(j, states, ms, cores), seconds);
                row(out, kind + ", 8 states, " + cores + " threads", n, k, tpk, updates * k / tpk, tk / tpk);
            }
            int flips = Math.max(1, n / 4096);
            int[] flipped = new int[flips];
            for (int q = 0; q < flips; q++) {
                flipped[q] = (int) ((long) q * n / flips);
            }
            double ti = time(() -> SelfCouplingDynamics.updateFields(j, s, m, flipped, flips), seconds);
            out.printf(Locale.ROOT, "%-34s %9d %7d %12.4f %14s %9.1f  (%d flips vs full recompute)%n",
                    "incremental fields", n, 1, ti, "-", t1 / ti, flips);
        }
        out.println("# ratio: float rows against the float loop; '8 states' against 1 state; threads against 1 thread;"
                + " incremental: speed-up over full");
    }

    private static void row(PrintStream out, String name, int n, int states, double t, double rate, double ratio) {
        out.printf(Locale.ROOT, "%-34s %9d %7d %12.4f %14.3e %9s%n", name, n, states, t, rate,
                Double.isNaN(ratio) ? "-" : String.format(Locale.ROOT, "%.1f", ratio));
    }
}
