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
