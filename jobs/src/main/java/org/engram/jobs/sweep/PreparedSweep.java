package org.engram.jobs.sweep;

import org.engram.jobs.config.Grid;

import java.io.File;
import java.util.List;
import org.engram.jobs.core.Aggregate;
import org.engram.jobs.core.Derived;
import org.engram.jobs.core.Job;
import org.engram.jobs.core.Plan;
import org.engram.jobs.core.Problems;

/**
 * A sweep loaded, validated and planned: nothing is left to check before Spark starts. The job and its
 * plan travel together, typed, so the plan reaches {@link Job#derive} without a cast.
 *
 * @param <S> the job's settings type
 */
public record PreparedSweep<S>(LoadedSweep sweep, Job<S> job, Plan<S> plan) {
    /**
     * Loads, validates and plans; throws {@link Problems.InvalidConfig} naming every problem (key,
     * value, file:line) when anything is wrong.
     */
    public static PreparedSweep<?> prepare(File file, List<String> sets, JobRegistry jobs) {
        Problems problems = new Problems();
        LoadedSweep s = SweepLoader.load(file, sets, jobs, problems);
        return plan(s, s.job(), problems, file);
    }

    private static <S> PreparedSweep<S> plan(LoadedSweep s, Job<S> job, Problems problems, File file) {
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
        Plan<S> plan = job.plan(s.identity(), s.jobConf(), problems);
        problems.throwIfAny("Sweep " + s.source());
        if (plan.units().isEmpty()) {
            problems.add(file.getPath(), "grid", null, "the sweep has no work");
            problems.throwIfAny("Sweep " + s.source());
        }
        return new PreparedSweep<>(s, job, plan);
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
