package org.engram.jobs.assoc;

import static org.engram.jobs.config.Setting.Vary.MUST;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.engram.jobs.config.Cell;
import org.engram.jobs.config.Operational;
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
import org.engram.kernels.assoc.TanhNetwork;

/**
 * {@code assoc.fixed-points} — associative-networks paper, §5.4 and Appendix A: the tanh network of eq. 27 (zero
 * biases) over random memories ξ_i^μ ~ N(0, 1/N_h), N_h = round(α N_v). A trial draws Ξ, takes the zero fixed
 * point and the fixed points that Newton's method (any kind) and relaxation along eq. 27 (the stable ones) reach
 * from random initial states, and classifies each by the eigenvalues of its Jacobian (eq. 28): hyperbolic when
 * none lies within {@code tolerance} of the imaginary axis, stable or saddle. It also measures the smallest
 * eigenvalue of the Gram matrix Ξ Ξᵀ against the Marchenko–Pastur edge (1 − √(1/α))² the paper quotes, whose
 * value above 1 (α &lt; 1/4) is the paper's sufficient condition (i) for hyperbolicity at the zero fixed point.
 */
public final class FixedPointsJob implements Job<FixedPointsJob.Settings> {
    static final TableSpec TRIALS = new TableSpec("trials", List.of("gram_lambda_min", "condition_i", "zero_hyperbolic",
            "zero_margin", "fixed_points", "hyperbolic_fraction", "stable_fraction", "min_margin"), Set.of(),
            "one row per (cell, memory draw): gram_lambda_min = the smallest eigenvalue of Ξ Ξᵀ (the nonzero spectrum "
            + "of Ξᵀ Ξ); condition_i = 1 when it exceeds 1 (the paper's sufficient condition for hyperbolicity, "
            + "expected for α < 1/4); zero_hyperbolic = 1 when the Jacobian at v* = 0 (eq. 29) has no eigenvalue within "
            + "params.tolerance of 0, zero_margin = its smallest |eigenvalue|; fixed_points = distinct fixed points "
            + "found (v* = 0 included); hyperbolic_fraction and stable_fraction among them; min_margin = the smallest "
            + "|eigenvalue| of any of their Jacobians");
    static final Metric GRAM_LAMBDA_MIN = TRIALS.metric("gram_lambda_min");
    static final Metric CONDITION_I = TRIALS.metric("condition_i");
    static final Metric ZERO_HYPERBOLIC = TRIALS.metric("zero_hyperbolic");
    static final Metric ZERO_MARGIN = TRIALS.metric("zero_margin");
    static final Metric FIXED_POINTS = TRIALS.metric("fixed_points");
    static final Metric HYPERBOLIC_FRACTION = TRIALS.metric("hyperbolic_fraction");
    static final Metric STABLE_FRACTION = TRIALS.metric("stable_fraction");
    static final Metric MIN_MARGIN = TRIALS.metric("min_margin");

    /** The grid, the replicates and the search's settings. */
    public record Settings(
            @Setting(doc = "visible units N_v", min = 2, max = 5000, grid = MUST) int nv,
            @Setting(doc = "load α = N_h / N_v (N_h = round(α N_v), at least 1)", min = 0, max = 1e3, above = true,
                    requirement = "must be > 0", grid = MUST) double alpha,
            @Setting(doc = "independent memory draws", min = 1, max = 1_000_000, replicates = true) int seeds,
            @Setting(key = "initial-states", doc = "random initial states v ~ N(0, 1) for Newton's method and for "
                    + "relaxation (0: the zero fixed point only)", min = 0, max = 100_000) int starts,
            @Setting(doc = "a Jacobian eigenvalue closer than this to 0 makes a fixed point non-hyperbolic", min = 0,
                    max = 1, above = true, requirement = "must be > 0") double tolerance,
            @Setting(doc = "|ψ(v)|∞ at which v counts as a fixed point", min = 0, max = 1, above = true,
                    requirement = "must be > 0") double residual,
            @Setting(doc = "Newton steps before giving up on a start", min = 1, max = 10_000) int newtonIterations,
            @Setting(doc = "Euler steps (dt = params.dt) of eq. 27 before giving up on a start", min = 1,
                    max = 100_000_000) int relaxSteps,
            @Setting(doc = "Euler step of eq. 27 (units of τ_v)", min = 0, max = 1, above = true,
                    requirement = "must be > 0") double dt,
            @Setting(doc = "memory draws of a cell per work unit", min = 1, max = 1_000_000)
            @Operational("chunking of seeds into units") int seedsPerUnit) implements java.io.Serializable {
        /** N_h = round(α N_v), at least 1. */
        int hidden() {
            return Math.max(1, (int) Math.round(alpha * nv));
        }
    }

    @Override
    public String id() {
        return "assoc.fixed-points";
    }

    @Override
    public String description() {
        return "Softmax synapses §5.4 / App. A: fixed points of the tanh network (eq. 27), hyperbolic by the Jacobian "
                + "(eq. 28) vs α, and λ_min(ΞΞᵀ) against (1 − √(1/α))²";
    }

    @Override
    public Plan<Settings> plan(Setup<Settings> setup) {
        Settings s = setup.settings();
        return ReplicateRange.plan(setup, s.seeds(), s.seedsPerUnit(), List.of(TRIALS), "N_v³ (eigenvalues) × initial states", Unit::new);
    }

    /** The Marchenko–Pastur edge (1 − √(1/α))² the paper quotes for λ_min(Ξ Ξᵀ). */
    static double edge(double alpha) {
        double x = 1 - Math.sqrt(1 / alpha);
        return x * x;
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

        @Override
        public double cost() {
            double nv = settings.nv();
            return (to - from) * nv * nv * nv * (1 + settings.starts());
        }

        @Override
        public void run(UnitContext context, Consumer<TrialRow> out) {
            int nv = settings.nv();
            int nh = settings.hidden();
            for (Trial t : trialsOwed()) {
                Trials.guard(t, out, o -> {
                    TanhNetwork net = new TanhNetwork(TanhNetwork.gaussianMemories(nh, nv,
                            new SplittableRandom(t.seed())), nh, nv);
                    double lambdaMin = net.gramEigenvalues()[0];
                    List<double[]> found = new ArrayList<>();
                    found.add(new double[nv]);
                    SplittableRandom starts = new SplittableRandom(sweep.derive(cell.key(), t.replicate(), "starts"));
                    for (int k = 0; k < settings.starts(); k++) {
                        double[] v = Memories.gaussians(nv, 1, starts);
                        double[] n = net.newton(v, settings.newtonIterations(), settings.residual());
                        if (n != null) {
                            found.add(n);
                        }
                        double[] r = net.relax(v, settings.dt(), settings.relaxSteps(), settings.residual());
                        if (r != null) {
                            found.add(r);
                        }
                    }
                    List<double[]> distinct = TanhNetwork.distinct(found, 1e-4);
                    int hyperbolic = 0;
                    int stable = 0;
                    double minMargin = Double.POSITIVE_INFINITY;
                    TanhNetwork.FixedPoint zero = null;
                    for (double[] v : distinct) {
                        TanhNetwork.FixedPoint fp = net.classify(v, settings.tolerance());
                        zero = zero == null ? fp : zero; // the first is v* = 0
                        hyperbolic += fp.hyperbolic() ? 1 : 0;
                        stable += fp.stable() ? 1 : 0;
                        minMargin = Math.min(minMargin, fp.margin());
                    }
                    o.accept(TRIALS.row(cell, t.replicate(), t.seed())
                            .set(GRAM_LAMBDA_MIN, lambdaMin)
                            .set(CONDITION_I, lambdaMin > 1 ? 1 : 0)
                            .set(ZERO_HYPERBOLIC, zero.hyperbolic() ? 1 : 0)
                            .set(ZERO_MARGIN, zero.margin())
                            .set(FIXED_POINTS, distinct.size())
                            .set(HYPERBOLIC_FRACTION, hyperbolic / (double) distinct.size())
                            .set(STABLE_FRACTION, stable / (double) distinct.size())
                            .set(MIN_MARGIN, minMargin)
                            .ok());
                });
            }
        }
    }

    @Override
    public Derived derive(Plan<Settings> plan, List<Aggregate> aggregates) {
        Column lambda = Tables.metric(aggregates, GRAM_LAMBDA_MIN);
        Column cond = Tables.metric(aggregates, CONDITION_I);
        Column hyp = Tables.metric(aggregates, HYPERBOLIC_FRACTION);
        Column zero = Tables.metric(aggregates, ZERO_HYPERBOLIC);
        Map<Integer, List<Cell>> byN = new LinkedHashMap<>();
        for (Cell c : plan.cells()) {
            byN.computeIfAbsent(plan.at(c).nv(), k -> new ArrayList<>()).add(c);
        }
        List<List<Object>> rows = new ArrayList<>();
        List<Figure.Series> lambdaSeries = new ArrayList<>();
        List<Figure.Series> condSeries = new ArrayList<>();
        List<Figure.Series> hypSeries = new ArrayList<>();
        double minAlpha = Double.POSITIVE_INFINITY;
        double maxAlpha = 0;
        for (Map.Entry<Integer, List<Cell>> e : byN.entrySet()) {
            List<Cell> cs = new ArrayList<>(e.getValue());
            cs.sort((a, b) -> Double.compare(plan.at(a).alpha(), plan.at(b).alpha()));
            int n = cs.size();
            double[] x = new double[n];
            double[][] l = new double[3][n];
            double[][] c = new double[3][n];
            double[][] h = new double[3][n];
            for (int i = 0; i < n; i++) {
                Cell cell = cs.get(i);
                x[i] = plan.at(cell).alpha();
                minAlpha = Math.min(minAlpha, x[i]);
                maxAlpha = Math.max(maxAlpha, x[i]);
                fill(l, i, lambda.get(cell), 0, Double.POSITIVE_INFINITY);
                fill(c, i, cond.get(cell), 0, 1);
                fill(h, i, hyp.get(cell), 0, 1);
                rows.add(Tables.row((long) e.getKey(), x[i], (long) plan.at(cell).hidden(), l[0][i], edge(x[i]), c[0][i],
                        Tables.mean(zero.get(cell)), h[0][i]));
            }
            lambdaSeries.add(new Figure.Series("N_v = " + e.getKey(), x, l[0], l[1], l[2]));
            condSeries.add(new Figure.Series("N_v = " + e.getKey() + ", λ_min(ΞΞᵀ) > 1", x, c[0], c[1], c[2]));
            hypSeries.add(new Figure.Series("N_v = " + e.getKey() + ", hyperbolic fixed points", x, h[0], h[1], h[2]));
        }
        double[] ax = new double[50];
        double[] ay = new double[50];
        double[] nan = new double[50];
        java.util.Arrays.fill(nan, Double.NaN);
        for (int i = 0; i < 50; i++) {
            ax[i] = minAlpha * Math.pow(maxAlpha / minAlpha, i / 49.0);
            ay[i] = edge(ax[i]);
        }
        lambdaSeries.add(new Figure.Series("(1 − √(1/α))², N_v → ∞", ax, ay, nan, nan, true));
        List<Figure.Series> fractions = new ArrayList<>(condSeries);
        fractions.addAll(hypSeries);
        fractions.add(new Figure.Series("α = 1/4", new double[] {0.25, 0.25}, new double[] {0, 1},
                new double[] {Double.NaN, Double.NaN}, new double[] {Double.NaN, Double.NaN}, true));
        return new Derived(List.of(new Derived.DerivedTable("hyperbolicity",
                "one row per (N_v, α): N_h, the mean smallest Gram eigenvalue λ_min(ΞΞᵀ) and the Marchenko–Pastur edge "
                + "(1 − √(1/α))², the fraction of draws meeting condition (i) λ_min > 1, the fraction whose zero fixed "
                + "point is hyperbolic, and the mean fraction of hyperbolic fixed points among those found",
                List.of("nv", "alpha", "nh", "gram_lambda_min", "mp_edge", "condition_i_fraction",
                        "zero_hyperbolic_fraction", "hyperbolic_fraction"), rows)),
                List.of(new Figure.Curves("gram_lambda_min_vs_alpha", "Smallest eigenvalue of ΞΞᵀ vs α (mean, 95% CI) "
                        + "and the Marchenko–Pastur edge", "α = N_h / N_v", true, "λ_min(ΞΞᵀ)", true, lambdaSeries),
                        new Figure.Curves("hyperbolic_vs_alpha", "Condition (i) and hyperbolic fixed points vs α "
                                + "(the paper's bound α < 1/4 dashed)", "α = N_h / N_v", true, "fraction", false,
                                fractions)));
    }

    private static void fill(double[][] m, int i, Aggregate a, double lo, double hi) {
        m[0][i] = Tables.mean(a);
        double[] ci = Tables.ci(a, lo, hi);
        m[1][i] = ci[0];
        m[2][i] = ci[1];
    }
}
