package org.engram.jobs.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.engram.jobs.config.Cell;
import org.junit.jupiter.api.Test;

/** The kit's failure handling and work shapes. */
class TrialsTest {
    private static final Cell CELL = new Cell(2, new String[] {"n"}, new Object[] {10L});
    private static final TableSpec TABLE = new TableSpec("trials", List.of("x", "y"), Set.of("y"), "test");

    private static List<Trial> owed(int count) {
        List<Trial> out = new ArrayList<>();
        for (int r = 0; r < count; r++) {
            out.add(new Trial("trials", CELL, r, 100 + r));
        }
        return out;
    }

    @Test
    void anExceptionFailsExactlyTheTrialsNotYetDelivered() {
        List<TrialRow> rows = new ArrayList<>();
        boolean done = Trials.guard(owed(4), rows::add, out -> {
            out.accept(TrialRow.ok("trials", CELL, 0, 100, 1, 2));
            out.accept(TrialRow.ok("curve", CELL, 1, 101, 5)); // another table's row does not settle trial 1
            out.accept(TrialRow.ok("trials", CELL, 2, 102, 1, 2));
            throw new IllegalStateException("boom");
        });
        assertFalse(done);
        assertEquals(List.of("OK 0", "OK 1", "OK 2", "FAILED 1", "FAILED 3"),
                rows.stream().map(r -> r.status() + " " + r.replicate()).toList());
        TrialRow failed = rows.get(3);
        assertEquals(101, failed.seed(), "the failed row keeps the trial's seed");
        assertTrue(failed.message().contains("boom"));
    }

    @Test
    void workThatCompletesPassesEveryRowOn() {
        List<TrialRow> rows = new ArrayList<>();
        assertTrue(Trials.guard(owed(1), rows::add, out -> out.accept(TrialRow.ok("trials", CELL, 0, 100, 1, 2))));
        assertEquals(1, rows.size());
    }

    @Test
    void aNanInARequiredMetricIsAFailureAndInAnOptionalOneIsNot() {
        assertFalse(Trials.checked(TrialRow.ok("trials", CELL, 0, 1, Double.NaN, 2), TABLE).isOk());
        assertTrue(Trials.checked(TrialRow.ok("trials", CELL, 0, 1, 1, Double.NaN), TABLE).isOk());
        assertFalse(Trials.checked(TrialRow.ok("trials", CELL, 0, 1, 1, Double.POSITIVE_INFINITY), TABLE).isOk());
        assertEquals("metric x is NaN", Trials.checked(TrialRow.ok("trials", CELL, 0, 1, Double.NaN, 2), TABLE).message());
        assertFalse(Trials.checked(TrialRow.ok("trials", CELL, 0, 1, 1), TABLE).isOk(), "wrong metric count");
        assertFalse(Trials.checked(TrialRow.ok("other", CELL, 0, 1, 1, 2), null).isOk(), "undeclared table");
    }

    @Test
    void chunksCoverEveryReplicateOnce() {
        assertEquals("[0, 4] [4, 8] [8, 10]", String.join(" ", Trials.chunks(10, 4).stream()
                .map(java.util.Arrays::toString).toList()));
        assertEquals(List.of(List.of(1, 2), List.of(3)), Trials.chunks(List.of(1, 2, 3), 2));
    }

    @Test
    void extendAddsOneCoordinateAndKeepsTheIndex() {
        Cell e = Trials.extend(CELL, "epoch", 3L);
        assertEquals("n=10,epoch=3", e.key());
        assertEquals(2, e.index());
    }
}
