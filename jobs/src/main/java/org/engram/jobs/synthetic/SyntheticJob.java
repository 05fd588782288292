package org.engram.jobs.synthetic;

import com.typesafe.config.Config;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.engram.jobs.config.Grid;
import org.engram.jobs.config.Param;
import org.engram.jobs.config.Section;
import org.engram.jobs.core.Aggregate;
import org.engram.jobs.core.Cell;
import org.engram.jobs.core.Derived;
import org.engram.jobs.core.Job;
import org.engram.jobs.core.Operational;
import org.engram.jobs.core.Plan;
import org.engram.jobs.core.Problems;
import org.engram.jobs.core.ReplicateRange;
import org.engram.jobs.core.SweepIdentity;
import org.engram.jobs.core.TableSpec;
import org.engram.jobs.core.Trial;
import org.engram.jobs.core.TrialRow;
import org.engram.jobs.core.Trials;
import org.engram.jobs.core.UnitContext;
import org.engram.jobs.core.WorkUnit;
import org.engram.kernels.random.CounterRng;

/**
 * {@code engine.synthetic} — a job with known answers for testing and measuring the engine itself:
 * each trial's value is a uniform number drawn from its seed (plus {@code params.offset}), so aggregated means
 * can be checked exactly; chosen replicates throw or return NaN to exercise FAILED rows; tiny trials
 * measure the per-task overhead.
 */
public final class SyntheticJob implements Job<SyntheticJob.Settings> {
    public static final String ID = "engine.synthetic";
    static final TableSpec TRIALS = new TableSpec("trials", List.of("value", "x_plus_value"), Set.of(),
            "value = uniform(seed), x_plus_value = x + value");

    static final Param<Double> X = Param.real("x", -Double.MAX_VALUE, Double.MAX_VALUE, x -> true, "must be a number",
            "a value added to each trial's");
    static final Param<Long> K = Param.longInteger("k", Long.MIN_VALUE / 2, Long.MAX_VALUE / 2, "a label dimension");
    static final Param<Integer> COUNT = Param.integer("count", 1, 10_000_000, "trials per cell");
    static final Param<Double> OFFSET = Param.real("offset", -1e12, 1e12, "added to every value");
    static final Param<Integer> TRIALS_PER_UNIT = Param.integer("trials-per-unit", 1, 10_000_000,
            "replicates of a cell per work unit");
    static final Param<Long> WORK_NANOS = Param.longInteger("work-nanos", 0, 60_000_000_000L,
            "busy-wait per trial (overhead measurements)");

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "Engine self-test: known values from seeds, injected failures, per-task overhead";
    }

    /** Which replicates fail and how. */
    public record Settings(@Operational("chunking of replicates into units") int trialsPerUnit, Set<Integer> throwing,
                           Set<Integer> nan, @Operational("busy-waiting changes no value") long spinNanos,
                           double offset) implements java.io.Serializable {
    }

    @Override
    public Plan<Settings> plan(SweepIdentity sweep, Config conf, Problems problems) {
        List<Cell> cells = Grid.expand(conf, List.of(X, K), List.of(X), problems);
        Section rep = Section.declared(conf, "replicates", problems, List.of(COUNT));
        int count = rep.get(COUNT);
        Section p = Section.declared(conf, "params", problems,
                List.of(TRIALS_PER_UNIT, WORK_NANOS, OFFSET), "throw-replicates", "nan-replicates");
        double offset = p.get(OFFSET);
        int per = p.get(TRIALS_PER_UNIT);
        long spin = p.get(WORK_NANOS);
        Set<Integer> thr = ints(p, "throw-replicates");
        Set<Integer> nan = ints(p, "nan-replicates");
        if (!problems.isEmpty()) {
            return null;
        }
        Settings s = new Settings(per, thr, nan, spin, offset);
        List<WorkUnit> units = ReplicateRange.chunked(cells, count, per,
                (c, from, to) -> new Unit(sweep, c, from, to, s));
        return new Plan<>(cells, count, List.of(TRIALS), units, "trials", s);
    }

    private static Set<Integer> ints(Section p, String key) {
        Set<Integer> out = new HashSet<>();
        if (!p.has(key)) {
            return out;
        }
        try {
            for (Integer i : p.config().getIntList(key)) {
                out.add(i);
            }
        } catch (com.typesafe.config.ConfigException e) {
            p.problems().at(p.config(), key, "must be a list of integers");
        }
        return out;
    }

    /** The value a trial reports: uniform in [0, 1) from its seed. */
    public static double value(long seed) {
        return CounterRng.uniform(seed, 0);
    }

    record Unit(SweepIdentity sweep, Cell cell, int from, int to, Settings settings) implements ReplicateRange {
        @Override
        public TableSpec table() {
            return TRIALS;
        }

        @Override
        public String seedStream() {
            return "value";
        }

        @Override
        public double cost() {
            return to - from;
        }

        @Override
        public void run(UnitContext context, Consumer<TrialRow> out) {
            for (Trial t : trialsOwed()) {
                int r = t.replicate();
                Trials.guard(t, out, o -> {
                    if (settings.throwing().contains(r)) {
                        throw new IllegalStateException("injected failure in replicate " + r);
                    }
                    if (settings.spinNanos() > 0) {
                        long end = System.nanoTime() + settings.spinNanos();
                        while (System.nanoTime() < end) {
                            Thread.onSpinWait();
                        }
                    }
                    double v = settings.nan().contains(r) ? Double.NaN : value(t.seed()) + settings.offset();
                    o.accept(TrialRow.ok(TRIALS.name(), cell, r, t.seed(), v, X.at(cell) + v));
                });
            }
        }
    }

    @Override
    public Derived derive(Plan<Settings> plan, List<Aggregate> aggregates) {
        return new Derived(List.of(), List.of());
    }
}
