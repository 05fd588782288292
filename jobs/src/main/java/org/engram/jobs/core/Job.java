package org.engram.jobs.core;

import java.util.List;
import org.engram.jobs.config.Problems;

/**
 * A catalogue entry (see {@code EXPERIMENTS.md}): turns a validated configuration into a plan of work
 * units, and the aggregated tables back into derived tables and figures. One class per entry; what
 * entries share is a helper they call.
 *
 * <p>What a job does not declare, the kit derives: the code version of its ledger entries is the bytecode
 * it can reach ({@link CodeVersion}), its units' ledger keys come from their record components
 * ({@link Fingerprint}), and the unit classes Kryo registers are the {@link WorkUnit}s among the classes
 * it reaches.
 *
 * @param <S> the job's validated settings, carried by its plans to {@link #derive}
 */
public interface Job<S extends Record> {
    /** The id used in confs and on the CLI, e.g. {@code rnn.reinforcement}. */
    String id();

    /** One line for {@code engram jobs}. */
    String description();

    /**
     * Grid dimensions this job needs beyond those its settings declare {@code grid = MUST} (a job that shares a
     * family's settings record but is about one of its parameters: {@code kh.grid} needs eps0 and delta).
     */
    default List<String> gridRequires() {
        return List.of();
    }

    /**
     * Rules across parameters that single declarations cannot state (P = αN at least 1, say): each broken one is
     * added to {@code problems}, naming the key and value. Called only when every parameter is valid on its own.
     */
    default void check(Setup<S> setup, Problems problems) {
    }

    /** The plan of a valid sweep: its cells, tables and units (never null: every problem was found before). */
    Plan<S> plan(Setup<S> setup);

    /**
     * The boundaries an adaptive sweep can refine by name ({@code sweep.adaptive.boundary = regime}), beyond a
     * threshold on any metric, which every job has ({@code boundary { metric = converged, at = 0.5 }}).
     */
    default List<Boundary<S>> boundaries() {
        return List.of();
    }

    /**
     * The settings key a successive-halving sweep gives rungs of (its budget: {@code epochs}), or null when the job's
     * units cannot continue from a {@link Checkpoints checkpoint}. A job that names one promises that a unit with
     * budget b, finding the state its own run reached at b′ < b, continues from it and emits exactly the rows it
     * would have emitted from the start.
     */
    default String budget() {
        return null;
    }

    /** Tables and figures computed on the driver from the aggregated rows (small). */
    Derived derive(Plan<S> plan, List<Aggregate> aggregates);
}
