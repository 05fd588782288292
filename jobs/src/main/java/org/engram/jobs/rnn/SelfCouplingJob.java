package org.engram.jobs.rnn;

import static org.engram.jobs.config.Setting.Vary.MUST;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.apache.commons.math3.stat.regression.SimpleRegression;
import org.engram.jobs.config.Cell;
import org.engram.jobs.config.Grid;
import org.engram.jobs.config.Operational;
import org.engram.jobs.config.Problems;
import org.engram.jobs.config.Schema;
import org.engram.jobs.config.Setting;
import org.engram.jobs.core.Aggregate;
import org.engram.jobs.core.Column;
import org.engram.jobs.core.Derived;
import org.engram.jobs.core.Figure;
import org.engram.jobs.core.Job;
import org.engram.jobs.core.Metric;
import org.engram.jobs.core.Plan;
import org.engram.jobs.core.Setup;
import org.engram.jobs.core.SweepIdentity;
import org.engram.jobs.core.TableSpec;
import org.engram.jobs.core.Tables;
import org.engram.jobs.core.Trial;
import org.engram.jobs.core.TrialRow;
import org.engram.jobs.core.Trials;
import org.engram.jobs.core.UnitContext;
import org.engram.jobs.core.WorkUnit;
import org.engram.kernels.rnn.FieldUpdate;
import org.engram.kernels.rnn.Outcome;
import org.engram.kernels.rnn.PackedCouplings;
import org.engram.kernels.rnn.SelfCouplingDynamics;
import org.engram.kernels.rnn.SpinStates;
import org.engram.kernels.rnn.SpinUpdate;
import org.engram.kernels.rnn.Trajectory;

/**
 * {@code rnn.self-coupling} — thesis §3.1, Figs. 3.1–3.2: ±1/√N couplings with self-coupling J_D
 * (eq. 3.1). Grid (n, jd); replicates are weight draws × initial states.
 *
 * <p>One work unit is one (n, weight draw): its bit-packed couplings are built once (or regenerated
 * from the counter-based generator when they exceed {@code params.max-coupling-bytes}) and every
 * (J_D, initial state) of that draw advances together, each row read once per sweep. The unit also
 * emits the draw's critical self-coupling J_D*(draw) = the smallest grid J_D from which on every
 * initial state of the draw reached a fixed point (NaN when the grid never gets there). The thesis'
 * J_D*(N) is the largest of these over draws; the table also gives their mean and CI.
 */
public final class SelfCouplingJob implements Job<SelfCouplingJob.Settings> {
    static final TableSpec TRIALS = new TableSpec("trials",
            List.of("iterations", "converged", "cycle", "period", "magnetisation", "convergence_time"),
            Set.of("convergence_time"), "one row per (n, jd, weight draw, initial state): iterations = sweeps until "
            + "a fixed point or cycle was recognised (T_max for a timeout), converged = 1 for a fixed point, cycle = 1 "
            + "for a cycle of period > 1, period (1 fixed point, 0 timeout), magnetisation = mean spin of the last "
            + "state; convergence_time = iterations when the trial reached a fixed point, NaN otherwise");
    static final Metric ITERATIONS = TRIALS.metric("iterations");
    static final Metric CONVERGED = TRIALS.metric("converged");
    static final Metric CYCLE = TRIALS.metric("cycle");
    static final Metric PERIOD = TRIALS.metric("period");
    static final Metric MAGNETISATION = TRIALS.metric("magnetisation");
    static final Metric CONVERGENCE_TIME = TRIALS.metric("convergence_time");
    static final TableSpec CRITICAL = new TableSpec("critical", List.of("jd_star", "found"), Set.of("jd_star"),
            "one row per (n, weight draw): jd_star = the smallest grid J_D from which every initial state of that "
            + "draw converged (NaN if none), found = 1 when there is one");
    static final Metric JD_STAR = CRITICAL.metric("jd_star");
    static final Metric FOUND = CRITICAL.metric("found");

    static final Schema<Settings> SCHEMA = Schema.of(Settings.class);

    @Override
    public String id() {
        return "rnn.self-coupling";
    }

    @Override
    public String description() {
        return "Thesis §3.1: critical self-coupling J_D*(N) and convergence time T_c(J_D) of ±1/√N networks (bit-packed)";
    }

    /** The grid, the replicates and the kernel's settings. */
    public record Settings(
            @Setting(doc = "number of spins N", min = 2, max = 2_000_000, grid = MUST) int n,
            @Setting(doc = "self-coupling J_D (eq. 3.1)", min = 0, max = Double.POSITIVE_INFINITY, grid = MUST)
            double jd,
            @Setting(doc = "independent ±1/√N coupling matrices per n", min = 1, max = 100_000, replicates = true)
            int weightDraws,
            @Setting(doc = "random initial states per weight draw (the same for every J_D)", min = 1, max = 100_000,
                    replicates = true) int initialStates,
            @Setting(doc = "T_max: sweeps before giving up", min = 1, max = 1_000_000) int maxSteps,
            @Setting(doc = "synchronous or asynchronous") SpinUpdate update,
            @Setting(doc = "incremental or full recompute of the local fields (identical results)")
            @Operational("incremental fields equal a full recompute") FieldUpdate fieldUpdate,
            @Setting(doc = "bit-packed couplings held in memory or regenerated row by row (the same couplings)")
            @Operational("the same couplings either way") Storage couplingStorage,
            @Setting(doc = "auto storage materialises the couplings up to this size", min = 0, max = Long.MAX_VALUE)
            @Operational("picks the storage") long maxCouplingBytes,
            @Setting(doc = "(J_D, initial state) pairs advanced together", min = 1, max = 100_000)
            @Operational("batching; every state has its own streams") int statesPerBatch,
            @Setting(doc = "threads inside one unit", min = 1, max = 1024) @Operational("threads") int threads)
            implements java.io.Serializable {
    }

    /** Where the couplings live. */
    public enum Storage { AUTO, MATERIALISED, REGENERATED }

    @Override
    public void check(Setup<Settings> setup, Problems problems) {
        if (setup.settings().couplingStorage() == Storage.MATERIALISED) {
            for (Cell c : setup.cells()) {
                int n = setup.at(c).n();
                if ((long) n * PackedCouplings.wordsFor(n) > Integer.MAX_VALUE - 8) {
                    problems.at(setup.conf(), "params.coupling-storage", "n = " + n
                            + " is too large to materialise; use auto or regenerated");
                    break;
                }
            }
        }
    }

    @Override
    public Plan<Settings> plan(Setup<Settings> setup) {
        Settings settings = setup.settings();
        int draws = settings.weightDraws();
        int inits = settings.initialStates();
        Map<Integer, List<Cell>> byN = new LinkedHashMap<>();
        for (Cell c : setup.cells()) {
            byN.computeIfAbsent(setup.at(c).n(), k -> new ArrayList<>()).add(c);
        }
        List<WorkUnit> units = new ArrayList<>();
        for (Map.Entry<Integer, List<Cell>> e : byN.entrySet()) {
            List<Cell> cs = new ArrayList<>(e.getValue());
            cs.sort((x, y) -> Double.compare(setup.at(x).jd(), setup.at(y).jd()));
            for (int w = 0; w < draws; w++) {
                units.add(new Unit(setup.sweep(), e.getKey(), w, inits, cs, settings));
            }
        }
        return new Plan<>(setup, draws * inits, List.of(TRIALS, CRITICAL), units,
                "64-spin words (upper bound, T_max sweeps)");
    }

    /** One (n, weight draw): every J_D and initial state of it. */
    record Unit(SweepIdentity sweep, int n, int draw, int inits, List<Cell> cells, Settings settings)
            implements WorkUnit {
        /** The cell of the per-draw critical table: (n) alone. */
        Cell nCell() {
            return new Cell(0, new String[] {"n"}, new Object[] {(long) n});
        }

        @Override
        public String key() {
            return "n=" + n + "/draw=" + draw;
        }

        @Override
        public double cost() {
            return (double) n * PackedCouplings.wordsFor(n) * inits * cells.size() * settings.maxSteps();
        }

        @Override
        public int trials() {
            return cells.size() * inits;
        }

        private int replicate(int init) {
            return draw * inits + init;
        }

        /** The initial state's seed: (n, draw, init) only — every J_D starts from the same states. */
        private long initSeed(int init) {
            return sweep.derive("n=" + n, replicate(init), "init");
        }

        private long criticalSeed() {
            return sweep.derive("n=" + n, draw, "couplings");
        }

        @Override
        public List<Trial> trialsOwed() {
            List<Trial> out = new ArrayList<>();
            for (Cell c : cells) {
                for (int i = 0; i < inits; i++) {
                    out.add(new Trial(TRIALS.name(), c, replicate(i), initSeed(i)));
                }
            }
            out.add(new Trial(CRITICAL.name(), nCell(), draw, criticalSeed()));
            return out;
        }

        PackedCouplings couplings() {
            long seed = sweep.derive("n=" + n, draw, "couplings");
            return switch (settings.couplingStorage()) {
                case MATERIALISED -> PackedCouplings.materialised(n, seed);
                case REGENERATED -> PackedCouplings.regenerated(n, seed);
                case AUTO -> PackedCouplings.auto(n, seed, settings.maxCouplingBytes());
            };
        }

        @Override
        public void run(UnitContext context, Consumer<TrialRow> out) {
            PackedCouplings j = couplings();
            int total = cells.size() * inits;
            boolean[] allConverged = new boolean[cells.size()];
            java.util.Arrays.fill(allConverged, true);
            boolean anyFailed = false;
            List<Trial> owed = trialsOwed();
            double[] cellJd = cells.stream().mapToDouble(c -> SCHEMA.at(c, settings).jd()).toArray();
            for (int from = 0; from < total; from += settings.statesPerBatch()) {
                int to = Math.min(total, from + settings.statesPerBatch());
                int first = from;
                int k = to - from;
                double[] jd = new double[k];
                long[][] states = new long[k][];
                for (int q = 0; q < k; q++) {
                    jd[q] = cellJd[(from + q) / inits];
                    states[q] = SpinStates.random(n, new SplittableRandom(owed.get(from + q).seed()));
                }
                anyFailed |= !Trials.guard(owed.subList(from, to), out, o -> {
                    Trajectory[] t;
                    if (settings.update() == SpinUpdate.SYNCHRONOUS) {
                        // progress by the sweeps the cost model counts (T_max per state), after every sweep
                        double steps = settings.maxSteps();
                        t = SelfCouplingDynamics.run(j, jd, states, settings.maxSteps(), settings.update(),
                                settings.fieldUpdate(), null, settings.threads(),
                                sweep -> context.progress((first + k * Math.min(1, sweep / steps)) / total));
                    } else {
                        // each state's update order comes from its own stream: results do not depend on batching
                        t = new Trajectory[k];
                        for (int q = 0; q < k; q++) {
                            Cell c = cells.get((first + q) / inits);
                            SplittableRandom order = new SplittableRandom(sweep.derive(c.key(),
                                    replicate((first + q) % inits), "order"));
                            t[q] = SelfCouplingDynamics.run(j, new double[] {jd[q]}, new long[][] {states[q]},
                                    settings.maxSteps(), settings.update(), settings.fieldUpdate(), order)[0];
                        }
                    }
                    for (int q = 0; q < k; q++) {
                        int ci = (first + q) / inits;
                        Trajectory x = t[q];
                        allConverged[ci] &= x.converged();
                        o.accept(TRIALS.row(cells.get(ci), replicate((first + q) % inits), owed.get(first + q).seed())
                                .set(ITERATIONS, x.iterations())
                                .set(CONVERGED, x.converged() ? 1 : 0)
                                .set(CYCLE, x.outcome() == Outcome.CYCLE ? 1 : 0)
                                .set(PERIOD, x.period())
                                .set(MAGNETISATION, x.magnetisation())
                                .set(CONVERGENCE_TIME, x.converged() ? x.iterations() : Double.NaN)
                                .ok());
                    }
                });
                context.progress(to / (double) total);
            }
            long critSeed = criticalSeed();
            if (anyFailed) {
                out.accept(TrialRow.failed(CRITICAL.name(), nCell(), draw, critSeed, "some trials of this draw failed"));
                return;
            }
            double star = Double.NaN;
            for (int ci = cells.size() - 1; ci >= 0 && allConverged[ci]; ci--) {
                star = cellJd[ci];
            }
            out.accept(CRITICAL.row(nCell(), draw, critSeed)
                    .set(JD_STAR, star)
                    .set(FOUND, Double.isNaN(star) ? 0 : 1)
                    .ok());
        }

    }

    private static double[] nan(int n) {
        double[] x = new double[n];
        java.util.Arrays.fill(x, Double.NaN);
        return x;
    }

    @Override
    public Derived derive(Plan<Settings> plan, List<Aggregate> aggregates) {
        Column tc = Tables.metric(aggregates, CONVERGENCE_TIME);
        Column conv = Tables.metric(aggregates, CONVERGED);
        Column star = Tables.metric(aggregates, JD_STAR);
        Column found = Tables.metric(aggregates, FOUND);
        double[] ns = Tables.distinct(plan.cells(), "n", c -> true);
        List<List<Object>> critical = new ArrayList<>();
        List<List<Object>> fits = new ArrayList<>();
        List<Figure.Series> tcSeries = new ArrayList<>();
        double[] starMean = new double[ns.length];
        double[] starLo = new double[ns.length];
        double[] starHi = new double[ns.length];
        double[] starAll = new double[ns.length];
        for (int ni = 0; ni < ns.length; ni++) {
            double n = ns[ni];
            Cell nk = new Cell(0, new String[] {"n"}, new Object[] {(long) n});
            Aggregate s = star.get(nk);
            Aggregate f = found.get(nk);
            long draws = f == null ? 0 : f.moments().count();
            long foundCount = f == null ? 0 : Math.round(f.moments().mean() * draws);
            // thesis definition: every draw must converge, so J_D* is the largest per-draw value
            double thesis = foundCount == draws && s != null ? s.moments().max() : Double.NaN;
            double[] ci = Tables.ci(s);
            starMean[ni] = Tables.mean(s);
            starLo[ni] = ci[0];
            starHi[ni] = ci[1];
            starAll[ni] = thesis;
            critical.add(Tables.row((long) n, thesis, starMean[ni], ci[0], ci[1], draws, foundCount));
            double[] jds = Tables.distinct(plan.cells(), "jd", c -> c.getDouble("n") == n);
            double[] y = new double[jds.length];
            double[] lo = new double[jds.length];
            double[] hi = new double[jds.length];
            SimpleRegression reg = new SimpleRegression();
            for (int i = 0; i < jds.length; i++) {
                Cell key = Trials.extend(nk, "jd", jds[i]);
                Aggregate a = tc.get(key);
                y[i] = Tables.mean(a);
                double[] c = Tables.ci(a);
                lo[i] = c[0];
                hi[i] = c[1];
                double fc = Tables.mean(conv.get(key));
                if (!Double.isNaN(thesis) && jds[i] > thesis && fc == 1.0 && y[i] > 0) {
                    reg.addData(Math.log(jds[i] - thesis), Math.log(y[i]));
                }
            }
            tcSeries.add(new Figure.Series("N = " + (long) n, jds, y, lo, hi));
            if (reg.getN() >= 3) {
                fits.add(Tables.row((long) n, thesis, -reg.getSlope(), reg.getRSquare(), reg.getN()));
            } else {
                fits.add(Tables.row((long) n, thesis, Double.NaN, Double.NaN, reg.getN()));
            }
        }
        List<List<Object>> scaling = new ArrayList<>();
        List<Figure.Series> starSeries = new ArrayList<>(List.of(
                new Figure.Series("J_D*: every draw and initial state converges (thesis)", ns, starAll, nan(ns.length),
                        nan(ns.length)),
                new Figure.Series("J_D* per draw: mean, 95% CI", ns, starMean, starLo, starHi)));
        for (Growth g : Growth.values()) {
            double[] fitted = g.fit(ns, starAll, scaling);
            if (fitted != null) {
                starSeries.add(Figure.Series.reference(g.legend, ns, fitted));
            }
        }
        List<Figure> figures = List.of(
                new Figure.Curves("critical_self_coupling", "Critical self-coupling J_D*(N)",
                        "network size N", true, "critical self-coupling J_D*", false, starSeries),
                new Figure.Curves("convergence_time", "Convergence time T_c(J_D) of converged trials, 95% CI",
                        "self-coupling J_D", false, "sweeps to a fixed point", true, tcSeries));
        return new Derived(List.of(
                new Derived.DerivedTable("critical_self_coupling",
                "one row per N: jd_star = the smallest J_D of the grid at which every draw and every "
                + "initial state converged (the thesis' J_D*); jd_star_mean_over_draws = the mean over draws of each "
                + "draw's own J_D* with its 95% t-interval; draws, and how many found a J_D* in the grid",
                List.of("n", "jd_star", "jd_star_mean_over_draws",
                        "ci95_low", "ci95_high", "draws", "draws_converging"), critical),
                new Derived.DerivedTable("convergence_time_fit",
                "one row per N: the fit T_c ∝ (J_D − J_D*)^(−gamma) by least squares on log–log axes over "
                + "the J_D above jd_star where every trial converged; r_squared of that fit and the points used "
                + "(gamma NaN with fewer than 3 points)", List.of("n", "jd_star", "gamma", "r_squared", "points"),
                        fits),
                new Derived.DerivedTable("jd_star_growth",
                "one row per (law, N) with a jd_star: the thesis' J_D*(N) fitted by least squares against log N "
                + "(jd = a + b ln N) and against a power law (ln jd = ln c + p ln N, jd > 0), the fitted value and "
                + "the residual jd_star − fitted in J_D units; per law its two coefficients (intercept a or ln c, "
                + "slope b or p), the residual sum of squares in J_D units and the fit's R² on its own axes (the "
                + "thesis: J_D* grows slower than log N; the grid's J_D step bounds how small a residual can be)",
                List.of("law", "n", "jd_star", "fitted", "residual", "intercept", "slope", "rss", "r_squared"),
                        scaling)), figures);
    }

    /** Two growth laws for J_D*(N), each fitted by least squares on the axes that make it a line. */
    enum Growth {
        LOG("fit a + b ln N"),
        POWER("fit c N^p");

        final String legend;

        Growth(String legend) {
            this.legend = legend;
        }

        /**
         * Fits the law to the N with a finite J_D* (and J_D* > 0 for the power law); adds a row per fitted N to
         * {@code rows}; returns the fitted J_D* at every N (NaN where not fitted), or null with fewer than 3 points.
         */
        double[] fit(double[] ns, double[] star, List<List<Object>> rows) {
            SimpleRegression reg = new SimpleRegression();
            for (int i = 0; i < ns.length; i++) {
                if (usable(star[i])) {
                    reg.addData(Math.log(ns[i]), this == LOG ? star[i] : Math.log(star[i]));
                }
            }
            if (reg.getN() < 3) {
                return null;
            }
            double[] fitted = new double[ns.length];
            double rss = 0;
            for (int i = 0; i < ns.length; i++) {
                double line = reg.predict(Math.log(ns[i]));
                fitted[i] = this == LOG ? line : Math.exp(line);
                if (usable(star[i])) {
                    rss += (star[i] - fitted[i]) * (star[i] - fitted[i]);
                }
            }
            for (int i = 0; i < ns.length; i++) {
                if (usable(star[i])) {
                    rows.add(Tables.row(name().toLowerCase(java.util.Locale.ROOT), (long) ns[i], star[i], fitted[i],
                            star[i] - fitted[i], reg.getIntercept(), reg.getSlope(), rss, reg.getRSquare()));
                } else {
                    fitted[i] = Double.NaN;
                }
            }
            return fitted;
        }

        private boolean usable(double jd) {
            return Double.isFinite(jd) && (this == LOG || jd > 0);
        }
    }
}
