package org.engram.jobs.core;

import com.typesafe.config.Config;
import java.util.List;

/**
 * A catalogue entry (see {@code EXPERIMENTS.md}): turns a validated configuration into a plan of
 * work units, and the aggregated tables back into derived tables and figures.
 */
public interface Job {
    /** The id used in confs and on the CLI, e.g. {@code rnn.reinforcement}. */
    String id();

    /** One line for {@code engram jobs}. */
    String description();

    /**
     * Validates the job's section of the resolved configuration (grid, replicates, params) and builds
     * the plan. Every problem is added to {@code problems} (naming key, value and file:line); the plan
     * is only used when there are none.
     *
     * @param sweep the sweep's identity (seeds derive from it)
     * @param conf  the resolved sweep configuration (root)
     */
    Plan plan(SweepIdentity sweep, Config conf, Problems problems);

    /**
     * The {@link WorkUnit} classes this job's plans contain. Spark ships units to executors with Kryo
     * (registration required); they are registered with Java serialization, since units are small,
     * immutable and hold records.
     */
    List<Class<? extends WorkUnit>> unitClasses();

    /**
     * The classes whose code decides a trial's result (the job, its units, the kernels): their
     * bytecode is the code version of the job's ledger entries, so changing any of them invalidates
     * exactly this job's finished trials.
     */
    List<Class<?>> codeClasses();

    /** Tables and figures computed on the driver from the aggregated rows (small). */
    Derived derive(Plan plan, List<Aggregate> aggregates);
}
