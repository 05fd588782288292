package org.engram.jobs.core;

import java.io.Serializable;
import java.util.List;
import java.util.function.Consumer;

/**
 * A group of trials that share expensive state (one coupling matrix for every (d, a) cell and initial
 * state of a weight draw, say) and therefore run in one Spark task. A unit is an immutable record and
 * carries everything it needs: the cells it covers, seeds derived from what each trial is, and the kernel
 * settings. Its ledger fingerprint is computed from its components ({@link Fingerprint}), so every setting
 * it carries enters the key unless marked {@link Operational}.
 */
public interface WorkUnit extends Serializable {
    /** Canonical identity, e.g. {@code n=1000/draw=3}; unique within a plan. */
    String key();

    /**
     * Everything that determines this unit's rows — the sweep's seed, the cells and replicates, the settings
     * that change results — and nothing that only changes how they are computed. Together with the job's
     * code version it addresses the unit's rows in the ledger of finished work.
     */
    default String fingerprint() {
        return Fingerprint.of(this);
    }

    /** Estimated cost in arbitrary but consistent units (used to balance partitions and for progress). */
    double cost();

    /**
     * The rows this unit owes — its main-table trials, and any summary row it adds per unit — in order: what
     * becomes FAILED rows if its work throws.
     */
    List<Trial> trialsOwed();

    /** Number of trial rows of the main table this unit emits (override when {@link #trialsOwed} holds others). */
    default int trials() {
        return trialsOwed().size();
    }

    /**
     * Runs every trial and hands each row to {@code out}. Work that can fail on its own (one cell of
     * several, say) runs inside {@link Trials#guard}; an exception that escapes turns every trial of the
     * unit into a FAILED row ({@link #failAll}), with no retry.
     *
     * @param context what the executor provides: datasets and the shared-state store
     */
    void run(UnitContext context, Consumer<TrialRow> out);

    /** FAILED rows for every trial of this unit, used when {@link #run} throws. */
    default void failAll(String message, Consumer<TrialRow> out) {
        for (Trial t : trialsOwed()) {
            out.accept(t.failed(message));
        }
    }
}
