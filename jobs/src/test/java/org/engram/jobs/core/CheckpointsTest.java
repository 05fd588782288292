package org.engram.jobs.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The promise of a job that names a budget: a run continued from the checkpoint of a shorter run emits exactly the
 * rows a run from the start emits (the timing table aside: wall clock). Each job is run at 3 epochs keeping its state,
 * then at 5 continuing from it, against 5 from the start without a store.
 */
class CheckpointsTest {
    /** Checkpoints in memory, counting what was found. */
    static final class Memory implements Checkpoints {
        final Map<String, byte[]> kept = new ConcurrentHashMap<>();
        final AtomicInteger found = new AtomicInteger();

        @Override
        public byte[] read(String key) {
            byte[] b = kept.get(key);
            if (b != null) {
                found.incrementAndGet();
            }
            return b;
        }

        @Override
        public void write(String key, byte[] value) {
            kept.putIfAbsent(key, value);
        }

        @Override
        public boolean enabled() {
            return true;
        }
    }

    /** Every row but the timing table's, as text, in emission order. */
    static List<String> rows(LocalSweep.Result r) {
        List<String> out = new ArrayList<>();
        for (TrialRow row : r.rows()) {
            if (row.table().equals("timing")) {
                continue;
            }
            StringBuilder sb = new StringBuilder(row.table() + " " + row.cell().key() + " " + row.replicate() + " "
                    + row.isOk());
            for (int i = 0; row.isOk() && i < r.prepared().plan().table(row.table()).metrics().size(); i++) {
                sb.append(' ').append(row.metric(i));
            }
            out.add(sb.toString());
        }
        return out;
    }

    static void continuesExactly(String job, int units, String... sets) {
        Memory store = new Memory();
        List<String> at3 = new ArrayList<>(List.of(sets));
        at3.add("params.epochs=3");
        List<String> at5 = new ArrayList<>(List.of(sets));
        at5.add("params.epochs=5");
        LocalSweep.run(LocalSweep.prepare(job, at3.toArray(String[]::new)), store);
        assertEquals(units, store.kept.size(), job + ": one checkpoint per training run");
        LocalSweep.Result continued = LocalSweep.run(LocalSweep.prepare(job, at5.toArray(String[]::new)), store);
        assertEquals(units, store.found.get(), job + ": every run at 5 epochs continued from its state at 3");
        LocalSweep.Result fresh = LocalSweep.run(LocalSweep.prepare(job, at5.toArray(String[]::new)));
        List<String> a = rows(fresh);
        assertTrue(a.stream().allMatch(x -> x.contains(" true")), job + ": no failed row " + a);
        assertEquals(a, rows(continued), job + ": the continued runs emit the rows of runs from the start");
    }

    @Test
    void aKhClassificationRunContinuedFromItsCheckpointEmitsTheRowsOfARunFromTheStart() {
        continuesExactly("kh.classification", 4, "grid.hidden=[8]", "params.schedule=4", "params.train-rows=200",
                "params.eval-rows=100", "params.holdout-rows=100", "params.batch=20", "replicates.seeds=2");
    }

    @Test
    void mlcmChainsAndBaselinesContinuedFromTheirCheckpointsEmitTheRowsOfRunsFromTheStart() {
        // eval-every = 2: the 3-epoch run evaluates after its last epoch (3), the 5-epoch run does not
        continuesExactly("mlcm.baseline", 3, "grid.variant=[projected]", "grid.model=[mlcm, perceptron, "
                + "thesis-perceptron]", "params.n=128", "params.layers=2", "params.lambda-left=[0, 1]",
                "params.lambda-right=[1, 0]", "params.train-rows=200", "params.eval-rows=100",
                "params.train-eval-rows=100", "params.holdout-rows=100", "replicates.seeds=1", "params.batch=20",
                "params.eval-every=2");
    }
}
