package org.engram.jobs.core;

import org.engram.jobs.data.DataCache;
import org.engram.jobs.data.SharedState;

/**
 * What an executor hands each work unit it runs: its dataset cache and its store of shared state (both
 * one per executor JVM, owned by the engine). Units reach data and shared state only through this, never
 * through a static, so a unit can be run in a test with a context of its own.
 */
public record UnitContext(DataCache data, SharedState shared) {
    /** A context for units that read no datasets: an empty loader and memory-only shared state. */
    public static UnitContext withoutData() {
        SharedState shared = new SharedState();
        return new UnitContext(new DataCache((root, name, split) -> {
            throw new IllegalStateException("this context has no datasets (asked for " + name + ")");
        }, shared), shared);
    }
}
