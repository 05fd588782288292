package org.engram.jobs.sweep;

import java.io.File;
import java.util.List;
import org.engram.jobs.config.Cell;
import org.engram.jobs.config.Grid;
import org.engram.jobs.config.Problems;
import org.engram.jobs.config.Schema;
import org.engram.jobs.core.Aggregate;
import org.engram.jobs.core.Derived;
import org.engram.jobs.core.Job;
import org.engram.jobs.core.Plan;
import org.engram.jobs.core.Setup;

/**
 * A sweep loaded, validated and planned: nothing is left to check before Spark starts. The job and its
 * plan travel together, typed, so the plan reaches {@link Job#derive} without a cast.
 *
 * @param <S> the job's settings type
 */
public record PreparedSweep<S extends Record>(LoadedSweep sweep, Job<S> job, Plan<S> plan) {
    /**
     * Loads, validates and plans; throws {@link Problems.InvalidConfig} naming every problem (key,
     * value, file:line) when anything is wrong.
     */
    public static PreparedSweep<?> prepare(File file, List<String> sets, JobRegistry jobs) {
        return prepare(file, sets, jobs, (s, problems) -> { });
    }

    /**
     * Loads, validates and plans as {@link #prepare(File, List, JobRegistry)}, and lets {@code sections} validate
     * the sections that are not the job's (the driver's {@code spark}, {@code ledger}, {@code export}) with the same
     * problems, so that every problem of the file is reported at once.
     */
    public static PreparedSweep<?> prepare(File file, List<String> sets, JobRegistry jobs,
                                           java.util.function.BiConsumer<LoadedSweep, Problems> sections) {
        Problems problems = new Problems();
        LoadedSweep s = SweepLoader.load(file, sets, jobs, problems);
        sections.accept(s, problems);
        return plan(s, s.job(), problems, file);
    }

    private static <S extends Record> PreparedSweep<S> plan(LoadedSweep s, Job<S> job, Problems problems, File file) {
        // refuse an oversized plan before the job builds its units (10⁸ units would take minutes and the heap)
        long cap = s.effective().hasPath("sweep.max-trials") ? s.effective().getLong("sweep.max-trials") : Long.MAX_VALUE;
        double cells = Grid.count(s.jobConf());
        double replicates = replicates(s.jobConf());
        // (a cap below 1 is already a problem of its own: the plan's other problems are then reported with it)
        if (cap >= 1 && cells * replicates > cap) {
            double trials = cells * replicates;
            problems.add(file.getPath(), "sweep.max-trials", String.valueOf(cap), String.format(java.util.Locale.ROOT,
                    "the plan would have %s trials (%.0f cells × %.0f replicates per cell), above the cap; shrink "
                    + "the grid or the replicates, or raise sweep.max-trials", trials < 1e15
                            ? String.format(java.util.Locale.ROOT, "%.0f", trials)
                            : String.format(java.util.Locale.ROOT, "%.3g", trials), cells, replicates));
            problems.throwIfAny("Sweep " + s.source());
        }
        Plan<S> plan = job.plan(bind(s, job, problems));
        if (plan.units().isEmpty()) {
            problems.add(file.getPath(), "grid", null, "the sweep has no work");
            problems.throwIfAny("Sweep " + s.source());
        }
        return new PreparedSweep<>(s, job, plan);
    }

    /**
     * The job's settings record bound from the sweep's {@code params} and {@code replicates}, and its grid's cells,
     * checked by the job's cross-parameter rules; throws naming every problem found.
     */
    @SuppressWarnings("unchecked")
    static <S extends Record> Setup<S> bind(LoadedSweep s, Job<S> job, Problems problems) {
        Class<?> type = Schema.settingsOf(job.getClass(), Job.class);
        if (type == null || !type.isRecord()) {
            throw new IllegalStateException(job.getClass().getName() + " does not name its settings record as Job<S>");
        }
        Schema<S> schema = Schema.of((Class<S>) type);
        S settings = schema.bind(s.jobConf(), problems);
        List<Cell> cells = schema.cells(s.jobConf(), job.gridRequires(), problems);
        problems.throwIfAny("Sweep " + s.source());
        Setup<S> setup = new Setup<>(s.identity(), s.jobConf(), schema, settings, cells);
        job.check(setup, problems);
        problems.throwIfAny("Sweep " + s.source());
        return setup;
    }

    /** The product of the whole numbers of the replicates section (its counts: seeds, draws × states, …). */
    static double replicates(com.typesafe.config.Config jobConf) {
        if (!jobConf.hasPath("replicates")) {
            return 1;
        }
        double r = 1;
        for (var e : jobConf.getConfig("replicates").root().entrySet()) {
            Object v = e.getValue().unwrapped();
            if (v instanceof Number n && n.doubleValue() >= 1) {
                r *= n.doubleValue();
            }
        }
        return r;
    }

    /** The job's derived tables and figures from the aggregated rows. */
    public Derived derive(List<Aggregate> aggregates) {
        return job.derive(plan, aggregates);
    }
}
