package org.engram.driver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

    @Test
    void corruptTruncatedMisfiledAndForeignEntriesAreRecomputedAndRewritten() throws Exception {
        RunResult first = run(List.of(), "clean", false);
        List<Path> entries;
        try (var s = Files.walk(out.resolve("engine.synthetic.quick/ledger"))) {
            entries = s.filter(p -> p.getFileName().toString().endsWith(".rows.gz")).sorted().toList();
        }
        assertEquals(30, entries.size());
        // misfiled: entry 1 holds entry 0's rows; truncated: entry 2 cut in half; corrupted: a byte of entry 3
        // flipped; foreign: entry 4 replaced by an entry of the first format holding entry 5's rows
        Files.copy(entries.get(0), entries.get(1), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        byte[] b = Files.readAllBytes(entries.get(2));
        Files.write(entries.get(2), java.util.Arrays.copyOf(b, b.length / 2));
        byte[] c = Files.readAllBytes(entries.get(3));
        c[c.length / 2] ^= 0x5a;
        Files.write(entries.get(3), c);
        Ledger ledger = new Ledger(out.resolve("engine.synthetic.quick/ledger").toUri().toString());
        String key5 = entries.get(5).getFileName().toString().replace(".rows.gz", "");
        List<org.engram.jobs.core.TrialRow> rows5 = ledger.read(key5, new org.apache.hadoop.conf.Configuration());
        try (var o = new java.io.ObjectOutputStream(new java.util.zip.GZIPOutputStream(
                Files.newOutputStream(entries.get(4))))) {
            o.writeObject(new ArrayList<>(rows5));
        }
        java.io.ByteArrayOutputStream console = new java.io.ByteArrayOutputStream();
        RunResult again = new SweepRunner(new java.io.PrintStream(console, true)).run(Sweeps.prepare(
                "quick/engine.synthetic.conf", BASE), new RunOptions("local[2]", java.util.Map.of("spark.ui.enabled",
                "false"), out.toString(), "after-damage", true, false));
        assertEquals(120 - 4 * 4, again.reusedTrials(), "the four damaged units (4 trials each) ran again");
        assertArrayEquals(table(first), table(again), "and the tables are the clean run's");
        org.junit.jupiter.api.Assertions.assertTrue(console.toString().contains("warning: 16 of the 120 trials"),
                console.toString());
        RunResult third = run(List.of(), "third", false);
        assertEquals(120, third.reusedTrials(), "the rewritten entries verify");
        assertArrayEquals(table(first), table(third));
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
