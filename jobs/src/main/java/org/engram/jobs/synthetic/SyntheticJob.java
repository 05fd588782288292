package org.engram.jobs.synthetic;

import static org.engram.jobs.config.Setting.Vary.GRID;
import static org.engram.jobs.config.Setting.Vary.MUST;

import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.engram.jobs.config.Cell;
import org.engram.jobs.config.Operational;
import org.engram.jobs.config.Setting;
import org.engram.jobs.core.Aggregate;
import org.engram.jobs.core.Derived;
import org.engram.jobs.core.Job;
import org.engram.jobs.core.Metric;
import org.engram.jobs.core.Plan;
import org.engram.jobs.core.ReplicateRange;
import org.engram.jobs.core.Setup;
import org.engram.jobs.core.SweepIdentity;
import org.engram.jobs.core.TableSpec;
import org.engram.jobs.core.Trial;
import org.engram.jobs.core.TrialRow;
import org.engram.jobs.core.Trials;
import org.engram.jobs.core.UnitContext;
import org.engram.kernels.random.CounterRng;

/**
 * {@code engine.synthetic} — a job with known answers for testing and measuring the engine itself:
 * each trial's value is a uniform number drawn from its seed (plus {@code params.offset}), so aggregated means
 * can be checked exactly; chosen replicates throw or return NaN to exercise FAILED rows; tiny trials
 * measure the per-task overhead.
 */
public final class SyntheticJob implements Job<SyntheticJob.Settings> {
    static final TableSpec TRIALS = new TableSpec("trials", List.of("value", "x_plus_value"), Set.of(),
            "value = uniform(seed), x_plus_value = x + value");
    static final Metric VALUE = TRIALS.metric("value");
    static final Metric X_PLUS_VALUE = TRIALS.metric("x_plus_value");

    @Override
    public String id() {
        return "engine.synthetic";
    }

    @Override
    public String description() {
        return "Engine self-test: known values from seeds, injected failures, per-task overhead";
    }

    /** The parameters: a label grid, the trials per cell, and which replicates fail and how. */
    public record Settings(
            @Setting(doc = "a value added to each trial's", requirement = "must be a number", grid = MUST) double x,
            @Setting(doc = "a label dimension", min = Long.MIN_VALUE / 2, max = Long.MAX_VALUE / 2, grid = GRID) long k,
            @Setting(doc = "trials per cell", min = 1, max = 10_000_000, replicates = true) int count,
            @Setting(doc = "replicates of a cell per work unit", min = 1, max = 10_000_000)
            @Operational("chunking of replicates into units") int trialsPerUnit,
            @Setting(doc = "replicates that throw") Set<Integer> throwReplicates,
            @Setting(doc = "replicates that return NaN") Set<Integer> nanReplicates,
            @Setting(key = "work-nanos", doc = "busy-wait per trial (overhead measurements)", min = 0,
                    max = 60_000_000_000L) @Operational("busy-waiting changes no value") long spinNanos,
            @Setting(doc = "added to every value", min = -1e12, max = 1e12) double offset)
            implements java.io.Serializable {
    }

    @Override
    public Plan<Settings> plan(Setup<Settings> setup) {
        Settings s = setup.settings();
        return ReplicateRange.plan(setup, s.count(), s.trialsPerUnit(), List.of(TRIALS), "trials", Unit::new);
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
                    if (settings.throwReplicates().contains(r)) {
                        throw new IllegalStateException("injected failure in replicate " + r);
                    }
                    if (settings.spinNanos() > 0) {
                        long end = System.nanoTime() + settings.spinNanos();
                        while (System.nanoTime() < end) {
                            Thread.onSpinWait();
                        }
                    }
                    double v = settings.nanReplicates().contains(r) ? Double.NaN : value(t.seed()) + settings.offset();
                    o.accept(TRIALS.row(cell, r, t.seed())
                            .set(VALUE, v)
                            .set(X_PLUS_VALUE, settings.x() + v)
                            .ok());
                });
            }
        }
    }

    @Override
    public Derived derive(Plan<Settings> plan, List<Aggregate> aggregates) {
        return new Derived(List.of(), List.of());
    }
}
