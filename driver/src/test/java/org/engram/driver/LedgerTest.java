package org.engram.driver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.engram.driver.engine.Ledger;
import org.engram.driver.engine.RunOptions;
import org.engram.driver.engine.RunResult;
import org.engram.driver.engine.SweepRunner;
import org.engram.jobs.sweep.JobRegistry;
import org.engram.jobs.sweep.PreparedSweep;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Re-submitted sweeps compute only what the ledger lacks, and give the same tables. */
class LedgerTest {
    @TempDir
    Path out;

    static final List<String> BASE = List.of("params.throw-replicates=[]", "params.nan-replicates=[]");

    RunResult run(List<String> extra, String runId, boolean force) {
        List<String> sets = new ArrayList<>(BASE);
        sets.addAll(extra);
        return Sweeps.run(Sweeps.prepare("quick/engine.synthetic.conf", sets), "local[2]", out.toString(), runId, force);
    }

    static byte[] table(RunResult r) throws IOException {
        return Files.readAllBytes(new File(Sweeps.dir(r), "aggregated/trials.csv").toPath());
    }

    @Test
    void resubmissionsReuseExactlyTheUnchangedTrials() throws IOException {
        RunResult first = run(List.of(), "first", false);
        assertEquals(120, first.trials());
        assertEquals(0, first.reusedTrials());

        RunResult again = run(List.of(), "again", false);
        assertEquals(120, again.reusedTrials(), "everything is in the ledger");
        assertArrayEquals(table(first), table(again));
        var om = new com.fasterxml.jackson.databind.ObjectMapper();
        assertTrue(om.readTree(new File(Sweeps.dir(first), "manifest.json")).at("/runtime/spark_started").asBoolean());
        assertFalse(om.readTree(new File(Sweeps.dir(again), "manifest.json")).at("/runtime/spark_started")
                .asBoolean(true), "everything replayed: Spark never started");
        assertEquals("local[2]", om.readTree(new File(Sweeps.dir(again), "manifest.json")).at("/runtime/spark_master")
                .asText());

        RunResult forced = run(List.of(), "forced", true);
        assertEquals(0, forced.reusedTrials(), "--force recomputes");
        assertArrayEquals(table(first), table(forced));

        RunResult slower = run(List.of("params.work-nanos=1000"), "slower", false);
        assertEquals(120, slower.reusedTrials(), "work-nanos does not change results");

        RunResult wider = run(List.of("grid.x=[0, 1, 2, 3, 4, 5]"), "wider", false);
        assertEquals(144, wider.trials());
        assertEquals(120, wider.reusedTrials(), "only the new cells x = 5 run");

        RunResult more = run(List.of("replicates.count=16"), "more", false);
        assertEquals(160, more.trials());
        assertEquals(120, more.reusedTrials(), "replicates 12..15 are new units; 0..11 are reused");

        RunResult reseeded = run(List.of("sweep.seed=7"), "reseeded", false);
        assertEquals(0, reseeded.reusedTrials(), "a new seed changes every trial");
    }

    static final org.apache.hadoop.conf.Configuration HADOOP = new org.apache.hadoop.conf.Configuration();

    Ledger ledger() {
        return new Ledger(out.resolve("engine.synthetic.quick/ledger").toUri().toString());
    }

    static List<Path> files(Path dir, String suffix) throws IOException {
        try (var s = Files.walk(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix)
                    && !p.getFileName().toString().startsWith(".")).sorted().toList();
        }
    }

    RunResult runLogged(List<String> extra, String runId, java.io.ByteArrayOutputStream console) {
        List<String> sets = new ArrayList<>(BASE);
        sets.addAll(extra);
        return new SweepRunner(new java.io.PrintStream(console, true)).run(Sweeps.prepare("quick/engine.synthetic.conf",
                sets), new RunOptions("local[2]", java.util.Map.of("spark.ui.enabled", "false"), out.toString(), runId,
                false, false));
    }

    @Test
    void entriesRoundTripEveryCellValueTypeAndTheirKey() throws IOException {
        org.engram.jobs.config.Cell a = new org.engram.jobs.config.Cell(3, new String[] {"n", "d", "rule", "big", "on",
            "none", "when"}, new Object[] {100, 1.1, "hebb", 1L << 40, true, null, java.time.LocalDate.of(2026, 12, 2)});
        org.engram.jobs.config.Cell b = new org.engram.jobs.config.Cell(4, new String[] {"n"}, new Object[] {400});
        List<org.engram.jobs.core.TrialRow> rows = List.of(
                org.engram.jobs.core.TrialRow.ok("trials", a, 0, -7L, 0.5, Double.NaN, -0.0, Double.MIN_VALUE),
                org.engram.jobs.core.TrialRow.ok("curves", a, 1, Long.MAX_VALUE),
                org.engram.jobs.core.TrialRow.failed("trials", b, 2, 9L, "java.lang.ArithmeticException: ünïcode"));
        byte[] bytes = Ledger.encode("k1", rows);
        List<org.engram.jobs.core.TrialRow> back = Ledger.decode("k1", bytes, new org.apache.hadoop.fs.Path("/x"));
        assertEquals(rows.size(), back.size());
        for (int i = 0; i < rows.size(); i++) {
            var r = rows.get(i);
            var q = back.get(i);
            assertEquals(r.table(), q.table());
            assertEquals(r.cell().key(), q.cell().key());
            assertEquals(r.cell().index(), q.cell().index());
            for (int v = 0; v < r.cell().size(); v++) {
                assertEquals(r.cell().value(v), q.cell().value(v), "value types survive: " + r.cell().name(v));
            }
            assertEquals(r.replicate(), q.replicate());
            assertEquals(r.seed(), q.seed());
            assertEquals(r.status(), q.status());
            assertEquals(r.message(), q.message());
            assertEquals(r.metricCount(), q.metricCount());
            for (int m = 0; m < r.metricCount(); m++) {
                assertEquals(Double.doubleToRawLongBits(r.metric(m)), Double.doubleToRawLongBits(q.metric(m)));
            }
        }
        IOException misfiled = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                () -> Ledger.decode("k2", bytes, new org.apache.hadoop.fs.Path("/x")));
        org.junit.jupiter.api.Assertions.assertTrue(misfiled.getMessage().contains("misfiled: it holds the rows of k1"));
        org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> Ledger.decode("k1",
                java.util.Arrays.copyOf(bytes, bytes.length - 3), new org.apache.hadoop.fs.Path("/x")), "truncated");
    }

    @Test
    void segmentsAreBoundedByTasksNotUnits() throws IOException {
        RunResult first = run(List.of(), "tasks", false);
        // 30 units of 4 trials in min(30, 2 cores × 3) = 6 tasks, each sealing one segment (seal-seconds = 60)
        List<Path> segments = files(out.resolve("engine.synthetic.quick/ledger"), Ledger.SEGMENT);
        assertEquals(6, segments.size(), segments.toString());
        Ledger.Scan scan = ledger().scan(HADOOP);
        assertEquals(30, scan.entries().size(), "every unit recorded once");
        assertEquals(0, scan.corrupt());
        assertEquals(List.of(), scan.unsealed());
        assertEquals(0, first.failedTrials());
    }

    @Test
    void corruptTruncatedMisfiledAndForeignEntriesAreRecomputedAndRewritten() throws Exception {
        // one segment per unit (seal-seconds = 0), so each damage hits one entry
        RunResult first = run(List.of("ledger.seal-seconds=0"), "clean", false);
        Path dir = out.resolve("engine.synthetic.quick/ledger");
        List<Path> segs = files(dir, Ledger.SEGMENT);
        assertEquals(30, segs.size());
        Ledger ledger = ledger();
        Ledger.Scan scan = ledger.scan(HADOOP);
        List<String> keys = new ArrayList<>();
        for (Path p : segs) {
            keys.add(scan.entries().entrySet().stream().filter(e -> e.getValue().get(0).file().getName()
                    .equals(p.getFileName().toString())).findFirst().orElseThrow().getKey());
        }
        org.apache.hadoop.fs.FileSystem fs = org.apache.hadoop.fs.FileSystem.getLocal(HADOOP).getRaw();
        List<org.engram.jobs.core.TrialRow> rows0;
        List<org.engram.jobs.core.TrialRow> rows5;
        try (Ledger.Reader reader = new Ledger.Reader(fs)) {
            rows0 = reader.rows(keys.get(0), scan.entries().get(keys.get(0)).get(0));
            rows5 = reader.rows(keys.get(5), scan.entries().get(keys.get(5)).get(0));
        }
        // misfiled: unit 1's record holds unit 0's payload (a valid checksum, naming key 0)
        Files.delete(segs.get(1));
        Ledger.Segment misfiled = ledger.open(HADOOP, "test");
        misfiled.append(keys.get(1), Ledger.encode(keys.get(0), rows0));
        misfiled.close();
        // truncated: segment 2 cut in the middle of its payload; corrupted: a byte of segment 3's payload flipped
        byte[] b = Files.readAllBytes(segs.get(2));
        Files.write(segs.get(2), java.util.Arrays.copyOf(b, b.length / 2));
        byte[] c = Files.readAllBytes(segs.get(3));
        c[c.length / 2] ^= 0x5a;
        Files.write(segs.get(3), c);
        // foreign: unit 4's entry replaced by one of the first layout holding unit 5's rows
        Files.delete(segs.get(4));
        Path legacy = dir.resolve(keys.get(4).substring(0, 2)).resolve(keys.get(4) + Ledger.LEGACY);
        Files.createDirectories(legacy.getParent());
        try (var o = new java.io.ObjectOutputStream(new java.util.zip.GZIPOutputStream(Files.newOutputStream(legacy)))) {
            o.writeObject(new ArrayList<>(rows5));
        }
        Ledger.Scan damaged = ledger.scan(HADOOP);
        assertEquals(java.util.Set.of(keys.get(2), keys.get(3)), damaged.damaged(), "the cut and the flipped record");
        assertEquals(List.of(segs.get(2).getFileName().toString()), damaged.unsealed().stream().map(
                org.apache.hadoop.fs.Path::getName).toList());

        java.io.ByteArrayOutputStream console = new java.io.ByteArrayOutputStream();
        RunResult again = runLogged(List.of(), "after-damage", console);
        assertEquals(120 - 4 * 4, again.reusedTrials(), "the four damaged units (4 trials each) ran again");
        assertArrayEquals(table(first), table(again), "and the tables are the clean run's");
        String log = console.toString();
        org.junit.jupiter.api.Assertions.assertTrue(log.contains("warning: 4 ledger entries (16 trials) did not verify"),
                log);
        org.junit.jupiter.api.Assertions.assertTrue(log.contains("the ledger holds 104 of 120 trials (verified"), log);
        org.junit.jupiter.api.Assertions.assertTrue(log.contains("warning: 1 ledger segments are cut short"), log);
        RunResult third = run(List.of(), "third", false);
        assertEquals(120, third.reusedTrials(), "the new entries supersede the damaged ones");
        assertArrayEquals(table(first), table(third));

        // compaction folds 30 + 1 + 6 segments and the legacy file into one, dropping what does not verify
        Object[] r = CliTest.captured(() -> Engram.execute("ledger", "compact", out.toString()));
        assertEquals(0, r[0], r[1] + " " + r[2]);
        assertEquals(1, files(dir, Ledger.SEGMENT).size());
        assertEquals(List.of(), files(dir, Ledger.LEGACY));
        Ledger.Scan after = ledger.scan(HADOOP);
        assertEquals(30, after.entries().size());
        org.junit.jupiter.api.Assertions.assertTrue(after.entries().values().stream().allMatch(l -> l.size() == 1));
        RunResult fourth = run(List.of(), "fourth", false);
        assertEquals(120, fourth.reusedTrials(), "the compacted ledger replays everything");
        assertArrayEquals(table(first), table(fourth));
    }

    @Test
    void aLedgerOfTheFirstLayoutIsReplayedAndMigratedByCompaction() throws Exception {
        RunResult first = run(List.of(), "segments", false);
        Path dir = out.resolve("engine.synthetic.quick/ledger");
        Ledger ledger = ledger();
        Ledger.Scan scan = ledger.scan(HADOOP);
        org.apache.hadoop.fs.FileSystem fs = org.apache.hadoop.fs.FileSystem.getLocal(HADOOP).getRaw();
        // rewrite it as the first layout had it: one gzip file per unit under <two hex digits>/
        try (Ledger.Reader reader = new Ledger.Reader(fs)) {
            for (var e : scan.entries().entrySet()) {
                Path p = dir.resolve(e.getKey().substring(0, 2)).resolve(e.getKey() + Ledger.LEGACY);
                Files.createDirectories(p.getParent());
                Files.write(p, reader.bytes(e.getValue().get(0)));
            }
        }
        for (Path p : files(dir, Ledger.SEGMENT)) {
            Files.delete(p);
        }
        assertEquals(30, files(dir, Ledger.LEGACY).size());
        RunResult legacy = run(List.of(), "legacy", false);
        assertEquals(120, legacy.reusedTrials(), "a ledger of the first layout keeps working");
        assertArrayEquals(table(first), table(legacy));
        ledger.compact(HADOOP);
        assertEquals(List.of(), files(dir, Ledger.LEGACY), "migrated");
        assertEquals(1, files(dir, Ledger.SEGMENT).size());
        assertEquals(30, ledger.scan(HADOOP).entries().size());
        RunResult migrated = run(List.of(), "migrated", false);
        assertEquals(legacy.reusedTrials(), migrated.reusedTrials());
        assertArrayEquals(table(first), table(migrated));
    }

    @Test
    void aNewGridValueRecomputesOnlyItsCells() {
        List<String> base = List.of("grid.n=[60]", "grid.d=[1.1, 1.5]", "replicates.weight-draws=2");
        RunResult first = Sweeps.run("quick/rnn.reinforcement.conf", concat(base, "grid.a=[0.1, 1]"), "local[2]", out,
                "r1");
        RunResult second = Sweeps.run("quick/rnn.reinforcement.conf", concat(base, "grid.a=[0.1, 1, 10]"), "local[2]",
                out, "r2");
        assertEquals(2 * 2 * 8, first.trials());
        assertEquals(2 * 3 * 8, second.trials());
        assertEquals(first.trials(), second.reusedTrials(), "only the a = 10 cells run");
    }

    static List<String> concat(List<String> a, String b) {
        List<String> out = new ArrayList<>(a);
        out.add(b);
        return out;
    }

    @Test
    void codeVersionsAreStableAndDifferPerJob() {
        JobRegistry jobs = JobRegistry.standard();
        String a = Ledger.codeVersion(jobs.find("rnn.reinforcement"));
        assertEquals(a, Ledger.codeVersion(jobs.find("rnn.reinforcement")));
        assertNotEquals(a, Ledger.codeVersion(jobs.find("rnn.self-coupling")));
        assertEquals(64, a.length());
    }

    @Test
    void unitsWithFailuresAreNotRecorded() {
        PreparedSweep<?> p = Sweeps.prepare("quick/engine.synthetic.conf", List.of());
        RunResult r1 = Sweeps.run(p, "local[2]", out.toString(), "f1", false);
        assertEquals(20, r1.failedTrials());
        RunResult r2 = Sweeps.run(p, "local[2]", out.toString(), "f2", false);
        // units of 4 replicates: [0, 4) holds the throwing replicate 3 and [4, 8) the NaN replicate 5, so they
        // run again; [8, 12) is replayed, in each of the 10 cells
        assertEquals(40, r2.reusedTrials());
        assertEquals(20, r2.failedTrials());
    }
}
