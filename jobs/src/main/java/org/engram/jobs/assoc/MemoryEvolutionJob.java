package org.engram.jobs.assoc;

import static org.engram.jobs.config.Setting.Vary.MAY;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.engram.jobs.config.Cell;
import org.engram.jobs.config.Operational;
import org.engram.jobs.config.Problems;
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
import org.engram.kernels.assoc.Memories;
import org.engram.kernels.assoc.MemoryEvolution;

/**
 * {@code assoc.memory-evolution} — associative-networks paper, Appendix B, Fig. 1: N_h memories of norm √N_v,
 * orthogonal (Gram–Schmidt), learn noisy targets ξ' = ξ⁽⁰⁾ + N(0, σ²) by the synaptic dynamics of eqs. 12–14
 * (Λ = 0, Euler steps dt) while the visible state is clamped to one target per step — drawn with p_μ (the
 * paper) or in turn (the authors' script). A trial compares each memory's cosine with its target (eq. 36) to
 * eq. 40 with τ_μ = τ_Ξ/p_μ and the measured α_μ: the largest deviation over time and memories, and the time
 * at which every cosine reaches 0.99. The paper states one cell (N_v = 50, N_h = 4, T = 2000, τ_Ξ = 250,
 * σ = 0.4, β = 2) and, in a footnote, that β > 3 works in all tested settings; the grid makes that a sweep:
 * β × σ × N_v × N_h × τ_Ξ × p × clamping, replicates = seeds.
 */
public final class MemoryEvolutionJob implements Job<MemoryEvolutionJob.Settings> {
    static final TableSpec TRIALS = new TableSpec("trials", List.of("max_error", "time_to_099", "alpha_mean",
            "final_min_similarity", "max_error_mean_field"), Set.of("time_to_099"),
            "one row per (cell, seed): max_error = max over time steps and memories of |sim_μ(t) − eq. 40|; "
            + "time_to_099 = the first time (steps × dt) at which every memory's cosine with its target is ≥ 0.99 "
            + "(NaN if never within T); alpha_mean = the mean initial cosine α_μ (eq. 37); final_min_similarity = "
            + "the smallest cosine after the last step; max_error_mean_field = max |sim_μ(t) − the exact cosine of "
            + "eq. 34's solution| with the measured norms (a control: eq. 40 also assumes |ξ'_μ|² ≈ N_v, which is "
            + "off by the factor 1 + σ²)");
    static final Metric MAX_ERROR = TRIALS.metric("max_error");
    static final Metric TIME_TO_099 = TRIALS.metric("time_to_099");
    static final Metric ALPHA_MEAN = TRIALS.metric("alpha_mean");
    static final Metric FINAL_MIN_SIMILARITY = TRIALS.metric("final_min_similarity");
    static final Metric MAX_ERROR_MEAN_FIELD = TRIALS.metric("max_error_mean_field");
    static final TableSpec CURVE = new TableSpec("curve", List.of("simulated", "theory"), Set.of(),
            "one row per (cell, seed, step, memory) for the first params.curve-seeds seeds, every "
            + "params.curve-every steps: the cosine of memory μ with its target after that step (eq. 36) and eq. 40 "
            + "at the same time");
    static final Metric SIMULATED = CURVE.metric("simulated");
    static final Metric THEORY = CURVE.metric("theory");

    /** How the clamping probabilities are chosen. */
    public enum Probabilities {
        /** p_μ = 1/N_h. */
        UNIFORM,
        /** p_μ ∝ μ + 1: for N_h = 4, 0.1, 0.2, 0.3, 0.4. */
        SKEWED
    }

    /** The parameters (N_h, σ, … from the grid where it varies them, else from params). */
    public record Settings(
            @Setting(doc = "softmax inverse temperature β of eq. 13", min = 0, max = 1e6, above = true,
                    requirement = "must be > 0", grid = MAY) double beta,
            @Setting(doc = "noise σ of the targets (eq. 41)", min = 0, max = 1e3, grid = MAY) double sigma,
            @Setting(doc = "visible units N_v", min = 1, max = 100_000, grid = MAY) int nv,
            @Setting(doc = "memories N_h (≤ N_v)", min = 1, max = 100_000, grid = MAY) int nh,
            @Setting(doc = "memory time scale τ_Ξ", min = 0, max = 1e9, above = true, requirement = "must be > 0",
                    grid = MAY) double tau,
            @Setting(doc = "clamping probabilities: uniform, or skewed p_μ ∝ μ + 1", grid = MAY) Probabilities p,
            @Setting(doc = "random (each step draws μ with p_μ, the paper) or cyclic (μ = t mod N_h, the authors' "
                    + "script)", grid = MAY) MemoryEvolution.Clamping clamping,
            @Setting(doc = "independent memories and targets", min = 1, max = 1_000_000, replicates = true) int seeds,
            @Setting(doc = "Euler steps T", min = 1, max = 100_000_000) int steps,
            @Setting(doc = "Euler step size", min = 0, max = 1e9, above = true, requirement = "must be > 0") double dt,
            @Setting(doc = "the theory holds in a cell when its mean max_error is at most this", min = 0, max = 1,
                    above = true, requirement = "must be > 0") double tolerance,
            @Setting(doc = "seeds whose cosine curves are recorded (0: none)", min = 0, max = 1000) int curveSeeds,
            @Setting(doc = "record every n-th step", min = 1, max = 1_000_000) int curveEvery,
            @Setting(doc = "seeds of a cell per work unit", min = 1, max = 1_000_000)
            @Operational("chunking of seeds into units") int seedsPerUnit) implements java.io.Serializable {
        /** Whether the curve table has a row after {@code step} (0-based): the first step and every curveEvery-th. */
        boolean recorded(int step) {
            return step == 0 || (step + 1) % curveEvery == 0;
        }

        MemoryEvolution.Spec spec() {
            double[] probabilities = p == Probabilities.SKEWED ? MemoryEvolution.skewed(nh)
                    : MemoryEvolution.uniform(nh);
            return new MemoryEvolution.Spec(nv, nh, steps, dt, tau, beta, sigma, probabilities, clamping);
        }
    }

    @Override
    public String id() {
        return "assoc.memory-evolution";
    }

    @Override
    public String description() {
        return "Softmax synapses App. B, Fig. 1: memory rows learning noisy targets (eqs. 12–14) against eq. 40, "
                + "β × σ × N_v × τ_Ξ × p";
    }

    @Override
    public void check(Setup<Settings> setup, Problems problems) {
        for (Cell c : setup.cells()) {
            Settings s = setup.at(c);
            if (s.nh() > s.nv()) {
                problems.at(setup.conf(), c.has("nh") ? "grid.nh" : "params.nh", "N_h = " + s.nh()
                        + " memories cannot be orthogonal in N_v = " + s.nv() + " dimensions (cell " + c.key() + ")");
                break;
            }
            if (s.clamping() == MemoryEvolution.Clamping.CYCLIC && s.p() == Probabilities.SKEWED) {
                problems.at(setup.conf(), c.has("p") ? "grid.p" : "params.p", "cyclic clamping shows every pattern "
                        + "equally often: p = skewed needs clamping = random (cell " + c.key() + ")");
                break;
            }
        }
    }

    @Override
    public Plan<Settings> plan(Setup<Settings> setup) {
        Settings s = setup.settings();
        return ReplicateRange.plan(setup, s.seeds(), s.seedsPerUnit(), List.of(TRIALS, CURVE), "memory-entry updates (N_h × N_v × T)", Unit::new);
    }

    /** Seeds [from, to) of one cell. */
    record Unit(SweepIdentity sweep, Cell cell, int from, int to, Settings settings) implements ReplicateRange {
        @Override
        public TableSpec table() {
            return TRIALS;
        }

        @Override
        public String seedStream() {
            return "memories";
        }

        MemoryEvolution.Spec spec() {
            return settings.spec();
        }

        @Override
        public double cost() {
            MemoryEvolution.Spec s = spec();
            return (double) (to - from) * s.nh() * s.nv() * s.steps();
        }

        @Override
        public void run(UnitContext context, Consumer<TrialRow> out) {
            MemoryEvolution.Spec spec = spec();
            for (Trial t : trialsOwed()) {
                Trials.guard(t, out, o -> {
                    SplittableRandom memories = new SplittableRandom(t.seed());
                    double[] xi0 = Memories.orthogonal(spec.nh(), spec.nv(), memories);
                    double[] targets = Memories.noisy(xi0, spec.sigma(),
                            new SplittableRandom(sweep.derive(cell.key(), t.replicate(), "targets")));
                    MemoryEvolution.Result r = MemoryEvolution.run(spec, xi0, targets,
                            new SplittableRandom(sweep.derive(cell.key(), t.replicate(), "clamping")));
                    if (t.replicate() < settings.curveSeeds()) {
                        for (int step = 0; step < spec.steps(); step++) {
                            if (!settings.recorded(step)) {
                                continue;
                            }
                            Cell at = Trials.extend(cell, "step", (long) (step + 1));
                            for (int mu = 0; mu < spec.nh(); mu++) {
                                o.accept(CURVE.row(Trials.extend(at, "memory", (long) (mu + 1)), t.replicate(), t.seed())
                                        .set(SIMULATED, r.simulated()[step * spec.nh() + mu])
                                        .set(THEORY, r.theory()[step * spec.nh() + mu])
                                        .ok());
                            }
                        }
                    }
                    double min = Double.POSITIVE_INFINITY;
                    for (int mu = 0; mu < spec.nh(); mu++) {
                        min = Math.min(min, r.simulated()[(spec.steps() - 1) * spec.nh() + mu]);
                    }
                    o.accept(TRIALS.row(cell, t.replicate(), t.seed())
                            .set(MAX_ERROR, r.maxError())
                            .set(TIME_TO_099, r.timeTo099())
                            .set(ALPHA_MEAN, Arrays.stream(r.alpha()).average().orElse(Double.NaN))
                            .set(FINAL_MIN_SIMILARITY, min)
                            .set(MAX_ERROR_MEAN_FIELD, r.maxErrorMeanField())
                            .ok());
                });
            }
        }
    }

    @Override
    public Derived derive(Plan<Settings> plan, List<Aggregate> aggregates) {
        Settings s = plan.settings();
        Column err = Tables.metric(aggregates, MAX_ERROR);
        // every cell that varies only in β forms a group: the smallest β from which on the theory holds
        Map<String, List<Cell>> groups = new LinkedHashMap<>();
        for (Cell c : plan.cells()) {
            groups.computeIfAbsent(without(c, "beta"), k -> new ArrayList<>()).add(c);
        }
        List<List<Object>> rows = new ArrayList<>();
        // one figure per setting of everything but β and N_v, one curve per N_v
        Map<String, List<Figure.Series>> errorFigures = new LinkedHashMap<>();
        for (Map.Entry<String, List<Cell>> g : groups.entrySet()) {
            List<Cell> cs = new ArrayList<>(g.getValue());
            cs.sort((a, b) -> Double.compare(plan.at(a).beta(), plan.at(b).beta()));
            double[] betas = new double[cs.size()];
            double[] mean = new double[cs.size()];
            double[] lo = new double[cs.size()];
            double[] hi = new double[cs.size()];
            double holdsFrom = Double.NaN;
            double worstHolding = 0;
            for (int i = cs.size() - 1; i >= 0; i--) {
                Aggregate a = err.get(cs.get(i));
                betas[i] = plan.at(cs.get(i)).beta();
                mean[i] = Tables.mean(a);
                double[] ci = Tables.ci(a, 0, Double.POSITIVE_INFINITY);
                lo[i] = ci[0];
                hi[i] = ci[1];
            }
            for (int i = cs.size() - 1; i >= 0 && mean[i] <= s.tolerance(); i--) {
                holdsFrom = betas[i];
                worstHolding = Math.max(worstHolding, mean[i]);
            }
            String label = g.getKey().isEmpty() ? "paper cell" : g.getKey();
            rows.add(Tables.row(label, holdsFrom, Double.isNaN(holdsFrom) ? Double.NaN : worstHolding,
                    (long) cs.size()));
            Cell first = cs.get(0);
            errorFigures.computeIfAbsent(first.without("beta").without("nv").key(), k -> new ArrayList<>())
                    .add(new Figure.Series("N_v = " + plan.at(first).nv(), betas, mean, lo, hi));
        }
        List<Figure> figures = new ArrayList<>();
        if (plan.cells().stream().anyMatch(c -> c.has("beta"))) {
            for (Map.Entry<String, List<Figure.Series>> f : errorFigures.entrySet()) {
                String suffix = f.getKey().isEmpty() ? "" : "_" + f.getKey().replace(',', '_').replace("=", "");
                figures.add(new Figure.Curves("max_error_vs_beta" + suffix, "Largest |sim − eq. 40| vs β"
                        + (f.getKey().isEmpty() ? "" : ", " + readable(f.getKey()))
                        + " (mean, 95% CI over seeds)", "inverse temperature β", true,
                        "max |sim − eq. 40|", true, f.getValue()));
            }
        }
        figures.addAll(fig1(plan, aggregates));
        return new Derived(List.of(new Derived.DerivedTable("beta_threshold",
                "one row per group of cells that differ only in β: beta_min = the smallest grid β from which on (at it "
                + "and every larger β) the mean over seeds of max_error is at most params.tolerance (NaN when the "
                + "largest β already fails), worst_error = the largest such mean, cells = the β values in the group",
                List.of("cell_without_beta", "beta_min", "worst_error", "cells"), rows)), figures);
    }

    /** Whether a cell is the paper's (β = 2, σ = 0.4, N_v = 50, N_h = 4, τ_Ξ = 250, uniform p) in what it varies. */
    static boolean papersCell(Cell c) {
        Map<String, Object> paper = Map.of("beta", 2.0, "sigma", 0.4, "nv", 50, "nh", 4, "tau", 250.0, "p", "uniform");
        return paper.entrySet().stream().allMatch(e -> !c.has(e.getKey())
                || Cell.format(c.get(e.getKey())).equals(Cell.format(e.getValue())));
    }

    /**
     * Fig. 1 for the paper's cells (or the first cell when the grid has none of them): each memory's mean cosine
     * (solid) and eq. 40 (dashed) against time.
     */
    private static List<Figure> fig1(Plan<Settings> plan, List<Aggregate> aggregates) {
        Settings s = plan.settings();
        if (s.curveSeeds() == 0) {
            return List.of();
        }
        Column sim = Tables.metric(aggregates, SIMULATED);
        Column th = Tables.metric(aggregates, THEORY);
        List<Figure> out = new ArrayList<>();
        List<Cell> drawn = plan.cells().stream().filter(MemoryEvolutionJob::papersCell).limit(4).toList();
        for (Cell c : drawn.isEmpty() ? plan.cells().subList(0, 1) : drawn) {
            int nh = plan.at(c).nh();
            List<Long> steps = new ArrayList<>();
            for (int step = 0; step < s.steps(); step++) {
                if (s.recorded(step)) {
                    steps.add((long) (step + 1));
                }
            }
            List<Figure.Series> series = new ArrayList<>();
            for (int mu = 1; mu <= nh; mu++) {
                double[] x = new double[steps.size()];
                double[] ys = new double[steps.size()];
                double[] yt = new double[steps.size()];
                double[] nan = new double[steps.size()];
                Arrays.fill(nan, Double.NaN);
                for (int i = 0; i < steps.size(); i++) {
                    Cell k = Trials.extend(Trials.extend(c, "step", steps.get(i)), "memory", (long) mu);
                    x[i] = steps.get(i) * s.dt();
                    ys[i] = Tables.mean(sim.get(k));
                    yt[i] = Tables.mean(th.get(k));
                }
                series.add(new Figure.Series("μ = " + mu + " simulation", x, ys, nan, nan));
                series.add(new Figure.Series("μ = " + mu + " eq. 40", x, yt, nan, nan, true));
            }
            String name = c.size() == 0 ? "fig1" : "fig1_" + c.key().replace(',', '_').replace("=", "");
            String which = Tables.label(c, plan.cells());
            out.add(new Figure.Curves(name, "Cosine of each memory with its target (solid) and eq. 40 (dashed)"
                    + (which.isEmpty() ? "" : ", " + which),
                    "time t (steps × dt)", false, "cosine similarity", false,
                    series));
        }
        return out;
    }

    /** A cell's key without one coordinate (the grouping of the β plot and table). */
    static String without(Cell c, String name) {
        return c.without(name).key();
    }

    /** A cell key (beta=2,sigma=0.1) as a title reads it: β = 2, σ = 0.1. */
    static String readable(String key) {
        StringBuilder b = new StringBuilder();
        for (String kv : key.split(",")) {
            int eq = kv.indexOf('=');
            b.append(b.length() == 0 ? "" : ", ").append(eq < 0 ? kv : Tables.symbol(kv.substring(0, eq)) + " = "
                    + kv.substring(eq + 1));
        }
        return b.toString();
    }
}
