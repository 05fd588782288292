package org.engram.jobs.config;

import java.io.File;
import java.util.List;
import org.engram.jobs.core.Plan;
import org.engram.jobs.core.Problems;

/** A sweep loaded, validated and planned: nothing is left to check before Spark starts. */
public record PreparedSweep(LoadedSweep sweep, Plan plan) {
    /**
     * Loads, validates and plans; throws {@link Problems.InvalidConfig} naming every problem (key,
     * value, file:line) when anything is wrong.
     */
    public static PreparedSweep prepare(File file, List<String> sets, JobRegistry jobs) {
        Problems problems = new Problems();
        LoadedSweep s = SweepLoader.load(file, sets, jobs, problems);
        Plan plan = s.job().plan(s.identity(), s.jobConf(), problems);
        problems.throwIfAny("Sweep " + s.source());
        if (plan.units().isEmpty()) {
            problems.add(file.getPath(), "grid", null, "the sweep has no work");
            problems.throwIfAny("Sweep " + s.source());
        }
        return new PreparedSweep(s, plan);
    }
}
