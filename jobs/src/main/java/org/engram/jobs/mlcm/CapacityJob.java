package org.engram.jobs.mlcm;

import static org.engram.jobs.config.Setting.Vary.MAY;
import static org.engram.jobs.config.Setting.Vary.MUST;

import java.util.ArrayList;
import java.util.HashSet;
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
import org.engram.kernels.mlcm.Capacity;
import org.engram.kernels.mlcm.Mlcm;

/**
 * {@code perceptron.capacity} (thesis §5.1): the fraction of random ±1 label sets of P random ±1 patterns
 * in N dimensions that a perceptron separates, against α = P/N, without preprocessing (Cover: 50% at
 * α = 2) and with the patterns first relaxed by a random RNN (initial state = the pattern, synchronous
 * sign dynamics with self-coupling J_D until a fixed point; the thesis cites ≈ 6N). A trial is one
 * (patterns, labels[, RNN]) draw; separability is decided by Rosenblatt's rule with {@code max-epochs}
 * sweeps, so the measured fraction can only fall short of the true one near the transition — Cover's
 * exact curve is plotted beside it.
 */
public final class CapacityJob implements Job<CapacityJob.Settings> {
    static final TableSpec TRIALS = new TableSpec("trials", List.of("separable", "epochs", "rnn_converged",
            "distinct_fraction"), Set.of("epochs", "rnn_converged"),
            "one row per trial: 1 when the perceptron separated the set within max-epochs, the epochs it took "
            + "(NaN otherwise), the fraction of patterns whose RNN dynamics reached a fixed point (NaN without "
            + "preprocessing), the fraction of distinct (preprocessed) patterns");
    static final Metric SEPARABLE = TRIALS.metric("separable");
    static final Metric EPOCHS = TRIALS.metric("epochs");
    static final Metric RNN_CONVERGED = TRIALS.metric("rnn_converged");
    static final Metric DISTINCT_FRACTION = TRIALS.metric("distinct_fraction");
    /** The cell's dimensions, the trials, the perceptron's epochs and the RNN's settings. */
    public record Settings(
            @Setting(doc = "input dimension N", min = 2, max = 100_000, grid = MUST) int n,
            @Setting(doc = "load α = P/N", min = 0, max = Double.POSITIVE_INFINITY, above = true, grid = MUST)
            double alpha,
            @Setting(doc = "none, or relax each pattern by a random RNN first", choices = {"none", "rnn"},
                    grid = MUST) String preprocessing,
            @Setting(doc = "the RNN's self-coupling J_D", min = -1e6, max = 1e6, grid = MAY) double selfCoupling,
            @Setting(doc = "k: the preprocessing RNN has N_rnn = k·N units (1: the input's size, as the thesis' §5.1 "
                    + "design)", min = 1, max = 1000, grid = MAY) int expansion,
            @Setting(doc = "how an N-dim pattern enters N_rnn = k·N units: pad = zero-padded (as the MLCM pads its "
                    + "inputs), random = sign of a fixed Gaussian k·N × N projection", choices = {"pad", "random"},
                    grid = MAY) String embedding,
            @Setting(doc = "dichotomies per cell", min = 1, max = 10_000_000, replicates = true) int trials,
            @Setting(doc = "perceptron sweeps before a set counts as not separable", min = 1, max = 10_000_000)
            int maxEpochs,
            @Setting(doc = "the RNN's T_max", min = 1, max = 1_000_000) int rnnTMax,
            @Setting(doc = "trials of a cell per work unit", min = 1, max = 1_000_000)
            @Operational("chunking of trials into units") int trialsPerUnit) implements java.io.Serializable {
    }

    @Override
    public String id() {
        return "perceptron.capacity";
    }

    @Override
    public String description() {
        return "Perceptron capacity: fraction of separable random dichotomies vs P/N, raw (Cover) and after "
                + "random-RNN preprocessing";
    }

    @Override
    public Plan<Settings> plan(Setup<Settings> setup) {
        Settings s = setup.settings();
        return ReplicateRange.plan(setup, s.trials(), s.trialsPerUnit(), List.of(TRIALS), "P × N × epochs", Unit::new);
    }

    /** Trials [from, to) of one cell. */
    record Unit(SweepIdentity sweep, Cell cell, int from, int to, Settings settings) implements ReplicateRange {
        @Override
        public TableSpec table() {
            return TRIALS;
        }

        @Override
        public String seedStream() {
            return "patterns";
        }

        @Override
        public double cost() {
            int n = settings.n();
            int k = settings.expansion();
            double p = settings.alpha() * n;
            double epochs = settings.alpha() > 1.7 * k ? settings.maxEpochs() : 20;
            return (to - from) * p * n * k * epochs;
        }

        @Override
        public void run(UnitContext context, Consumer<TrialRow> out) {
            int n = settings.n();
            int p = (int) Math.round(settings.alpha() * n);
            boolean rnn = settings.preprocessing().equals("rnn");
            double jd = settings.selfCoupling();
            for (Trial trial : trialsOwed()) {
                int t = trial.replicate();
                long seed = trial.seed();
                Trials.guard(trial, out, o -> {
                    SplittableRandom r = new SplittableRandom(seed);
                    float[] x = new float[p * n];
                    for (int i = 0; i < x.length; i++) {
                        x[i] = r.nextBoolean() ? 1f : -1f;
                    }
                    int[] y = new int[p];
                    for (int i = 0; i < p; i++) {
                        y[i] = r.nextBoolean() ? 1 : -1;
                    }
                    // the pattern in N_rnn = k·N dims: zero-padded, or the sign of a fixed random projection
                    int k = settings.expansion();
                    int nr = k * n;
                    boolean random = k > 1 && settings.embedding().equals("random");
                    if (random) {
                        x = org.engram.kernels.data.Projection.project(x, p, n, nr,
                                sweep.derive(cell.key(), t, "embedding"));
                    }
                    int inputs = random ? nr : n;
                    double converged = Double.NaN;
                    float[] states = new float[p * nr];
                    if (!rnn) {
                        for (int mu = 0; mu < p; mu++) {
                            System.arraycopy(x, mu * inputs, states, mu * nr, inputs); // zero-padded beyond
                        }
                    } else {
                        Mlcm.Params mp = new Mlcm.Params(nr, 1, 1, jd, new double[] {0}, new double[] {0}, 0, 0,
                                Mlcm.Order.LAYER_SEQUENTIAL_SYNC, Mlcm.Init.INPUT, Mlcm.States.SPIN, 0, Double.NaN,
                                settings.rnnTMax());
                        Mlcm net = new Mlcm(mp, new SplittableRandom(sweep.derive(cell.key(), t, "rnn")));
                        int batch = Math.min(p, 256);
                        Mlcm.Batch bt = net.batch(batch);
                        long ok = 0;
                        for (int f = 0; f < p; f += batch) {
                            int size = Math.min(batch, p - f);
                            net.load(bt, x, inputs, null, f, size, null);
                            net.initialise(bt);
                            net.converge(bt, false, r);
                            for (int b = 0; b < size; b++) {
                                ok += bt.converged[b] ? 1 : 0;
                                for (int i = 0; i < nr; i++) {
                                    states[(f + b) * nr + i] = bt.state(0, b, i);
                                }
                            }
                        }
                        converged = ok / (double) p;
                    }
                    int[] xi = new int[p * nr];
                    Set<String> distinct = new HashSet<>();
                    for (int mu = 0; mu < p; mu++) {
                        StringBuilder sb = new StringBuilder(nr);
                        for (int i = 0; i < nr; i++) {
                            float v = states[mu * nr + i];
                            xi[mu * nr + i] = v > 0 ? 1 : v < 0 ? -1 : 0; // padding without an RNN stays 0
                            sb.append(v > 0 ? '1' : v < 0 ? '0' : '.');
                        }
                        distinct.add(sb.toString());
                    }
                    int epochs = Capacity.train(xi, p, nr, y, settings.maxEpochs());
                    o.accept(TRIALS.row(cell, t, seed)
                            .set(SEPARABLE, epochs > 0 ? 1 : 0)
                            .set(EPOCHS, epochs > 0 ? epochs : Double.NaN)
                            .set(RNN_CONVERGED, converged)
                            .set(DISTINCT_FRACTION, distinct.size() / (double) p)
                            .ok());
                });
            }
        }

    }

    @Override
    public Derived derive(Plan<Settings> plan, List<Aggregate> aggregates) {
        Column sep = Tables.metric(aggregates, SEPARABLE);
        Map<String, List<Cell>> groups = new LinkedHashMap<>();
        for (Cell c : plan.cells()) {
            String g = "n" + c.get("n") + "_" + c.get("preprocessing")
                    + (c.has("self-coupling") ? "_jd" + Cell.format(c.get("self-coupling")) : "")
                    + (plan.at(c).expansion() > 1 ? "_k" + plan.at(c).expansion() + "_" + plan.at(c).embedding() : "");
            groups.computeIfAbsent(g, k -> new ArrayList<>()).add(c);
        }
        List<Figure.Series> series = new ArrayList<>();
        List<List<Object>> rows = new ArrayList<>();
        // Cover's curve per (N, N_rnn): the fraction for P = α N patterns in N_rnn = k N dimensions
        Map<List<Integer>, double[]> coverRange = new LinkedHashMap<>();
        for (Map.Entry<String, List<Cell>> g : groups.entrySet()) {
            List<Cell> cs = new ArrayList<>(g.getValue());
            cs.sort((a, b) -> Double.compare(a.getDouble("alpha"), b.getDouble("alpha")));
            double[] xs = cs.stream().mapToDouble(c -> c.getDouble("alpha")).toArray();
            double[] y = new double[xs.length];
            double[] lo = new double[xs.length];
            double[] hi = new double[xs.length];
            for (int i = 0; i < cs.size(); i++) {
                Aggregate a = sep.get(cs.get(i));
                y[i] = Tables.mean(a);
                double[] ci = Tables.ci(a, 0, 1);
                lo[i] = ci[0];
                hi[i] = ci[1];
            }
            String label = Tables.label(cs.get(0), plan.cells(), "alpha");
            series.add(new Figure.Series(label.isEmpty() ? "measured" : label, xs, y, lo, hi));
            long n = (Long) cs.get(0).get("n");
            int k = plan.at(cs.get(0)).expansion();
            coverRange.merge(List.of((int) n, k), new double[] {xs[0], xs[xs.length - 1]},
                    (a, b) -> new double[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
            rows.add(Tables.row(g.getKey(), n, String.valueOf(cs.get(0).get("preprocessing")), (long) k,
                    plan.at(cs.get(0)).embedding(), n * k, crossing(xs, y), k * coverCrossing((int) n * k)));
        }
        for (Map.Entry<List<Integer>, double[]> e : coverRange.entrySet()) {
            int n = e.getKey().get(0);
            int nr = n * e.getKey().get(1);
            int points = 60;
            double[] xs = new double[points];
            double[] y = new double[points];
            for (int i = 0; i < points; i++) {
                xs[i] = e.getValue()[0] + (e.getValue()[1] - e.getValue()[0]) * i / (points - 1);
                y[i] = Capacity.cover((int) Math.round(xs[i] * n), nr);
            }
            series.add(Figure.Series.reference(nr == n ? "Cover, N = " + n : "Cover, " + nr + " dims (N = " + n + ")",
                    xs, y));
        }
        Figure fig = new Figure.Curves("capacity", "Fraction of random dichotomies a perceptron separates vs P/N "
                + "(95% CI over trials)", "α = P/N", false, "fraction separable", false, series);
        return new Derived(List.of(new Derived.DerivedTable("capacity",
                "one row per (group, N, preprocessing, expansion k, embedding): alpha_at_half = P/N where the measured "
                + "fraction of separable dichotomies falls through 1/2 (linear interpolation between grid points; NaN "
                + "if it never does), cover_alpha_at_half the same crossing of Cover's exact fraction for a perceptron "
                + "on the n_rnn = k N dimensions it is trained on, in units of the input's N (2k as N → ∞)",
                List.of("group", "n", "preprocessing", "expansion", "embedding", "n_rnn", "alpha_at_half",
                        "cover_alpha_at_half"), rows)), List.of(fig));
    }

    /** α where the fraction falls through 1/2 (linear interpolation), NaN when it never does. */
    static double crossing(double[] xs, double[] y) {
        for (int i = 1; i < xs.length; i++) {
            if (y[i - 1] >= 0.5 && y[i] < 0.5) {
                return xs[i - 1] + (xs[i] - xs[i - 1]) * (y[i - 1] - 0.5) / (y[i - 1] - y[i]);
            }
        }
        return Double.NaN;
    }

    /** Cover's α at 1/2 for this N (P = 2N exactly, found numerically over integer P). */
    static double coverCrossing(int n) {
        for (int p = n; p <= 4 * n; p++) {
            if (Capacity.cover(p, n) <= 0.5) {
                return p / (double) n;
            }
        }
        return Double.NaN;
    }
}
