package org.engram.jobs.core;

import java.util.function.DoubleConsumer;
import org.engram.jobs.data.DataCache;
import org.engram.jobs.data.SharedState;

/**
 * What an executor hands each work unit it runs: its dataset cache and its store of shared state (both
 * one per executor JVM, owned by the engine), and where to report progress inside a long unit. Units reach
 * data and shared state only through this, never through a static, so a unit can be run in a test with a
 * context of its own. A successive-halving sweep adds a store of {@link Checkpoints}.
 */
public record UnitContext(DataCache data, SharedState shared, DoubleConsumer progressSink, Checkpoints checkpoints) {
    /** A context that ignores progress reports and keeps no checkpoints. */
    public UnitContext(DataCache data, SharedState shared) {
        this(data, shared, f -> { }, Checkpoints.NONE);
    }

    /** The same context with a store of checkpoints (a successive-halving sweep's). */
    public UnitContext withCheckpoints(Checkpoints store) {
        return new UnitContext(data, shared, progressSink, store);
    }

    /** A context for units that read no datasets: an empty loader and memory-only shared state. */
    public static UnitContext withoutData() {
        SharedState shared = new SharedState();
        return new UnitContext(new DataCache((root, name, split) -> {
            throw new IllegalStateException("this context has no datasets (asked for " + name + ")");
        }, shared), shared);
    }

    /** The same data and shared state with another progress sink (the engine's, per unit). */
    public UnitContext withProgress(DoubleConsumer sink) {
        return new UnitContext(data, shared, sink, checkpoints);
    }

    /**
     * Reports that {@code fraction} (0 … 1) of this unit's work is done — for units whose trials run long (a training
     * run per trial), so that progress and the ETA move before a trial ends. Optional: the engine also counts each
     * finished trial by its cost share.
     */
    public void progress(double fraction) {
        progressSink.accept(fraction);
    }
}
