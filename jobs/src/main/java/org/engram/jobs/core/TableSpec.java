package org.engram.jobs.core;

import java.io.Serializable;
import java.util.List;
import java.util.Set;

/**
 * A table of trial rows a job emits: its name, the metric columns of each row, and which of them may
 * legitimately be NaN ("not defined for this trial", e.g. J_D* of a weight draw that never fully
 * converged). A NaN in any other metric turns the trial into a FAILED row.
 */
public record TableSpec(String name, List<String> metrics, Set<String> optional, String description)
        implements Serializable {
    /**
     * The name of a job's wall-clock table (seconds per epoch and the like): the one table that differs from
     * run to run, so that every other table of a conf is byte-identical between runs; the nightly comparison
     * leaves it out.
     */
    public static final String TIMING = "timing";

    /**
     * A job's {@link #TIMING} table: {@code metrics} described by {@code what}, followed by what every such table
     * shares — wall clock inside a task, whose neighbours share the machine's memory bandwidth, and the one table
     * that differs from run to run.
     */
    public static TableSpec timing(List<String> metrics, String what) {
        return new TableSpec(TIMING, metrics, Set.of(), what + ". Wall clock inside the task: tasks running side by "
                + "side on one machine share its memory bandwidth (see the manifest's runtime.default_parallelism), "
                + "and unlike every other table this one differs from run to run");
    }

    public TableSpec {
        metrics = List.copyOf(metrics);
        optional = Set.copyOf(optional);
        for (String o : optional) {
            if (!metrics.contains(o)) {
                throw new IllegalArgumentException("optional metric '" + o + "' is not among " + metrics);
            }
        }
    }

    /** A handle on one of this table's metrics; an unknown name fails here, not as an empty lookup later. */
    public Metric metric(String name) {
        return new Metric(this.name, name, index(name));
    }

    /**
     * A succeeded row of this table: the cell, replicate, seed and one value per metric, in the order of
     * {@link #metrics()} — refused when the count differs.
     */
    public TrialRow ok(org.engram.jobs.config.Cell cell, int replicate, long seed, double... values) {
        if (values.length != metrics.size()) {
            throw new IllegalArgumentException("table " + name + " has " + metrics.size() + " metrics " + metrics
                    + ", a row gave " + values.length + " values");
        }
        return TrialRow.ok(name, cell, replicate, seed, values);
    }

    public int index(String metric) {
        int i = metrics.indexOf(metric);
        if (i < 0) {
            throw new IllegalArgumentException("table " + name + " has no metric '" + metric + "'");
        }
        return i;
    }
}
