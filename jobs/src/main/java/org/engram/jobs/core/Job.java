package org.engram.jobs.core;

import com.typesafe.config.Config;
import java.util.List;

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
public interface Job<S> {
    /** The id used in confs and on the CLI, e.g. {@code rnn.reinforcement}. */
    String id();

    /** One line for {@code engram jobs}. */
    String description();

    /**
     * Validates the job's section of the resolved configuration (grid, replicates, params) and builds the
     * plan. Every problem is added to {@code problems} (naming key, value and file:line); the plan is only
     * used when there are none.
     *
     * @param sweep the sweep's identity (seeds derive from it)
     * @param conf  the resolved sweep configuration (root)
     */
    Plan<S> plan(SweepIdentity sweep, Config conf, Problems problems);

    /** Tables and figures computed on the driver from the aggregated rows (small). */
    Derived derive(Plan<S> plan, List<Aggregate> aggregates);
}
