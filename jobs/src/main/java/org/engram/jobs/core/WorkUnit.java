package org.engram.jobs.core;

import java.io.Serializable;
import java.util.function.Consumer;

/**
 * A group of trials that share expensive state (one coupling matrix for every (d, a) cell and initial
 * state of a weight draw, say) and therefore run in one Spark task. A unit is immutable and carries
 * everything it needs: the cells it covers, seeds derived from what each trial is, and the kernel
 * settings.
 */
public interface WorkUnit extends Serializable {
    /** Canonical identity, e.g. {@code n=1000/draw=3}; unique within a plan. */
    String key();

    /**
     * Everything that determines this unit's rows — the sweep's seed, the cells and replicates, the
     * settings that change results — and nothing that only changes how they are computed (batch
     * sizes, threads, storage). Together with the job's code version it addresses the unit's rows in
     * the ledger of finished work.
     */
    String fingerprint();

    /** Estimated cost in arbitrary but consistent units (used to balance partitions). */
    double cost();

    /** Number of trial rows of the main table this unit emits. */
    int trials();

    /**
     * Runs every trial and hands each row to {@code out}. A trial that fails is reported as a
     * {@link TrialRow#failed} row; the unit never throws for a trial's failure (the engine turns any
     * exception that escapes into FAILED rows for all of the unit's trials, with no retry).
     */
    void run(Consumer<TrialRow> out);

    /** FAILED rows for every trial of this unit, used when {@link #run} throws. */
    void failAll(String message, Consumer<TrialRow> out);
}
