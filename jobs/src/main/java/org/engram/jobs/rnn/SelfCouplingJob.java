package org.engram.jobs.rnn;

import com.typesafe.config.Config;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.apache.commons.math3.stat.regression.SimpleRegression;
import org.engram.jobs.config.Dimension;
import org.engram.jobs.config.Grid;
import org.engram.jobs.config.Section;
import org.engram.jobs.core.Aggregate;
import org.engram.jobs.core.Cell;
import org.engram.jobs.core.Derived;
import org.engram.jobs.core.Figure;
import org.engram.jobs.core.Job;
import org.engram.jobs.core.Plan;
import org.engram.jobs.core.Problems;
import org.engram.jobs.core.SweepIdentity;
import org.engram.jobs.core.TableSpec;
import org.engram.jobs.core.Tables;
import org.engram.jobs.core.TrialRow;
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
public final class SelfCouplingJob implements Job {
    public static final String ID = "rnn.self-coupling";
    static final TableSpec TRIALS = new TableSpec("trials",
            List.of("iterations", "converged", "cycle", "period", "magnetisation", "convergence_time"),
            Set.of("convergence_time"), "one row per (n, jd, weight draw, initial state): iterations = sweeps until "
            + "a fixed point or cycle was recognised (T_max for a timeout), converged = 1 for a fixed point, cycle = 1 "
            + "for a cycle of period > 1, period (1 fixed point, 0 timeout), magnetisation = mean spin of the last "
            + "state; convergence_time = iterations when the trial reached a fixed point, NaN otherwise");
    static final TableSpec CRITICAL = new TableSpec("critical", List.of("jd_star", "found"), Set.of("jd_star"),
            "one row per (n, weight draw): jd_star = the smallest grid J_D from which every initial state of that "
            + "draw converged (NaN if none), found = 1 when there is one");

    private static final List<Dimension> DIMS = List.of(
            Dimension.integer("n", 2, 2_000_000),
            Dimension.real("jd", x -> x >= 0, "must be ≥ 0"));

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
        return List.of(SelfCouplingJob.class, Unit.class, SelfCouplingDynamics.class, PackedCouplings.class,
                SpinStates.class, Trajectory.class, org.engram.kernels.random.Seeds.class,
                org.engram.kernels.random.CounterRng.class);
    }

    @Override
    public String description() {
        return "Thesis §3.1: critical self-coupling J_D*(N) and convergence time T_c(J_D) of ±1/√N networks (bit-packed)";
    }

    /** Kernel settings (the "params" section). */
    public record Settings(int maxSteps, SpinUpdate update, FieldUpdate fields, Storage storage, long maxCouplingBytes,
                           int statesPerBatch, int threads) implements java.io.Serializable {
    }

    /** Where the couplings live. */
    public enum Storage { AUTO, MATERIALISED, REGENERATED }

    @Override
    public Plan plan(SweepIdentity sweep, Config conf, Problems problems) {
        List<Cell> cells = Grid.expand(conf.getConfig("grid"), "grid", DIMS, List.of("n", "jd"), problems);
        Section rep = new Section(conf, "replicates", problems);
        rep.onlyKeys(Set.of("weight-draws", "initial-states"));
        int draws = (int) rep.integer("weight-draws", 1, 100_000);
        int inits = (int) rep.integer("initial-states", 1, 100_000);
        Section p = new Section(conf, "params", problems);
        p.onlyKeys(Set.of("max-steps", "update", "field-update", "coupling-storage", "max-coupling-bytes",
                "states-per-batch", "threads"));
        int maxSteps = (int) p.integer("max-steps", 1, 1_000_000);
        SpinUpdate update = p.choice("update", SpinUpdate.class);
        FieldUpdate fields = p.choice("field-update", FieldUpdate.class);
        Storage storage = p.choice("coupling-storage", Storage.class);
        long maxBytes = p.integer("max-coupling-bytes", 0, Long.MAX_VALUE);
        int batch = (int) p.integer("states-per-batch", 1, 100_000);
        int threads = (int) p.integer("threads", 1, 1024);
        if (storage == Storage.MATERIALISED) {
            for (Cell c : cells) {
                if ((long) c.getInt("n") * PackedCouplings.wordsFor(c.getInt("n")) > Integer.MAX_VALUE - 8) {
                    problems.at(conf, "params.coupling-storage", "n = " + c.getInt("n")
                            + " is too large to materialise; use auto or regenerated");
                    break;
                }
            }
        }
        if (!problems.isEmpty()) {
            return null;
        }
        Settings settings = new Settings(maxSteps, update, fields, storage, maxBytes, batch, threads);
        Map<Integer, List<Cell>> byN = new LinkedHashMap<>();
        for (Cell c : cells) {
            byN.computeIfAbsent(c.getInt("n"), k -> new ArrayList<>()).add(c);
        }
        List<WorkUnit> units = new ArrayList<>();
        for (Map.Entry<Integer, List<Cell>> e : byN.entrySet()) {
            List<Cell> cs = new ArrayList<>(e.getValue());
            cs.sort((x, y) -> Double.compare(x.getDouble("jd"), y.getDouble("jd")));
            for (int w = 0; w < draws; w++) {
                units.add(new Unit(sweep, e.getKey(), w, inits, cs, settings));
            }
        }
        return new Plan(cells, draws * inits, List.of(TRIALS, CRITICAL), units,
                "64-spin words (upper bound, T_max sweeps)", settings);
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
        public String fingerprint() {
            return "seed=" + sweep.seed() + "|n=" + n + "|draw=" + draw + "|inits=" + inits + "|max-steps="
                    + settings.maxSteps() + "|update=" + settings.update() + "|cells=" + String.join(";", cells.stream().map(Cell::key).toList());
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

        PackedCouplings couplings() {
            long seed = sweep.derive("n=" + n, draw, "couplings");
            return switch (settings.storage()) {
                case MATERIALISED -> PackedCouplings.materialised(n, seed);
                case REGENERATED -> PackedCouplings.regenerated(n, seed);
                case AUTO -> PackedCouplings.auto(n, seed, settings.maxCouplingBytes());
            };
        }

        @Override
        public void run(Consumer<TrialRow> out) {
            PackedCouplings j = couplings();
            int total = cells.size() * inits;
            boolean[] allConverged = new boolean[cells.size()];
            java.util.Arrays.fill(allConverged, true);
            boolean anyFailed = false;
            for (int from = 0; from < total; from += settings.statesPerBatch()) {
                int to = Math.min(total, from + settings.statesPerBatch());
                int k = to - from;
                double[] jd = new double[k];
                long[][] states = new long[k][];
                long[] seeds = new long[k];
                for (int q = 0; q < k; q++) {
                    Cell c = cells.get((from + q) / inits);
                    int init = (from + q) % inits;
                    jd[q] = c.getDouble("jd");
                    // the initial state depends on (n, draw, init) only: every J_D starts from the same states
                    seeds[q] = sweep.derive("n=" + n, replicate(init), "init");
                    states[q] = SpinStates.random(n, new SplittableRandom(seeds[q]));
                }
                try {
                    Trajectory[] t;
                    if (settings.update() == SpinUpdate.SYNCHRONOUS) {
                        t = SelfCouplingDynamics.run(j, jd, states, settings.maxSteps(), settings.update(),
                                settings.fields(), null, settings.threads());
                    } else {
                        // each state's update order comes from its own stream: results do not depend on batching
                        t = new Trajectory[k];
                        for (int q = 0; q < k; q++) {
                            Cell c = cells.get((from + q) / inits);
                            SplittableRandom order = new SplittableRandom(sweep.derive(c.key(),
                                    replicate((from + q) % inits), "order"));
                            t[q] = SelfCouplingDynamics.run(j, new double[] {jd[q]}, new long[][] {states[q]},
                                    settings.maxSteps(), settings.update(), settings.fields(), order)[0];
                        }
                    }
                    for (int q = 0; q < k; q++) {
                        int ci = (from + q) / inits;
                        Trajectory x = t[q];
                        allConverged[ci] &= x.converged();
                        out.accept(TrialRow.ok(TRIALS.name(), cells.get(ci), replicate((from + q) % inits), seeds[q],
                                x.iterations(), x.converged() ? 1 : 0, x.outcome() == Outcome.CYCLE ? 1 : 0, x.period(),
                                x.magnetisation(), x.converged() ? x.iterations() : Double.NaN));
                    }
                } catch (RuntimeException e) {
                    anyFailed = true;
                    for (int q = 0; q < k; q++) {
                        int ci = (from + q) / inits;
                        out.accept(TrialRow.failed(TRIALS.name(), cells.get(ci), replicate((from + q) % inits), seeds[q],
                                e.toString()));
                    }
                }
            }
            long critSeed = sweep.derive("n=" + n, draw, "couplings");
            if (anyFailed) {
                out.accept(TrialRow.failed(CRITICAL.name(), nCell(), draw, critSeed, "some trials of this draw failed"));
                return;
            }
            double star = Double.NaN;
            for (int ci = cells.size() - 1; ci >= 0 && allConverged[ci]; ci--) {
                star = cells.get(ci).getDouble("jd");
            }
            out.accept(TrialRow.ok(CRITICAL.name(), nCell(), draw, critSeed, star, Double.isNaN(star) ? 0 : 1));
        }

        @Override
        public void failAll(String message, Consumer<TrialRow> out) {
            for (Cell c : cells) {
                for (int i = 0; i < inits; i++) {
                    out.accept(TrialRow.failed(TRIALS.name(), c, replicate(i), 0L, message));
                }
            }
            out.accept(TrialRow.failed(CRITICAL.name(), nCell(), draw, 0L, message));
        }
    }

    private static double[] nan(int n) {
        double[] x = new double[n];
        java.util.Arrays.fill(x, Double.NaN);
        return x;
    }

    @Override
    public Derived derive(Plan plan, List<Aggregate> aggregates) {
        Map<String, Aggregate> tc = Tables.metric(aggregates, TRIALS.name(), "convergence_time");
        Map<String, Aggregate> conv = Tables.metric(aggregates, TRIALS.name(), "converged");
        Map<String, Aggregate> star = Tables.metric(aggregates, CRITICAL.name(), "jd_star");
        Map<String, Aggregate> found = Tables.metric(aggregates, CRITICAL.name(), "found");
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
            String nk = "n=" + (long) n;
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
                String key = nk + ",jd=" + Cell.format(jds[i]);
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
        List<Figure> figures = List.of(
                new Figure.Curves("critical_self_coupling", "Critical self-coupling J_D*(N)",
                        "network size N", true, "J_D*", false,
                        List.of(new Figure.Series("J_D*: every draw and initial state converges (thesis)", ns, starAll,
                                        nan(ns.length), nan(ns.length)),
                                new Figure.Series("J_D* per draw: mean, 95% CI", ns, starMean, starLo, starHi))),
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
                        fits)), figures);
    }
}
