package org.engram.driver.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ludovic.netlib.blas.BLAS;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.engram.driver.output.Provenance;
import org.engram.kernels.data.Binarisation;
import org.engram.kernels.data.Idx;
import org.engram.kernels.rbm.KrotovHopfield;
import org.engram.kernels.rbm.Rbm;
import org.engram.kernels.rbm.RbmTrainer;

/**
 * Seconds per training epoch of a binary RBM on 60,000 × 784 binary images (CD-1, KH-TD-CD-1 and KH-BU-CD-1,
 * batch 100, η = 0.1), GFLOP/s of the epoch against the sgemm rate measured in the same process at
 * the epoch's shapes, and the ratio against the NumPy implementation of the same epoch
 * ({@code deploy/bench/rbm_numpy.py}, kept running beside this process) — Engram's and NumPy's epochs
 * alternate, and every ratio is the median over the timed epochs of the two runs' same-index epochs,
 * so that a change of the host's load hits both sides alike.
 */
public final class RbmBenchmark {
    private RbmBenchmark() {
    }

    /** GFLOP/s of sgemm at the shapes of one batch: (B × N)·(N × M). */
    static double sgemmRate(int b, int n, int m, double seconds) {
        return sgemmRate("N", m, b, n, seconds);
    }

    /** GFLOP/s of sgemm(transA, "N", rows, cols, inner), timed for at least {@code seconds}. */
    static double sgemmRate(String transA, int rows, int cols, int inner, double seconds) {
        float[] a = new float[rows * inner];
        float[] x = new float[inner * cols];
        float[] y = new float[rows * cols];
        java.util.Arrays.fill(a, 0.01f);
        java.util.Arrays.fill(x, 0.5f);
        BLAS blas = BLAS.getInstance();
        int lda = transA.equals("N") ? rows : inner;
        Runnable r = () -> blas.sgemm(transA, "N", rows, cols, inner, 1f, a, lda, x, inner, 0f, y, rows);
        double t = RnnBenchmark.time(r, seconds);
        return 2.0 * rows * cols * inner / t / 1e9;
    }

    public static void run(Path images, List<Integer> hiddens, int epochs, boolean numpy, PrintStream out)
            throws IOException {
        Idx.Array a;
        try (InputStream in = Files.newInputStream(images)) {
            a = Idx.read(in, images.toString());
        }
        int rows = a.dims()[0];
        int n = a.dims()[1] * a.dims()[2];
        org.engram.kernels.data.ImageSet set = new org.engram.kernels.data.ImageSet("bench", a.data(), new byte[rows],
                rows, a.dims()[1], a.dims()[2], 10);
        float[] data = Binarisation.ABOVE_127.zeroOne(set);
        String threads = System.getenv().getOrDefault("OPENBLAS_NUM_THREADS", "(unset)");
        out.printf(Locale.ROOT, "# RBM epoch, %d × %d binary inputs, batch 100, BLAS %s, OPENBLAS_NUM_THREADS=%s%n", rows,
                n, Provenance.blas(), threads);
        out.printf(Locale.ROOT, "%-12s %5s %10s %10s %12s %10s %10s%n", "variant", "M", "s/epoch", "GFLOP/s",
                "sgemm GF/s", "numpy s", "vs numpy");
        int batch = 100;
        int[] order = new int[rows];
        for (int m : hiddens) {
            double sgemm = sgemmRate(batch, n, m, 2);
            // CD-1 and KH-TD-CD-1 epochs alternate (each after a NumPy epoch when NumPy runs), so that a change of
            // the host's load hits both alike; then CD-1 and KH-BU-CD-1 alternate in a second pass of their own —
            // in one three-way rotation CD would follow BU while TD follows NumPy, which measurably biased TD / CD
            KrotovHopfield.Direction[] dirs = {KrotovHopfield.Direction.NONE, KrotovHopfield.Direction.TOP_DOWN,
                KrotovHopfield.Direction.BOTTOM_UP};
            String[] names = {"CD-1", "KH-TD-CD-1", "KH-BU-CD-1"};
            int variants = dirs.length;
            RbmTrainer[] trainers = new RbmTrainer[variants];
            Rbm[] rbms = new Rbm[variants];
            SplittableRandom[] rngs = new SplittableRandom[variants];
            double[] best = new double[variants];
            java.util.Arrays.fill(best, Double.MAX_VALUE);
            for (int v = 0; v < variants; v++) {
                KrotovHopfield.Settings k = new KrotovHopfield.Settings(dirs[v], 1, 0.4, 0.1);
                trainers[v] = new RbmTrainer(n, m, new RbmTrainer.Settings(batch, 1, false, 0.1f, k, 0.02, 500));
                rngs[v] = new SplittableRandom(1);
                rbms[v] = Rbm.initialised(n, m, Rbm.Init.LECUN, rngs[v]);
                trainers[v].epoch(rbms[v], data, Math.min(rows, 10_000), 0, order, rngs[v]); // warm-up
            }
            double[][] paired = new double[variants][epochs];
            double[][] vsNumpy = new double[variants][epochs];
            double[] npBest = new double[variants];
            java.util.Arrays.fill(npBest, Double.NaN);
            double[] cdBest = new double[variants]; // CD-1's best epoch in the pass beside variant [pass]
            java.util.Arrays.fill(cdBest, Double.MAX_VALUE);
            NumpyEpochs np = numpy ? NumpyEpochs.start(images, m) : null;
            try {
                for (int pass = 1; pass < variants; pass++) {
                    int[] pair = {0, pass};
                    for (int e = 0; e < epochs; e++) {
                        double[] t = new double[2];
                        for (int q = 0; q < 2; q++) {
                            int v = pair[q];
                            long t0 = System.nanoTime();
                            trainers[v].epoch(rbms[v], data, rows, pass == 1 ? e : epochs + e, order, rngs[v]);
                            t[q] = (System.nanoTime() - t0) / 1e9;
                            if (v == 0) {
                                cdBest[pass] = Math.min(cdBest[pass], t[q]);
                            } else {
                                best[v] = Math.min(best[v], t[q]);
                            }
                            if (pass == 1) { // the NumPy script has CD-1 and KH-TD-CD-1
                                double npSeconds = np != null ? np.epoch(v == 1 ? "kh" : "cd") : Double.NaN;
                                npBest[v] = e == 0 ? npSeconds : Math.min(npBest[v], npSeconds);
                                vsNumpy[v][e] = npSeconds / t[q];
                            }
                        }
                        paired[pass][e] = t[1] / t[0];
                    }
                    if (np != null) { // only the first pass has NumPy epochs
                        np.close();
                        np = null;
                    }
                }
            } finally {
                if (np != null) {
                    np.close();
                }
            }
            best[0] = cdBest[1]; // CD-1's row: its epochs of the first pass, beside NumPy's
            double product = 2.0 * rows * n * m; // one (B × N)·(N × M) product per batch, over the epoch
            // flops: CD-1 = 5 products per batch; KH-TD adds the currents (its v·W is shared with CD); KH-BU adds
            // the B × B Gram correction when M > B, else CD recomputes v·W'
            double[] flops = {5 * product, 6 * product, 5 * product + (m > batch ? product * batch / m : product)};
            for (int v = 0; v < variants; v++) {
                out.printf(Locale.ROOT, "%-12s %5d %10.3f %10.1f %12.1f %10.3f %10s%n", names[v], m,
                        best[v], flops[v] / best[v] / 1e9, sgemm, npBest[v],
                        Double.isNaN(npBest[v]) ? "-" : String.format(Locale.ROOT, "%.2f×", median(vsNumpy[v])));
            }
            out.printf(Locale.ROOT, "%-12s %5d %10.2f× CD-1 best epochs, %.2f× median of paired epochs%s (paper: ≈ 1.8×;"
                    + " target ≤ 1.3×)%n", "KH overhead", m, best[1] / cdBest[1], median(paired[1]),
                    medianInterval(paired[1]));
            out.printf(Locale.ROOT, "%-12s %5d %10.2f× CD-1 best epochs, %.2f× median of paired epochs%s%n",
                    "KH-BU", m, best[2] / cdBest[2], median(paired[2]), medianInterval(paired[2]));
        }
        out.println("# s/epoch, numpy s: best of the timed epochs; vs numpy: median over the timed epochs of NumPy's"
                + " seconds / Engram's for the same epoch (the two alternate)");
    }

    /**
     * A distribution-free confidence interval for the median of x: the order statistics [x_(k), x_(n+1−k)] with
     * the largest k whose coverage 1 − 2 P(Bin(n, ½) ≤ k − 1) is at least 95%; null when n &lt; 6 (even the
     * range covers less). Returns {lower, upper, coverage}.
     */
    static double[] medianCi(double[] x) {
        int n = x.length;
        org.apache.commons.math3.distribution.BinomialDistribution bin =
                new org.apache.commons.math3.distribution.BinomialDistribution(null, n, 0.5);
        if (n < 1 || 1 - 2 * bin.cumulativeProbability(0) < 0.95) {
            return null;
        }
        int k = 1;
        while (k + 1 <= n / 2 && 1 - 2 * bin.cumulativeProbability(k) >= 0.95) {
            k++;
        }
        double[] y = x.clone();
        java.util.Arrays.sort(y);
        return new double[] {y[k - 1], y[n - k], 1 - 2 * bin.cumulativeProbability(k - 1)};
    }

    private static String medianInterval(double[] x) {
        double[] ci = medianCi(x);
        return ci == null ? " (--epochs ≥ 6 for a confidence interval)"
                : String.format(Locale.ROOT, " [%.2f, %.2f] (%.0f%% CI of the median, %d epochs)", ci[0], ci[1],
                        100 * ci[2], x.length);
    }

    static double median(double[] x) {
        double[] y = x.clone();
        java.util.Arrays.sort(y);
        int k = y.length;
        return k % 2 == 1 ? y[k / 2] : (y[k / 2 - 1] + y[k / 2]) / 2;
    }

    /**
     * {@code rbm_numpy.py --serve}: one NumPy model per variant in a running python3, one epoch per
     * request. Null from {@link #start} when the script or python3 with NumPy is not there.
     */
    static final class NumpyEpochs implements AutoCloseable {
        private static final ObjectMapper JSON = new ObjectMapper();
        private final Process process;
        private final java.io.BufferedWriter in;
        private final java.io.BufferedReader out;

        private NumpyEpochs(Process process) {
            this.process = process;
            this.in = new java.io.BufferedWriter(new java.io.OutputStreamWriter(process.getOutputStream(),
                    StandardCharsets.UTF_8));
            this.out = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8));
        }

        static NumpyEpochs start(Path images, int m) throws IOException {
            Path script = Path.of("deploy", "bench", "rbm_numpy.py");
            if (!Files.exists(script)) {
                return null;
            }
            Process p = new ProcessBuilder("python3", script.toString(), "--images", images.toString(), "--hidden",
                    "" + m, "--serve").redirectError(ProcessBuilder.Redirect.DISCARD).start();
            NumpyEpochs np = new NumpyEpochs(p);
            String line = np.out.readLine();
            if (!"ready".equals(line)) {
                np.close();
                return null;
            }
            return np;
        }

        /** Seconds of one NumPy epoch of {@code variant} ("cd" or "kh"), NaN if the process has gone. */
        double epoch(String variant) {
            try {
                in.write(variant + "\n");
                in.flush();
                String line = out.readLine();
                return line == null ? Double.NaN : JSON.readTree(line).get("seconds").asDouble();
            } catch (IOException e) {
                return Double.NaN;
            }
        }

        @Override
        public void close() {
            try {
                in.close();
                process.waitFor();
            } catch (IOException | InterruptedException e) {
                process.destroy();
            }
        }
    }
}
