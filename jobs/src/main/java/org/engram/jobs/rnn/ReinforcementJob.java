package org.engram.jobs.rnn;

import static org.engram.jobs.config.Setting.Vary.MUST;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.engram.jobs.config.Cell;
import org.engram.jobs.config.Common;
import org.engram.jobs.config.Grid;
import org.engram.jobs.config.Operational;
import org.engram.jobs.config.Schema;
import org.engram.jobs.config.Setting;
import org.engram.jobs.core.Aggregate;
import org.engram.jobs.core.Boundary;
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
import org.engram.kernels.rnn.Outcome;
import org.engram.kernels.rnn.ReinforcementDynamics;
import org.engram.kernels.rnn.SparseReinforcement;
import org.engram.kernels.rnn.Trajectory;

/**
 * {@code rnn.reinforcement} — thesis §3.2, Fig. 3.3: random Gaussian networks (J_ij ~ N(0, 1/N))
 * stabilised by a sparse positive matrix A with round(N^d) entries of value a; synchronous sign
 * dynamics (eq. 3.3) up to T_max. Grid (n, d, a); replicates are weight draws × initial states.
 *
 * <p>One work unit is one (n, weight draw) and a chunk of its (d, a) cells: the Gaussian J is drawn
 * once per unit from the seed of (n, draw) — the same J for every cell of that draw, in whichever
 * unit a cell lands — and each cell's initial states advance together as one GEMM per sweep.
 *
 * <p>Regimes (derived per cell): <em>chaotic</em> when fewer than {@code regime.chaotic-below} of
 * the trials reach a fixed point within T_max; <em>trivial</em> when at least
 * {@code regime.trivial-from} of them end in the all +1 or all −1 state; <em>intermediate</em>
 * otherwise. Iterations of a trial that did not converge count as T_max, as in the thesis' averages.
 */
public final class ReinforcementJob implements Job<ReinforcementJob.Settings> {
    static final TableSpec TRIALS = new TableSpec("trials",
            List.of("iterations", "converged", "trivial", "cycle", "period", "magnetisation", "abs_magnetisation",
                    "sweeps_to_outcome"),
            Set.of(), "one row per (cell, weight draw, initial state): iterations = sweeps to a fixed point (1 for a "
            + "state that is already fixed), T_max for every trial that did not reach one — a cycle or a timeout — as "
            + "in the thesis' averages; converged = 1 for a fixed point, trivial = 1 for a fixed point with all spins "
            + "equal, cycle = 1 for a cycle of period > 1, period (1 fixed point, 0 timeout), magnetisation = mean spin "
            + "of the last state and its absolute value; sweeps_to_outcome = sweeps until the fixed point or the cycle "
            + "was recognised (T_max for a timeout)");
    static final Metric ITERATIONS = TRIALS.metric("iterations");
    static final Metric CONVERGED = TRIALS.metric("converged");
    static final Metric TRIVIAL = TRIALS.metric("trivial");
    static final Metric CYCLE = TRIALS.metric("cycle");
    static final Metric PERIOD = TRIALS.metric("period");
    static final Metric MAGNETISATION = TRIALS.metric("magnetisation");
    static final Metric ABS_MAGNETISATION = TRIALS.metric("abs_magnetisation");
    static final Metric SWEEPS_TO_OUTCOME = TRIALS.metric("sweeps_to_outcome");

    static final Schema<Settings> SCHEMA = Schema.of(Settings.class);

    @Override
    public String id() {
        return "rnn.reinforcement";
    }

    @Override
    public String description() {
        return "Thesis §3.2: iterations to converge of sign dynamics with Gaussian J + sparse positive A, (d, a) heatmaps per N";
    }

    /** The grid, the replicates, the kernel's settings and the regime rule. */
    public record Settings(
            @Common.Spins @Setting(grid = MUST) int n,
            @Setting(doc = "density exponent: A has round(N^d) positive entries", min = 0, max = 2,
                    requirement = "must be in [0, 2] (entries = round(n^d))", grid = MUST) double d,
            @Setting(doc = "value of A's entries", min = 0, max = Double.POSITIVE_INFINITY, grid = MUST) double a,
            @Setting(doc = "independent Gaussian J per cell", min = 1, max = 100_000, replicates = true)
            int weightDraws,
            @Setting(doc = "random initial states per weight draw", min = 1, max = 100_000, replicates = true)
            int initialStates,
            @Setting(doc = "T_max: sweeps before giving up", min = 1, max = 1_000_000) int maxSteps,
            @Setting(doc = "(d, a) cells of one weight draw run in one work unit", min = 1, max = 1_000_000)
            @Operational("chunking of cells into units") int cellsPerUnit,
            @Setting(doc = "how a cell's regime is read from its aggregates")
            @Operational("read by derive only, from the aggregates") RegimeRule regime) implements java.io.Serializable {
    }

    /** The regime rule (the "params.regime" section). */
    public record RegimeRule(
            @Setting(doc = "a cell is chaotic when fewer than this fraction of its trials converge", min = 0, max = 1)
            double chaoticBelow,
            @Setting(doc = "a (non-chaotic) cell is trivial when at least this fraction ends all +1 or all −1",
                    min = 0, max = 1) double trivialFrom) implements java.io.Serializable {
    }

    @Override
    public Plan<Settings> plan(Setup<Settings> setup) {
        Settings settings = setup.settings();
        Map<Integer, List<Cell>> byN = new LinkedHashMap<>();
        for (Cell c : setup.cells()) {
            byN.computeIfAbsent(setup.at(c).n(), k -> new ArrayList<>()).add(c);
        }
        List<WorkUnit> units = new ArrayList<>();
        byN.forEach((n, cs) -> {
            for (int w = 0; w < settings.weightDraws(); w++) {
                for (List<Cell> chunk : Trials.chunks(cs, settings.cellsPerUnit())) {
                    units.add(new Unit(setup.sweep(), n, w, settings.initialStates(), chunk, settings));
                }
            }
        });
        return new Plan<>(setup, settings.weightDraws() * settings.initialStates(), List.of(TRIALS), units,
                "synapse updates (upper bound, T_max sweeps)");
    }

    /** One (n, weight draw) and a chunk of its cells. */
    record Unit(SweepIdentity sweep, int n, int draw, int inits, List<Cell> cells, Settings settings)
            implements WorkUnit {
        @Override
        public String key() {
            return "n=" + n + "/draw=" + draw + "/cells=" + cells.get(0).index() + ".." + cells.get(cells.size() - 1).index();
        }

        @Override
        public double cost() {
            return (double) n * n * inits * cells.size() * settings.maxSteps();
        }

        int replicate(int init) {
            return draw * inits + init;
        }

        List<Trial> owed(Cell cell) {
            List<Trial> out = new ArrayList<>(inits);
            for (int i = 0; i < inits; i++) {
                out.add(new Trial(TRIALS.name(), cell, replicate(i), sweep.derive(cell.key(), replicate(i), "init")));
            }
            return out;
        }

        @Override
        public List<Trial> trialsOwed() {
            List<Trial> out = new ArrayList<>();
            for (Cell cell : cells) {
                out.addAll(owed(cell));
            }
            return out;
        }

        @Override
        public void run(UnitContext context, Consumer<TrialRow> out) {
            long jSeed = sweep.derive("n=" + n, draw, "couplings");
            float[] j = ReinforcementDynamics.gaussianCouplings(n, new SplittableRandom(jSeed));
            for (Cell cell : cells) {
                List<Trial> owed = owed(cell);
                Trials.guard(owed, out, o -> {
                    Settings at = SCHEMA.at(cell, settings);
                    SparseReinforcement a = SparseReinforcement.draw(n, at.d(), at.a(),
                            new SplittableRandom(sweep.derive(cell.key(), draw, "reinforcement")));
                    float[][] states = new float[inits][n];
                    for (int i = 0; i < inits; i++) {
                        SplittableRandom r = new SplittableRandom(owed.get(i).seed());
                        for (int q = 0; q < n; q++) {
                            states[i][q] = r.nextBoolean() ? 1f : -1f;
                        }
                    }
                    Trajectory[] t = ReinforcementDynamics.run(j, a, states, settings.maxSteps());
                    for (int i = 0; i < inits; i++) {
                        Trajectory x = t[i];
                        o.accept(TRIALS.row(cell, replicate(i), owed.get(i).seed())
                                .set(ITERATIONS, x.converged() ? x.iterations() : settings.maxSteps())
                                .set(CONVERGED, x.converged() ? 1 : 0)
                                .set(TRIVIAL, x.trivial() ? 1 : 0)
                                .set(CYCLE, x.outcome() == Outcome.CYCLE ? 1 : 0)
                                .set(PERIOD, x.period())
                                .set(MAGNETISATION, x.magnetisation())
                                .set(ABS_MAGNETISATION, Math.abs(x.magnetisation()))
                                .set(SWEEPS_TO_OUTCOME, x.iterations())
                                .ok());
                    }
                });
            }
        }
    }

    /** A cell's regime (thesis §3.2), its word in the tables and its letter on the heatmaps. */
    public enum Regime {
        /** Fewer than {@code chaotic-below} of the trials reach a fixed point. */
        CHAOTIC("C"),
        /** At least {@code trivial-from} of them end with every spin equal. */
        TRIVIAL("T"),
        /** Neither: genuine attractor dynamics. */
        INTERMEDIATE("I"),
        /** Every trial of the cell failed. */
        FAILED("!");

        private final String letter;

        Regime(String letter) {
            this.letter = letter;
        }

        /** The heatmap's label. */
        public String letter() {
            return letter;
        }

        /** As the tables write it: chaotic, trivial, intermediate, failed. */
        @Override
        public String toString() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** The regime of a cell from its fractions of converged and trivial trials. */
        public static Regime of(double converged, double trivial, RegimeRule rule) {
            if (Double.isNaN(converged)) {
                return FAILED;
            }
            if (converged < rule.chaoticBelow()) {
                return CHAOTIC;
            }
            return trivial >= rule.trivialFrom() ? TRIVIAL : INTERMEDIATE;
        }
    }

    /**
     * The regimes' boundaries in (d, a). {@code regime}: a cell's side is its regime; it is decided when the 95%
     * interval of its converged fraction clears {@code regime.chaotic-below} and, for a cell that is not chaotic, that of
     * its trivial fraction clears {@code regime.trivial-from}. {@code chaos}: chaotic or not — the edge d_min and the
     * chaotic band are read from, without the trivial/intermediate edge.
     */
    @Override
    public List<Boundary<Settings>> boundaries() {
        return List.of(new Boundary<>("regime", "where a cell's regime (chaotic, trivial, intermediate) changes",
                        (s, aggregates) -> regimes(s, aggregates, false)),
                new Boundary<>("chaos", "where cells stop being chaotic (d_min, the chaotic band)",
                        (s, aggregates) -> regimes(s, aggregates, true)));
    }

    private static java.util.function.Function<Cell, Boundary.Side> regimes(Settings s, List<Aggregate> aggregates,
                                                                            boolean chaosOnly) {
        Column conv = Tables.metric(aggregates, CONVERGED);
        Column triv = Tables.metric(aggregates, TRIVIAL);
        return cell -> {
            Regime r = Regime.of(conv.mean(cell), triv.mean(cell), s.regime());
            if (r == Regime.FAILED) {
                return Boundary.Side.FAILED;
            }
            boolean chaotic = Boundary.threshold(conv, cell, s.regime().chaoticBelow()).decided();
            if (chaosOnly) {
                return new Boundary.Side(r == Regime.CHAOTIC ? "chaotic" : "not chaotic", chaotic);
            }
            boolean decided = chaotic && (r == Regime.CHAOTIC
                    || Boundary.threshold(triv, cell, s.regime().trivialFrom()).decided());
            return new Boundary.Side(r.toString(), decided);
        };
    }

    @Override
    public Derived derive(Plan<Settings> plan, List<Aggregate> aggregates) {
        Settings s = plan.settings();
        Column iters = Tables.metric(aggregates, ITERATIONS);
        Column conv = Tables.metric(aggregates, CONVERGED);
        Column triv = Tables.metric(aggregates, TRIVIAL);
        List<List<Object>> rows = new ArrayList<>();
        List<List<Object>> bounds = new ArrayList<>();
        List<Figure> figures = new ArrayList<>();
        for (double n : Tables.distinct(plan.cells(), "n", c -> true)) {
            double[] ds = Tables.distinct(plan.cells(), "d", c -> c.getDouble("n") == n);
            double[] as = Tables.distinct(plan.cells(), "a", c -> c.getDouble("n") == n);
            double[][] z = new double[ds.length][as.length];
            String[][] labels = new String[ds.length][as.length];
            for (double[] r : z) {
                Arrays.fill(r, Double.NaN);
            }
            double dMin = Double.NaN;
            int intermediate = 0;
            // rows of d at which no a converges (the thesis' chaotic band)
            boolean[] allChaotic = new boolean[ds.length];
            Arrays.fill(allChaotic, true);
            for (Cell c : plan.cells()) {
                if (c.getDouble("n") != n) {
                    continue;
                }
                double mi = iters.mean(c);
                double fc = conv.mean(c);
                double ft = triv.mean(c);
                Regime reg = Regime.of(fc, ft, s.regime());
                rows.add(Tables.row((long) n, c.getDouble("d"), c.getDouble("a"), mi, fc, ft, reg.toString()));
                int yi = Arrays.binarySearch(ds, c.getDouble("d"));
                int xi = Arrays.binarySearch(as, c.getDouble("a"));
                z[yi][xi] = mi;
                labels[yi][xi] = reg.letter();
                if (reg != Regime.CHAOTIC && reg != Regime.FAILED && (Double.isNaN(dMin) || c.getDouble("d") < dMin)) {
                    dMin = c.getDouble("d");
                }
                if (reg == Regime.INTERMEDIATE) {
                    intermediate++;
                }
                if (reg != Regime.CHAOTIC) {
                    allChaotic[yi] = false;
                }
            }
            double bandLow = Double.NaN;
            double bandHigh = Double.NaN;
            for (int i = 0; i < ds.length; i++) {
                if (allChaotic[i]) {
                    bandLow = Double.isNaN(bandLow) ? ds[i] : bandLow;
                    bandHigh = ds[i];
                }
            }
            bounds.add(Tables.row((long) n, dMin, bandLow, bandHigh, (long) intermediate));
            boolean logA = as.length > 2 && as[0] > 0 && as[as.length - 1] / as[0] > 50;
            figures.add(new Figure.Heatmap("heatmap_n" + (long) n,
                    "Mean sweeps to a fixed point, N = " + (long) n + " (T_max = " + s.maxSteps() + " when none)",
                    "reinforcement strength a", logA, as, "density exponent d", ds,
                    "mean sweeps to a fixed point (T_max if none)", z, labels,
                    "C = chaotic (converged < " + s.regime().chaoticBelow() + "), T = trivial (all ±1 ≥ " + s.regime().trivialFrom()
                            + "), I = intermediate"));
        }
        return new Derived(List.of(
                new Derived.DerivedTable("regimes",
                "one row per (N, d, a) cell: mean iterations to a fixed point (T_max when none), the fraction of "
                + "trials that converged and that ended all +1 or all −1, and the regime (chaotic, trivial, "
                + "intermediate, failed) by the rule of params.regime",
                List.of("n", "d", "a", "mean_iterations", "fraction_converged",
                        "fraction_trivial", "regime"), rows),
                new Derived.DerivedTable("boundaries",
                "one row per N: d_min = the smallest density exponent d with a non-chaotic cell (the thesis' lower "
                + "boundary of convergence, claimed to fall with N); the chaotic band = the smallest and largest d of "
                + "the grid at which no a converges (every cell chaotic; NaN when there is none; the thesis: "
                + "1.0 ≲ d ≲ 1.2 at every N); the number of intermediate cells",
                List.of("n", "d_min", "chaotic_band_low", "chaotic_band_high", "intermediate_cells"), bounds)),
                figures);
    }
}
