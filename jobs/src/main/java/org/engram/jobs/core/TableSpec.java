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

    /** A succeeded row of this table for {@code cell}, filled metric by metric ({@link Row#set}) by handle. */
    public Row row(org.engram.jobs.config.Cell cell, int replicate, long seed) {
        return new Row(this, cell, replicate, seed);
    }

    /**
     * A row being filled by handle: every metric must be set (an optional one left unset is NaN, "not defined for
     * this trial"); a handle of another table, or a required metric left unset, is refused.
     */
    public static final class Row {
        private final TableSpec spec;
        private final org.engram.jobs.config.Cell cell;
        private final int replicate;
        private final long seed;
        private final double[] values;
        private final boolean[] set;

        private Row(TableSpec spec, org.engram.jobs.config.Cell cell, int replicate, long seed) {
            this.spec = spec;
            this.cell = cell;
            this.replicate = replicate;
            this.seed = seed;
            this.values = new double[spec.metrics().size()];
            this.set = new boolean[values.length];
        }

        /** Sets one metric. */
        public Row set(Metric metric, double value) {
            if (!metric.table().equals(spec.name()) || metric.index() >= values.length
                    || !spec.metrics().get(metric.index()).equals(metric.name())) {
                throw new IllegalArgumentException("metric " + metric.table() + "." + metric.name()
                        + " is not a metric of table " + spec.name() + " " + spec.metrics());
            }
            values[metric.index()] = value;
            set[metric.index()] = true;
            return this;
        }

        /** The row. */
        public TrialRow ok() {
            for (int i = 0; i < values.length; i++) {
                if (!set[i]) {
                    String m = spec.metrics().get(i);
                    if (!spec.optional().contains(m)) {
                        throw new IllegalStateException("table " + spec.name() + ": metric " + m + " was not set");
                    }
                    values[i] = Double.NaN;
                }
            }
            return TrialRow.ok(spec.name(), cell, replicate, seed, values);
        }
    }

    public int index(String metric) {
        int i = metrics.indexOf(metric);
        if (i < 0) {
            throw new IllegalArgumentException("table " + name + " has no metric '" + metric + "'");
        }
        return i;
    }
}
