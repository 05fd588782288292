package org.engram.jobs.synthetic;

import com.typesafe.config.Config;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.engram.jobs.config.Dimension;
import org.engram.jobs.config.Grid;
import org.engram.jobs.config.Section;
import org.engram.jobs.core.Aggregate;
import org.engram.jobs.core.Cell;
import org.engram.jobs.core.Derived;
import org.engram.jobs.core.Job;
import org.engram.jobs.core.Plan;
import org.engram.jobs.core.Problems;
import org.engram.jobs.core.SweepIdentity;
import org.engram.jobs.core.TableSpec;
import org.engram.jobs.core.TrialRow;
import org.engram.jobs.core.WorkUnit;
import org.engram.kernels.random.CounterRng;

/**
 * {@code engine.synthetic} — a job with known answers for testing and measuring the engine itself:
 * each trial's value is a uniform number drawn from its seed (plus {@code params.offset}), so aggregated means
 * can be checked exactly; chosen replicates throw or return NaN to exercise FAILED rows; tiny trials
 * measure the per-task overhead.
 */
public final class SyntheticJob implements Job {
    public static final String ID = "engine.synthetic";
    static final TableSpec TRIALS = new TableSpec("trials", List.of("value", "x_plus_value"), Set.of(),
            "value = uniform(seed), x_plus_value = x + value");

    private static final List<Dimension> DIMS = List.of(
            Dimension.real("x", x -> true, "must be a number"),
            Dimension.integer("k", Long.MIN_VALUE / 2, Long.MAX_VALUE / 2));

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<Class<? extends WorkUnit>> unitClasses() {
        return List.of(Unit.class);
    }

    @Override
    public List<Class<?>> codeClasses() {
        return List.of(SyntheticJob.class, Unit.class, CounterRng.class, org.engram.kernels.random.Seeds.class);
    }

    @Override
    public String description() {
        return "Engine self-test: known values from seeds, injected failures, per-task overhead";
    }

    /** Which replicates fail and how. */
    public record Settings(int trialsPerUnit, Set<Integer> throwing, Set<Integer> nan, long spinNanos, double offset)
            implements java.io.Serializable {
    }

    @Override
    public Plan plan(SweepIdentity sweep, Config conf, Problems problems) {
        List<Cell> cells = Grid.expand(conf.getConfig("grid"), "grid", DIMS, List.of("x"), problems);
        Section rep = new Section(conf, "replicates", problems);
        rep.onlyKeys(Set.of("count"));
        int count = (int) rep.integer("count", 1, 10_000_000);
        Section p = new Section(conf, "params", problems);
        p.onlyKeys(Set.of("trials-per-unit", "throw-replicates", "nan-replicates", "work-nanos", "offset"));
        double offset = p.real("offset", -1e12, 1e12);
        int per = (int) p.integer("trials-per-unit", 1, 10_000_000);
        long spin = p.integer("work-nanos", 0, 60_000_000_000L);
        Set<Integer> thr = ints(p, "throw-replicates");
        Set<Integer> nan = ints(p, "nan-replicates");
        if (!problems.isEmpty()) {
            return null;
        }
        Settings s = new Settings(per, thr, nan, spin, offset);
        List<WorkUnit> units = new ArrayList<>();
        for (Cell c : cells) {
            for (int from = 0; from < count; from += per) {
                units.add(new Unit(sweep, c, from, Math.min(count, from + per), s));
            }
        }
        return new Plan(cells, count, List.of(TRIALS), units, "trials", s);
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

    record Unit(SweepIdentity sweep, Cell cell, int from, int to, Settings settings) implements WorkUnit {
        @Override
        public String key() {
            return cell.key() + "/" + from + ".." + to;
        }

        @Override
        public String fingerprint() {
            return "seed=" + sweep.seed() + "|cell=" + cell.key() + "|replicates=" + from + ".." + to + "|throw="
                    + new java.util.TreeSet<>(settings.throwing()) + "|nan=" + new java.util.TreeSet<>(settings.nan()) + "|offset=" + settings.offset();
        }

        @Override
        public double cost() {
            return to - from;
        }

        @Override
        public int trials() {
            return to - from;
        }

        @Override
        public void run(Consumer<TrialRow> out) {
            for (int r = from; r < to; r++) {
                long seed = sweep.derive(cell.key(), r, "value");
                try {
                    if (settings.throwing().contains(r)) {
                        throw new IllegalStateException("injected failure in replicate " + r);
                    }
                    if (settings.spinNanos() > 0) {
                        long end = System.nanoTime() + settings.spinNanos();
                        while (System.nanoTime() < end) {
                            Thread.onSpinWait();
                        }
                    }
                    double v = settings.nan().contains(r) ? Double.NaN : value(seed) + settings.offset();
                    out.accept(TrialRow.ok(TRIALS.name(), cell, r, seed, v, cell.getDouble("x") + v));
                } catch (RuntimeException e) {
                    out.accept(TrialRow.failed(TRIALS.name(), cell, r, seed, e.toString()));
                }
            }
        }

        @Override
        public void failAll(String message, Consumer<TrialRow> out) {
            for (int r = from; r < to; r++) {
                out.accept(TrialRow.failed(TRIALS.name(), cell, r, 0L, message));
            }
        }
    }

    @Override
    public Derived derive(Plan plan, List<Aggregate> aggregates) {
        return new Derived(List.of(), List.of());
    }
}
