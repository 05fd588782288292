package org.engram.jobs.rapid;

import static org.engram.jobs.config.Setting.Vary.MAY;
import static org.engram.jobs.config.Setting.Vary.MUST;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.engram.jobs.config.Cell;
import org.engram.jobs.config.Common;
import org.engram.jobs.config.Operational;
import org.engram.jobs.config.Section;
import org.engram.jobs.config.Setting;
import org.engram.jobs.core.Aggregate;
import org.engram.jobs.core.Column;
import org.engram.jobs.core.Derived;
import org.engram.jobs.core.Figure;
import org.engram.jobs.core.Job;
import org.engram.jobs.core.Metric;
import org.engram.jobs.core.Plan;
import org.engram.jobs.core.ReplicateRange;
import org.engram.jobs.core.Setup;
import org.engram.jobs.core.SweepIdentity;
import org.engram.jobs.core.TableSpec;
import org.engram.jobs.core.Tables;
import org.engram.jobs.core.Trial;
import org.engram.jobs.core.TrialRow;
import org.engram.jobs.core.Trials;
import org.engram.jobs.core.UnitContext;
import org.engram.kernels.rbm.RaPatterns;
import org.engram.kernels.rbm.SpinExact;
import org.engram.kernels.rbm.SpinMeasures;
import org.engram.kernels.rbm.SpinRbm;

/**
 * {@code rapid.gibbs-accessibility} — RAPID paper, Fig. 1: untrained ±1 RBMs (V visible, H hidden, no biases) of
 * three families — RA weights from K Bernoulli ±1 patterns (eq. 5), i.i.d. Gaussian, i.i.d. uniform — at a weight
 * scale s: the RA weights times s/σ_RA with σ_RA their measured standard deviation, the Gaussian N(0, s²), the
 * uniform on [−s√3, s√3]. A trial draws one model, finds its ground-state energy by exact enumeration (V ≤ 24)
 * and runs {@code chains} random ±1 chains {@code steps} Gibbs sweeps: the Gibbs accessibility is the lowest
 * reached energy over the ground-state energy (1 = reached). The x axis is the measured standard deviation of
 * the weights, as in the paper; the inset (accessibility against V at s = 10) is the same job with a
 * {@code visible} grid.
 */
public final class GibbsAccessibilityJob implements Job<GibbsAccessibilityJob.Settings> {
    static final TableSpec TRIALS = new TableSpec("trials", List.of("accessibility", "weight_std", "ground_energy"),
            Set.of(), "one row per (cell, model draw): accessibility = the lowest energy −vᵀWh reached by "
            + "params.chains random ±1 chains after params.steps Gibbs sweeps, divided by the exact ground-state "
            + "energy (1 = the ground state was reached); weight_std = the measured standard deviation of the "
            + "model's weights; ground_energy = min over (v, h) of −vᵀWh by enumeration of the 2^V visible states");
    static final Metric ACCESSIBILITY = TRIALS.metric("accessibility");
    static final Metric WEIGHT_STD = TRIALS.metric("weight_std");
    static final Metric GROUND_ENERGY = TRIALS.metric("ground_energy");

    /** The model families of Fig. 1. */
    public enum Family { RA, GAUSSIAN, UNIFORM }

    /** The grid, the replicates and the models' settings (visible: the cell's where the grid varies it). */
    public record Settings(
            @Setting(doc = "model family: ra (K random ±1 patterns, eq. 5), gaussian, uniform", grid = MUST)
            Family family,
            @Setting(doc = "visible units V (exact ground state: V ≤ 24)", min = 2, max = SpinExact.MAX_VISIBLE,
                    grid = MAY) int visible,
            @Setting(doc = "weight scale s: the standard deviation the weights are drawn (RA: rescaled) to", min = 0,
                    max = 1e6, above = true, requirement = "must be > 0", grid = MUST) double scale,
            @Setting(doc = "independent model draws per cell", min = 1, max = 1_000_000, replicates = true)
            int repeats,
            @Common.Hidden @Setting(doc = "hidden units H") int hidden,
            @Setting(doc = "RA patterns K", min = 1, max = 100_000) int patterns,
            @Setting(doc = "random Gibbs chains per model", min = 1, max = 100_000) int chains,
            @Setting(doc = "Gibbs sweeps (h|v, then v|h) per chain", min = 1, max = 100_000) int steps,
            @Setting(key = "repeats-per-unit", doc = "model draws of a cell per work unit", min = 1, max = 1_000_000)
            @Operational("chunking of draws into units") int perUnit) implements java.io.Serializable {
    }

    @Override
    public String id() {
        return "rapid.gibbs-accessibility";
    }

    @Override
    public String description() {
        return "RAPID Fig. 1: Gibbs ground-state accessibility of untrained RA vs Gaussian vs uniform ±1 RBMs against "
                + "the weight scale (and V)";
    }

    @Override
    public Plan<Settings> plan(Setup<Settings> setup) {
        Settings s = setup.settings();
        return ReplicateRange.plan(setup, s.repeats(), s.perUnit(), List.of(TRIALS), "multiply-adds", Unit::new);
    }

    /** Draws [from, to) of one cell. */
    record Unit(SweepIdentity sweep, Cell cell, int from, int to, Settings settings) implements ReplicateRange {
        @Override
        public TableSpec table() {
            return TRIALS;
        }

        @Override
        public String seedStream() {
            return "model";
        }

        @Override
        public double cost() {
            int v = settings.visible();
            double vh = (double) v * settings.hidden();
            return (to - from) * (Math.pow(2, v - 1) * vh + 2.0 * settings.chains() * settings.steps() * vh);
        }

        @Override
        public void run(UnitContext context, Consumer<TrialRow> out) {
            int v = settings.visible();
            for (Trial t : trialsOwed()) {
                Trials.guard(t, out, o -> {
                    SplittableRandom rng = new SplittableRandom(t.seed());
                    SpinRbm rbm = model(settings.family(), v, settings, settings.scale(), rng);
                    double ground = SpinExact.ground(rbm, 1).groundEnergy();
                    double acc = SpinMeasures.gibbsAccessibility(rbm, ground, settings.chains(), settings.steps(), rng);
                    o.accept(TRIALS.row(cell, t.replicate(), t.seed())
                            .set(ACCESSIBILITY, acc)
                            .set(WEIGHT_STD, rbm.weightStd())
                            .set(GROUND_ENERGY, ground)
                            .ok());
                });
            }
        }
    }

    /** One model of a family at weight scale s (drawn from rng, modified). */
    static SpinRbm model(Family family, int visible, Settings s, double scale, SplittableRandom rng) {
        return switch (family) {
            case GAUSSIAN -> SpinRbm.gaussian(visible, s.hidden(), scale, rng);
            case UNIFORM -> SpinRbm.uniform(visible, s.hidden(), scale * Math.sqrt(3), rng);
            case RA -> {
                SpinRbm r = RaPatterns.random(s.patterns(), visible, s.hidden(), rng).model();
                float f = (float) (scale / r.weightStd());
                for (int q = 0; q < r.w.length; q++) {
                    r.w[q] *= f;
                }
                yield r;
            }
        };
    }

    @Override
    public Derived derive(Plan<Settings> plan, List<Aggregate> aggregates) {
        Column acc = Tables.metric(aggregates, ACCESSIBILITY);
        Column std = Tables.metric(aggregates, WEIGHT_STD);
        Settings s = plan.settings();
        // one curve per (family, V) against the measured weight std; one per (family, scale) against V
        Map<String, List<Cell>> byScale = new LinkedHashMap<>();
        Map<String, List<Cell>> byVisible = new LinkedHashMap<>();
        for (Cell c : plan.cells()) {
            String fam = legend(plan.at(c).family(), s);
            byScale.computeIfAbsent(fam + ", V = " + plan.at(c).visible(), k -> new ArrayList<>()).add(c);
            byVisible.computeIfAbsent(fam + ", s = " + Cell.format(plan.at(c).scale()), k -> new ArrayList<>()).add(c);
        }
        List<List<Object>> rows = new ArrayList<>();
        for (Cell c : plan.cells()) {
            double[] ci = Tables.ci(acc.get(c), 0, 1);
            rows.add(Tables.row(Section.word(plan.at(c).family()), (long) plan.at(c).visible(), plan.at(c).scale(),
                    Tables.mean(std.get(c)), Tables.mean(acc.get(c)), ci[0], ci[1]));
        }
        List<Figure> figures = new ArrayList<>();
        if (byScale.values().stream().anyMatch(l -> l.size() > 1)) {
            List<Figure.Series> series = new ArrayList<>();
            for (Map.Entry<String, List<Cell>> e : byScale.entrySet()) {
                List<Cell> cs = sorted(e.getValue(), c -> plan.at(c).scale());
                series.add(series(e.getKey(), cs, c -> Tables.mean(std.get(c)), acc));
            }
            int v = plan.at(plan.cells().get(0)).visible();
            double glorot = Math.sqrt(2.0 / (v + s.hidden()));
            series.add(new Figure.Series("Glorot initialisation, std √(2/(V+H)) = " + String.format("%.3f", glorot),
                    new double[] {glorot, glorot}, new double[] {0, 1}, new double[] {Double.NaN, Double.NaN},
                    new double[] {Double.NaN, Double.NaN}, true));
            figures.add(new Figure.Curves("accessibility_vs_std", "Gibbs accessibility of untrained models (Fig. 1), "
                    + s.chains() + " chains × " + s.steps() + " sweeps, H = " + s.hidden() + " (mean, 95% CI)",
                    "weight standard deviation (measured)", true, "Gibbs accessibility E_Gibbs / E_GS", false,
                    series));
        }
        if (byVisible.values().stream().anyMatch(l -> l.size() > 1)) {
            List<Figure.Series> series = new ArrayList<>();
            for (Map.Entry<String, List<Cell>> e : byVisible.entrySet()) {
                List<Cell> cs = sorted(e.getValue(), c -> plan.at(c).visible());
                series.add(series(e.getKey(), cs, c -> plan.at(c).visible(), acc));
            }
            figures.add(new Figure.Curves("accessibility_vs_visible", "Gibbs accessibility against V (Fig. 1 inset), "
                    + "H = " + s.hidden(), "visible units V", false, "Gibbs accessibility E_Gibbs / E_GS", false,
                    series));
        }
        return new Derived(List.of(new Derived.DerivedTable("accessibility",
                "one row per cell: family, V, weight scale s, the mean measured weight standard deviation and the mean "
                + "Gibbs accessibility with its 95% interval clipped to [0, 1]",
                List.of("family", "visible", "scale", "weight_std", "accessibility", "ci95_low", "ci95_high"), rows)),
                figures);
    }

    private static String legend(Family f, Settings s) {
        return switch (f) {
            case RA -> "RA, K = " + s.patterns();
            case GAUSSIAN -> "Gaussian";
            case UNIFORM -> "uniform";
        };
    }

    private static List<Cell> sorted(List<Cell> cells, java.util.function.ToDoubleFunction<Cell> by) {
        List<Cell> cs = new ArrayList<>(cells);
        cs.sort((a, b) -> Double.compare(by.applyAsDouble(a), by.applyAsDouble(b)));
        return cs;
    }

    private static Figure.Series series(String label, List<Cell> cs, java.util.function.ToDoubleFunction<Cell> x,
                                        Column acc) {
        int n = cs.size();
        double[] xs = new double[n];
        double[] y = new double[n];
        double[] lo = new double[n];
        double[] hi = new double[n];
        for (int i = 0; i < n; i++) {
            Cell c = cs.get(i);
            xs[i] = x.applyAsDouble(c);
            y[i] = Tables.mean(acc.get(c));
            double[] ci = Tables.ci(acc.get(c), 0, 1);
            lo[i] = ci[0];
            hi[i] = ci[1];
        }
        return new Figure.Series(label, xs, y, lo, hi);
    }
}
