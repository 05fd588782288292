package org.engram.jobs.sweep;

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
        Plan<S> plan = job.plan(s.identity(), s.jobConf(), problems);
        problems.throwIfAny("Sweep " + s.source());
        if (plan.units().isEmpty()) {
            problems.add(file.getPath(), "grid", null, "the sweep has no work");
            problems.throwIfAny("Sweep " + s.source());
        }
        return new PreparedSweep<>(s, job, plan);
    }

    /** The job's derived tables and figures from the aggregated rows. */
    public Derived derive(List<Aggregate> aggregates) {
        return job.derive(plan, aggregates);
    }
}
