package org.engram.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.commons.csv.CSVRecord;
import org.apache.hadoop.conf.Configuration;
import org.engram.driver.data.Fetcher;
import org.engram.driver.engine.ExecutorState;
import org.engram.driver.engine.RunOptions;
import org.engram.driver.engine.RunResult;
import org.engram.driver.engine.SweepRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kh.reconstruction end to end on real Fashion-MNIST (small): curves over seeds, plots, data checks. */
class KhReconstructionTest {
    @TempDir
    Path dir;

    @Test
    void trainsPlainAndKhRbmsAndAggregatesTheirCurves() throws Exception {
        String data = dir.resolve("data").toString();
        new Fetcher(Sweeps.QUIET, new Configuration())
                .fetch("fashion-mnist", data, true);
        List<String> sets = List.of("params.data-dir=\"" + data + "\"", "grid.hidden=[20]", "params.epochs=3",
                "params.schedule=3", "params.train-rows=3000", "params.eval-rows=500", "replicates.seeds=2",
                "grid.variant=[none, td, bu]");
        RunResult r = Sweeps.run("quick/kh.reconstruction.conf", sets, "local[2]", dir.resolve("results"), "kh");
        assertEquals(6, r.trials());
        assertEquals(0, r.failedTrials());
        File out = Sweeps.dir(r);
        EndToEndTest.checkPng(new File(out, "plots/mse_fashion-mnist_lecun_M20_k1.png"));
        EndToEndTest.checkPng(new File(out, "plots/cross_entropy_fashion-mnist_lecun_M20_k1.png"));
        Map<String, Double> mse = EndToEndTest.csv(new File(out, "aggregated/curve.csv")).stream()
                .filter(c -> c.get("metric").equals("mse"))
                .collect(Collectors.toMap(c -> c.get("variant") + "/" + c.get("epoch"), c -> Double.parseDouble(c.get("mean"))));
        assertEquals(9, mse.size(), "3 variants × 3 epochs");
        for (String v : List.of("none", "td", "bu")) {
            // binary 28×28 images: a trained RBM reconstructs far better than chance (≈ 0.5 per pixel) and improves
            assertTrue(mse.get(v + "/2") < 0.3, v + ": " + mse);
            assertTrue(mse.get(v + "/2") < mse.get(v + "/0"), v + " improves over epochs: " + mse);
        }
        EndToEndTest.checkTableDictionary(out);
        List<CSVRecord> fin = EndToEndTest.csv(new File(out, "derived/final_mse.csv"));
        assertEquals(3, fin.size());
        assertEquals(2 * 3, EndToEndTest.parquetRows(new File(out, "raw/final")));
        assertEquals(2 * 3 * 3, EndToEndTest.parquetRows(new File(out, "raw/curve")));

        // same seeds ⇒ identical curves, on one core with one task per core as on two with several
        List<String> again = new java.util.ArrayList<>(sets);
        again.add("spark.tasks-per-core=1");
        RunResult one = Sweeps.run("quick/kh.reconstruction.conf", again, "local[1]", dir.resolve("results-one"),
                "kh-one");
        // every table but the wall-clock one: curve, final, final_mse (3 aggregated + derived files at least)
        assertTrue(Sweeps.assertSameTables(out, Sweeps.dir(one)) >= 3);
        assertTrue(new File(out, "aggregated/timing.csv").exists(), "the timing table is written");
        assertEquals(0, one.reusedTrials(), "a fresh output root has an empty ledger: everything was recomputed");
    }

    @Test
    void theLedgerKeysDataByContentNotByWhereItLies() throws Exception {
        Path first = dir.resolve("data-a");
        new Fetcher(Sweeps.QUIET, new Configuration())
                .fetch("fashion-mnist", first.toString(), true);
        List<String> base = List.of("grid.hidden=[10]", "params.epochs=1", "params.schedule=1",
                "params.train-rows=1000", "params.eval-rows=200", "replicates.seeds=2", "grid.variant=[none, td]");
        java.util.function.BiFunction<Path, String, RunResult> run = (data, id) -> {
            List<String> sets = new java.util.ArrayList<>(base);
            sets.add("params.data-dir=\"" + data + "\"");
            return Sweeps.run("quick/kh.reconstruction.conf", sets, "local[2]", dir.resolve("results"), id);
        };
        RunResult a = run.apply(first, "a");
        assertEquals(4, a.trials());
        assertEquals(0, a.reusedTrials());

        // the same files under another root: every unit replays, same tables
        Path moved = dir.resolve("data-b");
        org.apache.commons.io.file.PathUtils.copyDirectory(first, moved);
        RunResult b = run.apply(moved, "b");
        assertEquals(4, b.reusedTrials(), "moving the data does not invalidate the ledger");
        assertEquals(java.nio.file.Files.readString(Sweeps.dir(a).toPath().resolve("aggregated/curve.csv")),
                java.nio.file.Files.readString(Sweeps.dir(b).toPath().resolve("aggregated/curve.csv")));

        // one pixel of one training image changed (checksum updated, so it loads): nothing replays
        Path images = moved.resolve("fashion-mnist/train-images-idx3-ubyte.gz");
        byte[] originalImages = java.nio.file.Files.readAllBytes(images);
        byte[] originalJson = java.nio.file.Files.readAllBytes(moved.resolve("fashion-mnist/dataset.json"));
        byte[] raw;
        try (var in = new java.util.zip.GZIPInputStream(java.nio.file.Files.newInputStream(images))) {
            raw = in.readAllBytes();
        }
        raw[16 + 300] = (byte) (raw[16 + 300] == 0 ? 255 : 0); // after the 16-byte IDX header: image 0, pixel 300
        java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
        try (var out = new java.util.zip.GZIPOutputStream(gz)) {
            out.write(raw);
        }
        java.nio.file.Files.write(images, gz.toByteArray());
        Path json = moved.resolve("fashion-mnist/dataset.json");
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        var d = (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(json.toFile());
        ((com.fasterxml.jackson.databind.node.ObjectNode) d.get("sha256")).put("train-images-idx3-ubyte.gz",
                org.engram.driver.data.DatasetStore.contentSha256(gz.toByteArray()));
        mapper.writeValue(json.toFile(), d);
        RunResult c = run.apply(moved, "c");
        assertEquals(0, c.reusedTrials(), "altered data: every unit is recomputed");
        assertEquals(0, c.failedTrials());

        // put back in place, in the same JVM, and computed afresh (an empty ledger): the JVM's data cache must not
        // serve run c's altered images — the tables equal run a's
        java.nio.file.Files.write(images, originalImages);
        java.nio.file.Files.write(json, originalJson);
        List<String> sets = new java.util.ArrayList<>(base);
        sets.add("params.data-dir=\"" + moved + "\"");
        RunResult restored = Sweeps.run("quick/kh.reconstruction.conf", sets, "local[2]", dir.resolve("results-d"),
                "d");
        assertEquals(0, restored.reusedTrials());
        assertEquals(java.nio.file.Files.readString(Sweeps.dir(a).toPath().resolve("aggregated/curve.csv")),
                java.nio.file.Files.readString(Sweeps.dir(restored).toPath().resolve("aggregated/curve.csv")),
                "data restored in place: the same results as with the original data");
    }

    @Test
    void classificationRbmLearnsFashionMnistClasses() throws Exception {
        String data = dir.resolve("data").toString();
        new Fetcher(Sweeps.QUIET, new Configuration())
                .fetch("fashion-mnist", data, true);
        List<String> sets = List.of("params.data-dir=\"" + data + "\"", "grid.hidden=[50]", "params.epochs=2",
                "params.schedule=2", "params.train-rows=4000", "params.eval-rows=1000", "replicates.seeds=2");
        RunResult r = Sweeps.run("quick/kh.classification.conf", sets, "local[2]", dir.resolve("results"), "cls");
        assertEquals(4, r.trials());
        assertEquals(0, r.failedTrials());
        File out = Sweeps.dir(r);
        EndToEndTest.checkTableDictionary(out);
        List<CSVRecord> table = EndToEndTest.csv(new File(out, "derived/table_i.csv"));
        assertEquals(List.of("CD_1", "KH_TD-CD_1"), table.stream().map(c -> c.get("method")).toList());
        for (CSVRecord c : table) {
            // ten classes: chance is 10%; two generative epochs on 4,000 images reach at least three times that
            double acc = Double.parseDouble(c.get("max_accuracy_pct"));
            assertTrue(acc > 30 && acc <= 100, c.toString());
            assertTrue(Double.parseDouble(c.get("seconds_per_epoch")) > 0);
        }
        EndToEndTest.checkPng(new File(out, "plots/accuracy_fashion-mnist_lecun_M50_k1.png"));
    }

    @Test
    void gradientComparisonFansOutTrialsPerTimeStepAndAveragesWindows() throws Exception {
        String data = dir.resolve("data").toString();
        new Fetcher(Sweeps.QUIET, new Configuration())
                .fetch("fashion-mnist", data, true);
        List<String> sets = List.of("params.data-dir=\"" + data + "\"", "grid.hidden=[30]", "params.epochs=3",
                "params.schedule=2", "params.train-rows=2000", "params.sample-epochs=[0, 2]", "params.window=3",
                "replicates.trials=40", "params.trials-per-unit=20");
        RunResult r = Sweeps.run("quick/kh.gradient-comparison.conf", sets, "local[2]", dir.resolve("results"), "xi");
        assertEquals(2 * 3 * 40, r.trials(), "2 sampled epochs × 3 steps × 40 trials");
        assertEquals(0, r.failedTrials());
        File out = Sweeps.dir(r);
        Map<String, CSVRecord> steps = EndToEndTest.csv(new File(out, "aggregated/trials.csv")).stream()
                .collect(Collectors.toMap(c -> c.get("metric") + "/" + c.get("epoch") + "/" + c.get("step"), c -> c));
        assertEquals(2 * 2 * 3, steps.size(), "one row per metric, sampled epoch and step");
        for (int step = 0; step < 3; step++) {
            CSVRecord ratio = steps.get("xi_ratio/0/" + step);
            assertEquals("40", ratio.get("count"), "every trial of a time step is aggregated");
            double m = Double.parseDouble(ratio.get("mean"));
            assertTrue(m > 0 && m < 10, "|ξ|/|∇L| while KH acts: " + m);
            double c = Double.parseDouble(steps.get("xi_cosine/0/" + step).get("mean"));
            assertTrue(Math.abs(c) < 1, "cosine " + c);
            // epoch 2 ≥ S: ε = 0, so with common noise ξ vanishes exactly in every trial: ratio 0, cosine undefined
            assertEquals(0.0, Double.parseDouble(steps.get("xi_ratio/2/" + step).get("max")), 0);
            assertEquals("0", steps.get("xi_cosine/2/" + step).get("count"));
        }
        EndToEndTest.checkTableDictionary(out);
        List<CSVRecord> windows = EndToEndTest.csv(new File(out, "derived/fig2_windows.csv"));
        assertEquals(2, windows.size());
        assertEquals("3", windows.get(0).get("steps"));
        double mean = 0;
        for (int step = 0; step < 3; step++) {
            mean += Double.parseDouble(steps.get("xi_ratio/0/" + step).get("mean")) / 3;
        }
        assertEquals(mean, Double.parseDouble(windows.get(0).get("xi_ratio")), 1e-12, "window = mean of its steps");
        EndToEndTest.checkPng(new File(out, "plots/xi_cosine.png"));

        // the training run's θ_t were stored beside the ledger: more trials, in a JVM that no longer holds
        // them in memory, read them from there instead of training again
        try (var files = java.nio.file.Files.walk(dir.resolve("results").resolve("kh.gradient-comparison.quick")
                .resolve("shared"))) {
            assertEquals(1, files.filter(f -> f.getFileName().toString().startsWith("kh-trajectory-")).count());
        }
        ExecutorState.shared().clearMemory();
        long computed = ExecutorState.shared().computed();
        long loaded = ExecutorState.shared().loaded();
        List<String> more = new java.util.ArrayList<>(sets);
        more.add("replicates.trials=60");
        RunResult again = Sweeps.run("quick/kh.gradient-comparison.conf", more, "local[2]", dir.resolve("results"), "xi2");
        assertEquals(2 * 3 * 60, again.trials());
        assertEquals(2 * 3 * 40, again.reusedTrials(), "the first 40 trials per step come from the ledger");
        assertEquals(computed, ExecutorState.shared().computed(), "no second training run");
        assertEquals(loaded + 1, ExecutorState.shared().loaded());
    }

    @Test
    void aMissingDatasetIsReportedBeforeAnyWorkWithNoFetch() {
        List<String> sets = List.of("params.data-dir=\"" + dir.resolve("nothing-here") + "\"");
        RunOptions noFetch = new RunOptions("local[2]", java.util.Map.of("spark.ui.enabled", "false"),
                dir.resolve("results").toString(), "none", true, false, true, false);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SweepRunner(Sweeps.QUIET).run(Sweeps.prepare("quick/kh.reconstruction.conf", sets), noFetch));
        assertTrue(e.getMessage().contains("deploy/engram data fetch fashion-mnist"), e.getMessage());
        assertTrue(!dir.resolve("results").toFile().exists(), "nothing was written");
    }
}
