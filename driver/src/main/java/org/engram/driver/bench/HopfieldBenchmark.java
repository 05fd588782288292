package org.engram.driver.bench;

import dev.ludovic.netlib.blas.BLAS;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.engram.kernels.hopfield.Couplings;
import org.engram.kernels.hopfield.Hopfield;
import org.engram.kernels.hopfield.Patterns;
import org.engram.kernels.hopfield.Unlearning;

/**
 * Hopfield kernels (unlearning paper) against naive baselines in the same process: zero-temperature asynchronous
 * spin updates per second with incremental fields (a flip adds 2σ_i J_i· to the fields, a visit reads one field)
 * against the textbook loop that computes h_i = Σ_j J_ij σ_j at every visit; heat-bath sweeps at T = 0.5 (many
 * flips); dreams per second of classic unlearning (relaxation + rank-1 update); the Hebb coupling construction
 * through sgemm against the triple loop, and the share of its time inside sgemm. Loading α = 0.1 for dynamics,
 * 0.3 for dreaming (the regime where unlearning is used).
 */
public final class HopfieldBenchmark {
    private HopfieldBenchmark() {
    }

    /** Zero-T random-order relaxation computing each visited field from scratch; returns spin visits. */
    static long naiveRelax(float[] j, int n, float[] s, SplittableRandom rng, int maxSweeps) {
        int[] perm = new int[n];
        long visits = 0;
        for (int sweep = 0; sweep < maxSweeps; sweep++) {
            Patterns.permutation(perm, rng);
            boolean flipped = false;
            for (int k = 0; k < n; k++) {
                int i = perm[k];
                float h = 0;
                int o = i * n;
                for (int q = 0; q < n; q++) {
                    h += j[o + q] * s[q];
                }
                if (s[i] * h < 0) {
                    s[i] = -s[i];
                    flipped = true;
                }
            }
            visits += n;
            if (!flipped) {
                break;
            }
        }
        return visits;
    }

    public static void run(List<Integer> sizes, double seconds, PrintStream out) {
        out.printf(Locale.ROOT, "# Hopfield kernels, %d cores, Java %s, BLAS %s%n", Runtime.getRuntime()
                .availableProcessors(), System.getProperty("java.version"), BLAS.getInstance().getClass().getSimpleName());
        out.printf(Locale.ROOT, "%-52s %7s %14s %9s%n", "measure", "N", "rate", "ratio");
        for (int n : sizes) {
            SplittableRandom rng = new SplittableRandom(n);
            int p = Math.max(1, n / 10);
            float[] xi = Patterns.random(p, n, rng);
            float[] j = Couplings.hebb(xi, p, n);
            Hopfield net = new Hopfield(j, n);
            // zero-T relaxations from random states: spin visits per second
            long[] visits = new long[1];
            double tInc = RnnBenchmark.time(() -> {
                float[] s = Patterns.randomState(n, rng);
                double[] h = new double[n];
                net.fields(s, h);
                int sw = net.relax(s, h, Hopfield.Order.RANDOM, 1000, rng);
                visits[0] = (long) Math.abs(sw) * n;
            }, seconds);
            double incremental = visits[0] / tInc;
            long[] nv = new long[1];
            double tNaive = RnnBenchmark.time(() -> nv[0] = naiveRelax(j, n, Patterns.randomState(n, rng), rng, 1000),
                    seconds);
            double naive = nv[0] / tNaive;
            out.printf(Locale.ROOT, "%-52s %7d %14.3e %9s%n", "zero-T spin updates/s, field per visit (naive)", n, naive,
                    "1.00");
            out.printf(Locale.ROOT, "%-52s %7d %14.3e %9.2f%n", "zero-T spin updates/s, incremental fields", n,
                    incremental, incremental / naive);
            float[] hs = Patterns.randomState(n, rng);
            double[] hh = new double[n];
            net.fields(hs, hh);
            boolean[] last = new boolean[n];
            double tHeat = RnnBenchmark.time(() -> net.persistentSweep(hs, hh, last, 2.0, 0, rng), seconds);
            out.printf(Locale.ROOT, "%-52s %7d %14.3e %9s%n", "heat-bath spin updates/s at T = 0.5 (α = 0.1)", n,
                    n / tHeat, "");
            // the coupling construction: sgemm against the triple loop, and sgemm's share
            double tHebb = RnnBenchmark.time(() -> Couplings.hebb(xi, p, n), seconds);
            float[] c = new float[n * n];
            double tGemm = RnnBenchmark.time(() -> BLAS.getInstance().sgemm("N", "T", n, n, p, 1f / n, xi, n, xi, n,
                    0f, c, n), seconds);
            out.printf(Locale.ROOT, "%-52s %7d %14.3f %9s%n", "Hebb couplings (P = N/10) through sgemm, s", n, tHebb, "");
            out.printf(Locale.ROOT, "%-52s %7d %13.1f%% %9s%n", "  of which inside sgemm", n, 100 * tGemm / tHebb, "");
            if (n <= 2000) {
                double tLoop = RnnBenchmark.time(() -> Couplings.hebbNaive(xi, p, n), seconds);
                out.printf(Locale.ROOT, "%-52s %7d %14.3f %9.2f%n", "Hebb couplings, triple loop, s (ratio: loop/sgemm)",
                        n, tLoop, tLoop / tHebb);
            }
            if (n <= 2000) {
                // dreams at α = 0.3 with ε = 0.01: relaxation + rank-1 update
                int pd = (int) (0.3 * n);
                float[] xd = Patterns.random(pd, n, rng);
                float[] jd = Couplings.hebb(xd, pd, n);
                Unlearning u = new Unlearning(new Hopfield(jd, n), 0.01, 1000);
                double tDream = RnnBenchmark.time(() -> u.dream(rng), seconds);
                float[] jn = Couplings.hebb(xd, pd, n);
                double tNaiveDream = RnnBenchmark.time(() -> {
                    float[] s = Patterns.randomState(n, rng);
                    naiveRelax(jn, n, s, rng, 1000);
                    float step = 0.01f / n;
                    for (int i = 0; i < n; i++) {
                        for (int k = 0; k < n; k++) {
                            if (i != k) {
                                jn[i * n + k] -= step * s[i] * s[k];
                            }
                        }
                    }
                }, seconds);
                out.printf(Locale.ROOT, "%-52s %7d %14.1f %9s%n", "dreams/s (α = 0.3), naive relaxation + update", n,
                        1 / tNaiveDream, "1.00");
                out.printf(Locale.ROOT, "%-52s %7d %14.1f %9.2f%n", "dreams/s (α = 0.3), incremental", n, 1 / tDream,
                        tNaiveDream / tDream);
            }
        }
    }
}
