package org.engram.jobs.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.engram.jobs.config.Cell;
import org.engram.jobs.config.Operational;
import org.junit.jupiter.api.Test;

/** Ledger keys come from record components: every setting enters by construction, operational ones are marked. */
class FingerprintTest {
    record Before(int epochs, double rate) {
    }

    /** {@link Before} with one component added — and no other edit. */
    record After(int epochs, double rate, int window) {
    }

    record WithOperational(int epochs, @Operational("batching") int batch, @Operational("location") String dir) {
    }

    record Unit(SweepIdentity sweep, Cell cell, int seed, Before settings, List<Integer> chunk, Set<String> names) {
    }

    private static final Cell CELL = new Cell(0, new String[] {"n", "d"}, new Object[] {100L, 1.5});

    @Test
    void addingAComponentChangesTheKey() {
        assertEquals("(epochs=5, rate=0.02)", Fingerprint.of(new Before(5, 0.02)));
        assertEquals("(epochs=5, rate=0.02, window=7)", Fingerprint.of(new After(5, 0.02, 7)));
        assertNotEquals(Fingerprint.of(new Before(5, 0.02)), Fingerprint.of(new After(5, 0.02, 7)));
    }

    @Test
    void operationalComponentsAreLeftOut() {
        assertEquals(Fingerprint.of(new WithOperational(5, 100, "/data")),
                Fingerprint.of(new WithOperational(5, 7, "hdfs://x/data")));
        assertNotEquals(Fingerprint.of(new WithOperational(5, 100, "/data")),
                Fingerprint.of(new WithOperational(6, 100, "/data")));
    }

    @Test
    void unitsPrintTheirSeedCellsAndNestedSettingsExactly() {
        SweepIdentity sweep = new SweepIdentity("s", 1);
        String f = Fingerprint.of(new Unit(sweep, CELL, 3, new Before(2, 0.1 + 0.2), List.of(1, 2),
                Set.of("b", "a")));
        assertEquals("(sweep=seed:" + sweep.seed() + ", cell={n=100,d=1.5}, seed=3, settings=(epochs=2, "
                + "rate=0.30000000000000004), chunk=[1,2], names=[\"a\",\"b\"])", f);
        assertNotEquals(f, Fingerprint.of(new Unit(new SweepIdentity("s", 2), CELL, 3, new Before(2, 0.3),
                List.of(1, 2), Set.of("a", "b"))));
    }

    @Test
    void stateTheKeyCannotSeeIsRefused() {
        record Holder(Object thing) {
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Fingerprint.of(new Holder(new StringBuilder("x"))));
        assertTrue(e.getMessage().contains("value.thing"), e.getMessage());
    }
}
