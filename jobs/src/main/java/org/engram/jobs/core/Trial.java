package org.engram.jobs.core;

import java.io.Serializable;
import org.engram.jobs.config.Cell;

/**
 * One trial a unit owes: the main-table row it will emit (table, cell, replicate) and the seed it runs
 * from. A unit lists its trials ({@link WorkUnit#trialsOwed()}); the kit turns any that were not delivered
 * into FAILED rows when the work throws ({@link Trials#guard}), so no unit writes its own catch block or
 * failure loop.
 */
public record Trial(String table, Cell cell, int replicate, long seed) implements Serializable {
    /** This trial's FAILED row. */
    public TrialRow failed(String message) {
        return TrialRow.failed(table, cell, replicate, seed, message);
    }

    boolean is(TrialRow row) {
        return row.table().equals(table) && row.replicate() == replicate && row.cell().key().equals(cell.key());
    }
}
