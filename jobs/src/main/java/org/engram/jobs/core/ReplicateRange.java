package org.engram.jobs.core;

import java.util.ArrayList;
import java.util.List;
import org.engram.jobs.config.Cell;

/**
 * A unit that is replicates [from, to) of one cell, each an independent trial whose seed is drawn from
 * (cell, replicate, {@link #seedStream()}) — the common shape of cheap trials chunked into units. Its key, the
 * trials it owes and their count come from here; the plan builds such units with {@link #chunked}.
 */
public interface ReplicateRange extends WorkUnit {
    SweepIdentity sweep();

    Cell cell();

    int from();

    int to();

    /** The main table each replicate emits one row of. */
    TableSpec table();

    /** The name of the random stream a replicate's seed is derived for. */
    String seedStream();

    @Override
    default String key() {
        return cell().key() + "/replicates=" + from() + "-" + to();
    }

    @Override
    default List<Trial> trialsOwed() {
        List<Trial> out = new ArrayList<>(to() - from());
        for (int r = from(); r < to(); r++) {
            out.add(new Trial(table().name(), cell(), r, sweep().derive(cell().key(), r, seedStream())));
        }
        return out;
    }

    @Override
    default int trials() {
        return to() - from();
    }

    /** Makes the unit of replicates [from, to) of a cell. */
    @FunctionalInterface
    interface Maker {
        WorkUnit make(Cell cell, int from, int to);
    }

    /** Makes the unit of replicates [from, to) of a cell, given that cell's settings. */
    @FunctionalInterface
    interface CellMaker<S extends Record> {
        WorkUnit make(SweepIdentity sweep, Cell cell, int from, int to, S settings);
    }

    /**
     * The plan of a job whose units are chunks of one cell's replicates: {@code replicates} per cell in chunks of at
     * most {@code perUnit}, each unit made with its cell's settings.
     */
    static <S extends Record> Plan<S> plan(Setup<S> setup, int replicates, int perUnit, List<TableSpec> tables,
                                           String costUnit, CellMaker<S> maker) {
        List<WorkUnit> units = chunked(setup.cells(), replicates, perUnit,
                (c, from, to) -> maker.make(setup.sweep(), c, from, to, setup.at(c)));
        return new Plan<>(setup, replicates, tables, units, costUnit);
    }

    /** Every cell's {@code replicates} in chunks of at most {@code perUnit}, one unit each. */
    static List<WorkUnit> chunked(List<Cell> cells, int replicates, int perUnit, Maker maker) {
        List<WorkUnit> units = new ArrayList<>();
        for (Cell c : cells) {
            for (int[] r : Trials.chunks(replicates, perUnit)) {
                units.add(maker.make(c, r[0], r[1]));
            }
        }
        return units;
    }
}
