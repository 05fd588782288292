package org.engram.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.engram.driver.engine.Cleaner;
import org.engram.driver.engine.Ledger;
import org.engram.driver.engine.SweepLock;
import org.junit.jupiter.api.Test;

/**
 * Faults injected as an operator meets them, each with its exact outcome: workers and drivers killed (SIGKILL) at
 * random points of one sweep on a loopback standalone cluster; two runs of one sweep at once; misfiled, truncated and
 * foreign ledger entries; a corrupted dataset; a configuration with 23 mistakes. Every process is a real JVM started
 * from the packaged jars; every wait is bounded.
 */
class FaultInjectionIT {
    static final String SYNTHETIC = "quick/engine.synthetic.conf";
    static final String SWEEP = "engine.synthetic.quick";
    /** 8 cells × 60 replicates in 120 units of 4 trials, 0.3 s each: ≈ 20 s on two single-core workers. */
    static final List<String> CHAOS = List.of("grid.x=[0, 1, 2, 3]", "replicates.count=60", "params.trials-per-unit=4",
            "params.throw-replicates=[]", "params.nan-replicates=[]", "params.work-nanos=75000000",
            "ledger.seal-seconds=1");

    static long entries(Path results) {
        return ResumeIT.ledgerEntries(results.resolve(SWEEP).resolve("ledger"));
    }

    /** Waits until the ledger holds at least {@code n} units (or the process ends); returns the count. */
    static long awaitEntries(Path results, long n, Process p, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        long e;
        while ((e = entries(results)) < n && p.isAlive()) {
            assertTrue(System.nanoTime() < deadline, "no progress to " + n + " ledger entries; see " + log);
            Thread.sleep(100);
        }
        return e;
    }

    static long ledgerHolds(Path log, long total) throws Exception {
        Matcher m = Pattern.compile("the ledger holds (\\d+) of " + total + " trials").matcher(Files.readString(log));
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    @Test
    void killedWorkersAndDriversAtRandomPointsChangeNothing() throws Exception {
        long seed = 20261202L;
        Random rnd = new Random(seed);
        try (LoopbackCluster cluster = new LoopbackCluster("chaos", 2)) {
            Path results = cluster.dir.resolve("results");
            // random points, increasing: kill a worker at w1 entries and the driver at d1; the driver again at d2;
            // a worker at w2 of the last submission, which then finishes
            long w1 = 8 + rnd.nextInt(16);
            long d1 = w1 + 8 + rnd.nextInt(16);
            long d2 = d1 + 10 + rnd.nextInt(20);
            long w2 = d2 + 5 + rnd.nextInt(10);
            String points = "seed " + seed + ": worker at " + w1 + ", driver at " + d1 + ", driver at " + d2
                    + ", worker at " + w2 + " of 120 units";
            List<Long> held = new ArrayList<>();

            Process first = cluster.jvm.submit(SYNTHETIC, CHAOS, cluster.url(), results, "chaos", "chaos-1.log");
            awaitEntries(results, w1, first, cluster.dir.resolve("chaos-1.log"));
            int victim = rnd.nextInt(2);
            cluster.killWorker(victim);
            cluster.restartWorker(victim);
            awaitEntries(results, d1, first, cluster.dir.resolve("chaos-1.log"));
            assertTrue(first.isAlive(), "the first submission must still run when its driver is killed; " + points);
            Submitter.kill(first);
            first.waitFor(30, TimeUnit.SECONDS);
            cluster.awaitNoExecutors();
            assertFalse(Files.exists(results.resolve(SWEEP).resolve("chaos")), "a killed driver publishes nothing");
            held.add(entries(results));

            Process second = cluster.jvm.submit(SYNTHETIC, CHAOS, cluster.url(), results, "chaos", "chaos-2.log");
            awaitEntries(results, d2, second, cluster.dir.resolve("chaos-2.log"));
            assertTrue(second.isAlive(), "the second submission must still run when its driver is killed; " + points);
            Submitter.kill(second);
            second.waitFor(30, TimeUnit.SECONDS);
            cluster.awaitNoExecutors();
            held.add(entries(results));

            Process third = cluster.jvm.submit(SYNTHETIC, CHAOS, cluster.url(), results, "chaos", "chaos-3.log");
            awaitEntries(results, w2, third, cluster.dir.resolve("chaos-3.log"));
            victim = rnd.nextInt(2);
            cluster.killWorker(victim);
            cluster.restartWorker(victim);
            assertTrue(third.waitFor(300, TimeUnit.SECONDS), "the last submission timed out; " + points);
            assertEquals(0, third.exitValue(), "see " + cluster.dir.resolve("chaos-3.log") + "; " + points);

            // each resubmission replayed every unit the ledger held when its predecessor died, and computed the rest
            assertEquals(4 * held.get(0), ledgerHolds(cluster.dir.resolve("chaos-2.log"), 480), points);
            assertEquals(4 * held.get(1), ledgerHolds(cluster.dir.resolve("chaos-3.log"), 480), points);
            assertTrue(held.get(0) >= d1 && held.get(1) >= d2 && held.get(1) > held.get(0), points + ": " + held);
            File chaos = results.resolve(SWEEP).resolve("chaos").toFile();
            JsonNode manifest = new ObjectMapper().readTree(new File(chaos, "manifest.json"));
            assertEquals(4 * held.get(1), manifest.at("/counts/reused_trials").asLong(), points);
            assertEquals(480, manifest.at("/counts/trials").asLong(), points);
            assertEquals(480 - 4 * held.get(1), manifest.at("/counts/computed_trials").asLong(), points);
            assertEquals(120, entries(results), "every unit recorded once");

            File local = Sweeps.dir(Sweeps.run(SYNTHETIC, CHAOS, "local[2]", cluster.dir.resolve("uninterrupted"),
                    "local"));
            Sweeps.assertSameFiles(chaos, local, List.of("aggregated/trials.csv", "aggregated/trials.parquet"));
            assertEquals(480, EndToEndTest.parquetRows(new File(chaos, "raw/trials")), "no lost or duplicate rows");
            // what the killed tasks left (their unsealed segments) is found, and engram clean removes it
            org.apache.hadoop.fs.FileSystem fs = org.apache.hadoop.fs.FileSystem.getLocal(
                    new org.apache.hadoop.conf.Configuration());
            org.apache.hadoop.fs.Path base = new org.apache.hadoop.fs.Path(results.resolve(SWEEP).toUri());
            assertEquals(List.of(), Cleaner.find(fs, base).folders(), "the killed runs' in-progress folder was reused");
            Object[] c = CliTest.captured(() -> Engram.execute("clean", results.toString()));
            assertEquals(0, c[0]);
            assertEquals(0, Cleaner.find(fs, base).count(), (String) c[1]);
            assertEquals(120, entries(results), "clean removes no entry");
        }
    }

    @Test
    void aSecondRunOfOneSweepRefusesAtOnceOrWaits() throws Exception {
        Path dir = Files.createTempDirectory(Submitter.TARGET, "concurrent-");
        Path results = dir.resolve("results");
        List<String> sets = List.of("grid.x=[0, 1, 2, 3]", "replicates.count=24", "params.throw-replicates=[]",
                "params.nan-replicates=[]", "params.work-nanos=60000000");
        try (Submitter jvm = new Submitter(dir)) {
            Process a = jvm.submit(SYNTHETIC, sets, "local[2]", results, "a", "a.log");
            Process b = jvm.submit(SYNTHETIC, sets, "local[2]", results, "b", "b.log");
            assertTrue(a.waitFor(300, TimeUnit.SECONDS) && b.waitFor(300, TimeUnit.SECONDS));
            List<Integer> codes = List.of(a.exitValue(), b.exitValue());
            assertTrue(codes.contains(0) && codes.contains(2), "one runs, the other refuses with 2: " + codes);
            String loser = a.exitValue() == 2 ? "a" : "b";
            String text = Files.readString(dir.resolve(loser + ".log"));
            assertTrue(text.contains("is in use by another run") && text.contains("--wait"), text);
            assertFalse(Files.exists(results.resolve(SWEEP).resolve(loser)), "the refused run wrote nothing");

            // with --wait the second waits for the first and then replays what it recorded
            Process c = jvm.submit(SYNTHETIC, sets, "local[2]", results, "c", "c.log", "--force");
            awaitLock(results, c);
            Process d = jvm.submit(SYNTHETIC, sets, "local[2]", results, "d", "d.log", "--wait");
            assertTrue(c.waitFor(300, TimeUnit.SECONDS) && d.waitFor(300, TimeUnit.SECONDS));
            assertEquals(0, c.exitValue(), "see c.log");
            assertEquals(0, d.exitValue(), "see d.log");
            String waited = Files.readString(dir.resolve("d.log"));
            assertTrue(waited.contains("waiting"), waited);
            assertEquals(192, ledgerHolds(dir.resolve("d.log"), 192), "everything replayed after the wait");
            Sweeps.assertSameFiles(results.resolve(SWEEP).resolve("c").toFile(), results.resolve(SWEEP).resolve("d")
                    .toFile(), List.of("aggregated/trials.csv"));
        }
    }

    static void awaitLock(Path results, Process p) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!Files.exists(results.resolve(SWEEP).resolve(SweepLock.NAME))) {
            assertTrue(System.nanoTime() < deadline && p.isAlive(), "the run never took its lock");
            Thread.sleep(50);
        }
    }

    @Test
    void misfiledTruncatedAndForeignLedgerEntries() throws Exception {
        Path dir = Files.createTempDirectory(Submitter.TARGET, "ledger-faults-");
        List<String> sets = List.of("params.throw-replicates=[]", "params.nan-replicates=[]", "ledger.seal-seconds=0");
        File clean = Sweeps.dir(Sweeps.run(SYNTHETIC, sets, "local[2]", dir.resolve("results"), "clean"));
        // a foreign ledger: the same sweep under another seed (every key differs)
        List<String> other = new ArrayList<>(sets);
        other.add("sweep.seed=99");
        Sweeps.run(SYNTHETIC, other, "local[2]", dir.resolve("foreign"), "other");
        Path ledger = dir.resolve("results").resolve(SWEEP).resolve("ledger");
        List<Path> segs = LedgerTest.files(ledger, Ledger.SEGMENT);
        assertEquals(30, segs.size(), "one segment per unit at seal-seconds = 0");
        // misfiled: segment 0's record rewritten under segment 1's key (its checksum valid)
        Ledger l = new Ledger(ledger.toUri().toString());
        Ledger.Scan scan = l.scan(new org.apache.hadoop.conf.Configuration());
        String key0 = keyIn(scan, segs.get(0));
        String key1 = keyIn(scan, segs.get(1));
        byte[] payload0;
        try (Ledger.Reader r = new Ledger.Reader(org.apache.hadoop.fs.FileSystem.getLocal(
                new org.apache.hadoop.conf.Configuration()).getRaw())) {
            payload0 = r.bytes(scan.entries().get(key0).get(0));
        }
        Files.delete(segs.get(1));
        Ledger.Segment misfiled = l.open(new org.apache.hadoop.conf.Configuration(), "misfiled");
        misfiled.append(key1, payload0);
        misfiled.close();
        // truncated: segment 2 cut in its payload; foreign: every segment of the other ledger copied in
        byte[] b = Files.readAllBytes(segs.get(2));
        Files.write(segs.get(2), java.util.Arrays.copyOf(b, b.length / 2));
        for (Path p : LedgerTest.files(dir.resolve("foreign").resolve(SWEEP).resolve("ledger"), Ledger.SEGMENT)) {
            Files.copy(p, ledger.resolve("foreign-" + p.getFileName()));
        }
        Object[] r = CliTest.captured(() -> Engram.execute(cli(dir, "after", sets)));
        assertEquals(0, r[0], r[1] + " " + r[2]);
        String out = (String) r[1];
        assertTrue(out.contains("warning: 2 ledger entries (8 trials) did not verify"), out);
        assertTrue(out.contains("warning: 1 ledger segments are cut short"), out);
        assertTrue(out.contains("the ledger holds 112 of 120 trials"), "the foreign entries are ignored: " + out);
        Sweeps.assertSameFiles(clean, dir.resolve("results").resolve(SWEEP).resolve("after").toFile(),
                List.of("aggregated/trials.csv", "aggregated/trials.parquet"));
    }

    static String keyIn(Ledger.Scan scan, Path segment) {
        return scan.entries().entrySet().stream().filter(e -> e.getValue().stream().anyMatch(
                x -> x.file().getName().equals(segment.getFileName().toString()))).findFirst().orElseThrow().getKey();
    }

    static String[] cli(Path dir, String runId, List<String> sets) {
        List<String> args = new ArrayList<>(List.of("run", Sweeps.CONF.resolve(SYNTHETIC).toString(), "--quiet",
                "--master", "local[2]", "--output", dir.resolve("results").toString(), "--run-id", runId));
        for (String s : sets) {
            args.add("--set");
            args.add(s);
        }
        return args.toArray(String[]::new);
    }

    @Test
    void aCorruptedDatasetStopsTheRunBeforeAnyWork() throws Exception {
        Path dir = Files.createTempDirectory(Submitter.TARGET, "dataset-fault-");
        Path data = dir.resolve("data");
        Object[] f = CliTest.captured(() -> Engram.execute("data", "fetch", "fashion-mnist", "--dir", data.toString()));
        assertEquals(0, f[0], f[1] + " " + f[2]);
        // one byte flipped in the middle of the training images: same size, wrong content
        Path images = data.resolve("fashion-mnist/train-images-idx3-ubyte.gz");
        byte[] b = Files.readAllBytes(images);
        b[b.length / 2] ^= 0x01;
        Files.write(images, b);
        Path results = dir.resolve("results");
        try (Submitter jvm = new Submitter(dir)) {
            Process p = jvm.submit("quick/kh.reconstruction.conf", List.of("params.data-dir=\"" + data + "\""),
                    "local[2]", results, "corrupt", "corrupt.log");
            assertTrue(p.waitFor(120, TimeUnit.SECONDS));
            String log = Files.readString(dir.resolve("corrupt.log"));
            assertEquals(2, p.exitValue(), log);
            assertTrue(log.contains("train-images-idx3-ubyte.gz") && log.contains("data fetch fashion-mnist"), log);
            assertFalse(log.contains("Running Spark version"), "stopped before Spark: " + log);
            assertFalse(Files.exists(results.resolve("kh.reconstruction.quick/corrupt")), "nothing published");
        }
    }

    @Test
    void aConfWithTwentyThreeMistakesIsReportedInOnePass() throws Exception {
        Path dir = Files.createTempDirectory(Submitter.TARGET, "bad-conf-");
        Path conf = dir.resolve("bad.conf");
        Files.writeString(conf, String.join("\n",
                "sweep { id = \"bad id\", job = \"rnn.reinforcement\", seed = 1.5, colour = red, max-trials = 0,",
                "  run-id = \"a/b\" }",
                "spark { tasks-per-core = 0, progress-seconds = -1, speed = 3 }",
                "ledger { seal-seconds = -1, compact-above = 0, size = 2 }",
                "grid { n = [0, 100], d = [1.1, 1.1], a = [abc], z = [1] }",
                "replicates { weight-draws = 0, initial-states = -1, extra = 2 }",
                "params { max-steps = 0, cells-per-unit = x, max-step = 5,",
                "  regime { chaotic-below = 2, trivial-from = -1 } }", ""));
        try (Submitter jvm = new Submitter(dir)) {
            Process p = jvm.submit(conf.toString(), List.of(), "local[2]", dir.resolve("results"), "bad", "bad.log");
            assertTrue(p.waitFor(120, TimeUnit.SECONDS));
            String log = Files.readString(dir.resolve("bad.log"));
            assertEquals(2, p.exitValue(), log);
            assertTrue(log.contains("has 23 problems (nothing was run)"), log);
            List<String> lines = log.lines().filter(x -> x.startsWith("  " + conf)).toList();
            assertEquals(23, lines.size(), log);
            for (String key : List.of("sweep.colour", "sweep.id", "sweep.seed", "sweep.max-trials", "sweep.run-id",
                    "spark.speed", "spark.tasks-per-core", "spark.progress-seconds", "ledger.size",
                    "ledger.seal-seconds", "ledger.compact-above", "grid.n[0]", "grid.d", "grid.a[0]", "grid.z",
                    "replicates.extra", "replicates.weight-draws", "replicates.initial-states", "params.max-step",
                    "params.max-steps", "params.cells-per-unit", "params.regime.chaotic-below",
                    "params.regime.trivial-from")) {
                assertTrue(lines.stream().anyMatch(x -> x.contains(": " + key + " = ")), key + " in " + log);
            }
            assertFalse(log.contains("Running Spark version"), "nothing of Spark started: " + log);
            assertFalse(Files.exists(dir.resolve("results")), "nothing written");
        }
    }
}
