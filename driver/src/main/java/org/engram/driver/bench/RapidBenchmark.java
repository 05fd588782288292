package org.engram.driver.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.engram.driver.output.Provenance;
import org.engram.kernels.data.Binarisation;
import org.engram.kernels.data.Idx;
import org.engram.kernels.data.ImageSet;
import org.engram.kernels.rbm.SpinExact;
import org.engram.kernels.rbm.SpinRbm;
import org.engram.kernels.rbm.SpinTrainer;

/**
 * The RAPID kernels against baselines run in the same benchmark (issue 20): (a) the exact gradient of a ±1 RBM at
 * V = 16, H = 1000 (65,536 enumerated states) on 1 and 2 threads, against the same computation in PyTorch
 * ({@code deploy/bench/rapid_torch.py}, Debian's python3-torch, same threads); (b) one update at the MNIST scale
 * (V = 784, H = 3000, batch 8000): RAPID with the pure PID negative phase and with 10 Gibbs steps seeded at the
 * K = 190 patterns, against a CD-10 update of a W-model on the same batch (Appendix D: PID's negative phase costs
 * O(K·V·H)); (c) one rapid.mnist training epoch (60,000 images) against the same epoch written in PyTorch as the
 * authors write it, same thread count. Times are medians of the repeats (after a warm-up); the PyTorch side runs in
 * a subprocess after Engram's repeats.
 */
public final class RapidBenchmark {
    private RapidBenchmark() {
    }

    public static void run(Path images, int repeats, boolean torch, PrintStream out) throws IOException,
            InterruptedException {
        out.printf(Locale.ROOT, "# RAPID kernels, BLAS %s, OPENBLAS_NUM_THREADS=%s, %d repeats (medians)%n",
                Provenance.blas(), System.getenv().getOrDefault("OPENBLAS_NUM_THREADS", "(unset)"), repeats);
        // (a) the exact gradient
        SpinRbm rbm = SpinRbm.gaussian(16, 1000, 0.1, new SplittableRandom(1));
        out.printf(Locale.ROOT, "%-44s %8s %10s %10s %10s%n", "exact gradient, V = 16, H = 1000", "threads",
                "Engram s", "torch s", "torch/Engram");
        for (int threads : new int[] {1, 2}) {
            int t = threads;
            double engram = median(time(() -> SpinExact.enumerate(rbm, true, t), repeats, 20)); // 20 warm-ups: the vector loops compile late
            double py = torch ? median(torch(List.of("exact", "--threads", String.valueOf(t), "--repeats",
                    String.valueOf(repeats)))) : Double.NaN;
            out.printf(Locale.ROOT, "%-44s %8d %10.4f %10.4f %10s%n", "", t, engram, py, ratio(py, engram));
        }
        // (b) one update at the MNIST scale
        float[] data = mnist(images);
        int rows = data.length / 784;
        float[] batch = java.util.Arrays.copyOf(data, 8000 * 784);
        out.printf(Locale.ROOT, "%-44s %10s %14s%n", "one update, V = 784, H = 3000, batch 8000", "s", "× CD-10 update");
        double cd = stepSeconds(SpinTrainer.Method.CD, 10, batch, repeats);
        for (Object[] row : new Object[][] {{"CD-10 (W-model, Adam)", SpinTrainer.Method.CD, 10},
                {"RAPID, pure PID (K = 190)", SpinTrainer.Method.RAPID, 0},
                {"RAPID, 10 Gibbs steps seeded at the patterns", SpinTrainer.Method.RAPID, 10}}) {
            double s = row[1] == SpinTrainer.Method.CD ? cd
                    : stepSeconds((SpinTrainer.Method) row[1], (Integer) row[2], batch, repeats);
            out.printf(Locale.ROOT, "%-44s %10.4f %13.2f×%n", row[0], s, s / cd);
        }
        // (c) one rapid.mnist epoch
        SpinTrainer trainer = new SpinTrainer(mnistSettings(SpinTrainer.Method.RAPID, 10), 784, 3000, data, rows,
                new SplittableRandom(2));
        double[] epochs = time(trainer::trainEpoch, Math.max(1, repeats / 2), 0);
        double py = torch ? median(torch(List.of("epoch", "--images", images.toString(), "--hidden", "3000",
                "--threads", "1", "--repeats", String.valueOf(Math.max(1, repeats / 2))))) : Double.NaN;
        out.printf(Locale.ROOT, "%-44s %10s %10s %12s%n", "rapid.mnist epoch (60,000 images), 1 thread", "Engram s",
                "torch s", "torch/Engram");
        out.printf(Locale.ROOT, "%-44s %10.2f %10.2f %12s%n", "", median(epochs), py, ratio(py, median(epochs)));
    }

    static SpinTrainer.Settings mnistSettings(SpinTrainer.Method m, int gibbs) {
        return m == SpinTrainer.Method.RAPID
                ? new SpinTrainer.Settings(m, 190, gibbs, 8000, 0, SpinTrainer.Optimiser.SGD, 0.015, 0.99, 1e-3, 100,
                        SpinTrainer.Constraint.CLIP, 1, 0, 1)
                : new SpinTrainer.Settings(m, 0, gibbs, 8000, 0, SpinTrainer.Optimiser.ADAM, 0.001, 1, 0, 0,
                        SpinTrainer.Constraint.NONE, 1, 0.01, 1);
    }

    private static double stepSeconds(SpinTrainer.Method m, int gibbs, float[] batch, int repeats) {
        SpinTrainer t = new SpinTrainer(mnistSettings(m, gibbs), 784, 3000, batch, 8000, new SplittableRandom(3));
        return median(time(() -> t.step(batch, 8000), repeats, 1));
    }

    private static float[] mnist(Path images) throws IOException {
        Idx.Array a;
        try (InputStream in = Files.newInputStream(images)) {
            a = Idx.read(in, images.toString());
        }
        int rows = a.dims()[0];
        ImageSet set = new ImageSet("bench", a.data(), new byte[rows], rows, a.dims()[1], a.dims()[2], 10);
        return Binarisation.ABOVE_0_3.spins(set);
    }

    static double[] time(Runnable r, int repeats, int warmup) {
        for (int i = 0; i < warmup; i++) {
            r.run();
        }
        double[] s = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            long t0 = System.nanoTime();
            r.run();
            s[i] = (System.nanoTime() - t0) / 1e9;
        }
        return s;
    }

    /** The seconds the PyTorch script reports, or {NaN} when python3 with torch is not there. */
    private static double[] torch(List<String> args) throws IOException, InterruptedException {
        Path script = Path.of("deploy/bench/rapid_torch.py");
        if (!Files.exists(script)) {
            return new double[] {Double.NaN};
        }
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3", script.toString()));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String line = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (p.waitFor() != 0 || line.isEmpty()) {
            System.err.println("rapid_torch.py failed (is Debian's python3-torch installed?): " + cmd);
            return new double[] {Double.NaN};
        }
        JsonNode s = new ObjectMapper().readTree(line).get("seconds");
        double[] out = new double[s.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = s.get(i).asDouble();
        }
        return out;
    }

    private static String ratio(double py, double engram) {
        return Double.isNaN(py) ? "-" : String.format(Locale.ROOT, "%.1f×", py / engram);
    }

    private static double median(double[] x) {
        return RbmBenchmark.median(x);
    }
}
