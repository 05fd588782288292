package org.engram.jobs.unlearning;

import static org.engram.jobs.config.Setting.Vary.MAY;
import static org.engram.jobs.config.Setting.Vary.MUST;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.engram.jobs.config.Cell;
import org.engram.jobs.config.Common;
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
import org.engram.kernels.hopfield.Ags;
import org.engram.kernels.hopfield.Couplings;
import org.engram.kernels.hopfield.Hopfield;
import org.engram.kernels.hopfield.Patterns;

/**
 * {@code unlearning.phase-diagram} — unlearning paper, Sec. IV and Fig. 3: the retrieval region over (α, T) of the
 * Hopfield model with Hebbian couplings under the persistent discrete dynamics of eq. 14 (γ = a·min(p, q); a = 0 is
 * the passive heat-bath chain), against the replica-symmetric retrieval line T_M(α) of Amit, Gutfreund and
 * Sompolinsky, which the project computes ({@link Ags}). A trial starts at a pattern, runs params.sweeps sweeps and
 * averages the overlap over the last params.measure-sweeps; the retrieval criterion (the paper says only "overlap ≈
 * 1") is params.retrieval-threshold. Patterns of an (α, system) are shared across T and a (paired).
 */
public final class PhaseDiagramJob implements Job<PhaseDiagramJob.Settings> {
    static final TableSpec TRIALS = new TableSpec("trials", List.of("overlap", "final_overlap", "retrieved",
            "flips_per_spin"), Set.of(),
            "one row per (cell, system): overlap = the overlap (1/N) σ·ξ^μ averaged over the last params.measure-sweeps "
            + "sweeps and over the tested patterns μ (each run started at ξ^μ with params.flip-fraction of its bits "
            + "flipped); final_overlap = after the last sweep; retrieved = the fraction of tested patterns whose "
            + "averaged overlap is ≥ params.retrieval-threshold; flips_per_spin = spin flips per spin per sweep in the "
            + "measurement window");
    static final Metric OVERLAP = TRIALS.metric("overlap");
    static final Metric FINAL_OVERLAP = TRIALS.metric("final_overlap");
    static final Metric RETRIEVED = TRIALS.metric("retrieved");
    static final Metric FLIPS_PER_SPIN = TRIALS.metric("flips_per_spin");

    /** The grid, the replicates and the dynamics' settings. */
    public record Settings(
            @Setting(doc = "persistence a of eq. 14 (0: passive heat bath)", min = 0, max = 1, grid = MAY) double a,
            @Common.Loading @Setting(grid = MUST) double alpha,
            @Setting(doc = "temperature T of the transition probabilities (≥ 0)", min = 0, max = 100, grid = MUST)
            double t,
            @Setting(doc = "independent pattern sets", min = 1, max = 1_000_000, replicates = true) int systems,
            @Common.Spins int n,
            @Setting(doc = "sweeps per run", min = 1, max = 100_000_000) int sweeps,
            @Setting(key = "measure-sweeps", doc = "the last sweeps over which the overlap is averaged", min = 1,
                    max = 100_000_000) int measure,
            @Setting(key = "tested-patterns", doc = "runs per system, each started at another pattern", min = 1,
                    max = 1_000_000) int tested,
            @Setting(key = "flip-fraction", doc = "fraction of the start pattern's bits flipped", min = 0, max = 0.5)
            double flip,
            @Setting(key = "retrieval-threshold", doc = "a cell retrieves when its mean averaged overlap is at least "
                    + "this", min = 0, max = 1) double threshold,
            @Setting(doc = "α spacing of the computed AGS line", min = 0, max = 1, above = true,
                    requirement = "must be > 0") double agsStep,
            @Setting(doc = "systems of a cell per work unit", min = 1, max = 1_000_000)
            @Operational("chunking of systems into units") int systemsPerUnit) implements java.io.Serializable {
    }

    @Override
    public String id() {
        return "unlearning.phase-diagram";
    }

    @Override
    public String description() {
        return "Unlearning paper Fig. 3: retrieval region over (α, T) for passive (a = 0) and persistent (eq. 14) "
                + "dynamics, with the AGS line";
    }

    @Override
    public void check(Setup<Settings> setup, Problems problems) {
        Settings s = setup.settings();
        if (s.measure() > s.sweeps()) {
            problems.at(setup.conf(), "params.measure-sweeps", "cannot exceed params.sweeps = " + s.sweeps());
        }
        for (Cell c : setup.cells()) {
            double alpha = setup.at(c).alpha();
            Hopfields.checkLoading(setup.conf(), c, s.n(), alpha, problems);
            if (s.tested() > Hopfields.patterns(alpha, s.n())) {
                problems.at(setup.conf(), "params.tested-patterns", s.tested() + " runs per system but cell "
                        + c.key() + " stores only " + Hopfields.patterns(alpha, s.n()) + " patterns");
                break;
            }
        }
    }

    @Override
    public Plan<Settings> plan(Setup<Settings> setup) {
        Settings s = setup.settings();
        return ReplicateRange.plan(setup, s.systems(), s.systemsPerUnit(), List.of(TRIALS), "spin updates × N", Unit::new);
    }

    /** Systems [from, to) of one cell. */
    record Unit(SweepIdentity sweep, Cell cell, int from, int to, Settings settings) implements ReplicateRange {
        @Override
        public TableSpec table() {
            return TRIALS;
        }

        @Override
        public String seedStream() {
            return "dynamics";
        }

        @Override
        public double cost() {
            return (double) (to - from) * settings.tested() * settings.sweeps() * settings.n() * settings.n();
        }

        @Override
        public void run(UnitContext context, Consumer<TrialRow> out) {
            int n = settings.n();
            double alpha = settings.alpha();
            int p = Hopfields.patterns(alpha, n);
            double t = settings.t();
            double beta = t == 0 ? Double.POSITIVE_INFINITY : 1 / t;
            double a = settings.a();
            for (Trial trial : trialsOwed()) {
                Trials.guard(trial, out, o -> {
                    float[] xi = Patterns.random(p, n, new SplittableRandom(sweep.derive("alpha=" + Cell.format(alpha),
                            trial.replicate(), "patterns")));
                    Hopfield net = new Hopfield(Couplings.hebb(xi, p, n), n);
                    SplittableRandom rng = new SplittableRandom(trial.seed());
                    double overlap = 0;
                    double last = 0;
                    int retrieved = 0;
                    long flips = 0;
                    for (int mu = 0; mu < settings.tested(); mu++) {
                        float[] s = Patterns.corrupted(xi, mu, n, settings.flip(), rng);
                        double[] h = new double[n];
                        net.fields(s, h);
                        boolean[] lastFlipped = new boolean[n];
                        double sum = 0;
                        for (int sweep = 0; sweep < settings.sweeps(); sweep++) {
                            int f = net.persistentSweep(s, h, lastFlipped, beta, a, rng);
                            if (sweep >= settings.sweeps() - settings.measure()) {
                                sum += Patterns.overlap(s, xi, mu, n);
                                flips += f;
                            }
                        }
                        double mean = sum / settings.measure();
                        overlap += mean;
                        last += Patterns.overlap(s, xi, mu, n);
                        retrieved += mean >= settings.threshold() ? 1 : 0;
                    }
                    int k = settings.tested();
                    o.accept(TRIALS.row(cell, trial.replicate(), trial.seed())
                            .set(OVERLAP, overlap / k)
                            .set(FINAL_OVERLAP, last / k)
                            .set(RETRIEVED, (double) retrieved / k)
                            .set(FLIPS_PER_SPIN, (double) flips / ((double) k * settings.measure() * n))
                            .ok());
                });
            }
        }
    }

    @Override
    public Derived derive(Plan<Settings> plan, List<Aggregate> aggregates) {
        Settings s = plan.settings();
        Column overlap = Tables.metric(aggregates, OVERLAP);
        double[] as = plan.cells().stream().mapToDouble(c -> plan.at(c).a()).distinct().sorted().toArray();
        double[] alphas = Tables.distinct(plan.cells(), "alpha", c -> true);
        double[] ts = Tables.distinct(plan.cells(), "t", c -> true);
        Map<List<Double>, Cell> keys = new java.util.HashMap<>();
        for (Cell c : plan.cells()) {
            keys.put(List.of(plan.at(c).a(), plan.at(c).alpha(), plan.at(c).t()), c);
        }
        // T_M at the grid's α, once (not once per a)
        double[] tmAt = new double[alphas.length];
        for (int col = 0; col < alphas.length; col++) {
            tmAt[col] = Ags.retrievalLine(alphas[col], 1e-6).tm();
        }
        // the AGS line on a fine α grid up to α_c, and at the grid's α
        double alphaC = Ags.alphaC();
        List<Double> lineAlphas = new ArrayList<>();
        for (double x = 0; x < alphaC; x += s.agsStep()) {
            lineAlphas.add(x);
        }
        lineAlphas.add(alphaC * (1 - 1e-6));
        double[] lx = new double[lineAlphas.size()];
        double[] ly = new double[lineAlphas.size()];
        List<List<Object>> lineRows = new ArrayList<>();
        for (int i = 0; i < lx.length; i++) {
            Ags.LinePoint lp = Ags.retrievalLine(lineAlphas.get(i), 1e-6);
            lx[i] = lp.alpha();
            ly[i] = lp.tm();
            lineRows.add(Tables.row(lp.alpha(), lp.tm(), lp.mAtTm(), Ags.spinGlassLine(lp.alpha())));
        }
        lineRows.add(Tables.row(alphaC, 0.0, Ags.zeroTemperature(alphaC * (1 - 1e-9)).m(),
                Ags.spinGlassLine(alphaC)));
        Figure.Series agsLine = new Figure.Series("AGS T_M(α)", append(lx, alphaC), append(ly, 0), nan(lx.length + 1),
                nan(lx.length + 1), true);
        List<Figure> figures = new ArrayList<>();
        List<List<Object>> boundary = new ArrayList<>();
        List<Figure.Series> boundaries = new ArrayList<>();
        for (double a : as) {
            double[][] z = new double[ts.length][alphas.length];
            String[][] labels = new String[ts.length][alphas.length];
            double[] tb = new double[alphas.length];
            for (int col = 0; col < alphas.length; col++) {
                tb[col] = Double.NaN;
                boolean below = true;
                for (int row = 0; row < ts.length; row++) {
                    Cell at = keys.get(List.of(a, alphas[col], ts[row]));
                    Aggregate agg = at == null ? null : overlap.get(at);
                    z[row][col] = agg == null ? Double.NaN : Tables.mean(agg);
                    if (at == null) {
                        labels[row][col] = "";
                        continue; // a cell an adaptive sweep did not compute: the column goes on above it
                    }
                    boolean r = z[row][col] >= s.threshold();
                    labels[row][col] = r ? "R" : "";
                    if (below && r) {
                        tb[col] = ts[row];
                    } else {
                        below = false;
                    }
                }
                double tm = tmAt[col];
                boundary.add(Tables.row(a, alphas[col], tb[col], tm, tb[col] - (Double.isNaN(tm) ? 0 : tm)));
            }
            String tag = "a" + Cell.format(a).replace('.', 'p');
            figures.add(new Figure.Heatmap("phase_" + tag, "Mean overlap over (α, T), a = " + Cell.format(a)
                    + " (R: ≥ " + Cell.format(s.threshold()) + ")", "load α = P/N", false, alphas, "temperature T", ts, "mean overlap m", z, labels,
                    "N = " + s.n() + ", white dashed: the AGS retrieval line T_M(α)", List.of(agsLine)));
            boundaries.add(new Figure.Series("measured, a = " + Cell.format(a), alphas, tb, nan(alphas.length),
                    nan(alphas.length)));
        }
        List<Figure.Series> withLine = new ArrayList<>(boundaries);
        withLine.add(Figure.Series.reference("AGS T_M(α) (replica symmetric)", agsLine.x(), agsLine.y()));
        figures.add(new Figure.Curves("fig3_boundaries", "Retrieval boundary: the largest T (from T = 0 up) whose "
                + "mean overlap is ≥ " + Cell.format(s.threshold()), "load α = P/N", false, "temperature T", false, withLine));
        return new Derived(List.of(
                new Derived.DerivedTable("boundary", "one row per (a, α): t_boundary = the largest grid T such that it "
                        + "and every lower grid T retrieve (the computed ones: an adaptive sweep's column skips some) (mean overlap ≥ params.retrieval-threshold; NaN when the "
                        + "lowest T fails), t_ags = the AGS retrieval line T_M(α) (NaN beyond α_c), difference = "
                        + "t_boundary − t_ags (t_boundary where T_M is NaN)",
                        List.of("a", "alpha", "t_boundary", "t_ags", "difference"), boundary),
                new Derived.DerivedTable("ags_line", "the replica-symmetric retrieval line computed by the project "
                        + "(continuation in T of the AGS saddle point from T = 0): alpha, t_m = T_M(α), m_at_t_m = the "
                        + "overlap just below T_M, t_g = the spin-glass line 1 + √α",
                        List.of("alpha", "t_m", "m_at_t_m", "t_g"), lineRows)), figures);
    }

    private static double[] append(double[] x, double v) {
        double[] out = java.util.Arrays.copyOf(x, x.length + 1);
        out[x.length] = v;
        return out;
    }

    private static double[] nan(int n) {
        double[] out = new double[n];
        java.util.Arrays.fill(out, Double.NaN);
        return out;
    }
}
