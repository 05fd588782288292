package org.engram.jobs.unlearning;

import com.typesafe.config.Config;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.engram.jobs.config.Grid;
import org.engram.jobs.config.Param;
import org.engram.jobs.config.Section;
import org.engram.jobs.core.Aggregate;
import org.engram.jobs.core.Cell;
import org.engram.jobs.core.Derived;
import org.engram.jobs.core.Figure;
import org.engram.jobs.core.Job;
import org.engram.jobs.core.Operational;
import org.engram.jobs.core.Plan;
import org.engram.jobs.core.Problems;
import org.engram.jobs.core.ReplicateRange;
import org.engram.jobs.core.SweepIdentity;
import org.engram.jobs.core.TableSpec;
import org.engram.jobs.core.Tables;
import org.engram.jobs.core.Trial;
import org.engram.jobs.core.TrialRow;
import org.engram.jobs.core.Trials;
import org.engram.jobs.core.UnitContext;
import org.engram.jobs.core.WorkUnit;
import org.engram.kernels.hopfield.Couplings;
import org.engram.kernels.hopfield.DreamingRbm;
import org.engram.kernels.hopfield.Hopfield;
import org.engram.kernels.hopfield.Patterns;

/**
 * {@code unlearning.inference} — unlearning paper, Sec. IV, Figs. 5–6 and A3–A6: samples of the persistent dynamics
 * of eq. 14 (a = 0: passive) on the Hopfield model with couplings J(λ_data) = (1/N) Ξᵀ (1 + λ_data² C)⁻¹ Ξ
 * (λ_data = 0: Hebb, the paper's Sec. IV data; λ_data > 0 with a = 0: the A6.1 benchmark) are fitted by the deep
 * hybrid RBM in mode 3 — weights fixed to the patterns, T_RBM and λ learnt by CD-k with the gradient of the exact
 * marginal ({@link DreamingRbm}; the printed A59 is not real). Chains start at the patterns (and their negatives),
 * burn in, then give a sample every params.thin sweeps; the paper gives none of these numbers, nor rates or epochs.
 */
public final class InferenceJob implements Job<InferenceJob.Settings> {
    static final TableSpec TRIALS = new TableSpec("trials", List.of("lambda", "t_rbm", "t_ratio", "rce"), Set.of(),
            "one row per (cell, system): lambda = |λ| and t_rbm = T_RBM averaged over the last params.average-epochs "
            + "epochs, t_ratio = t_rbm / T, rce = the reconstruction error (mean fraction of bits that differ between a "
            + "sample and its one-step reconstruction) over the same epochs");
    static final TableSpec EPOCHS = new TableSpec("epochs", List.of("lambda", "t_rbm", "rce"), Set.of(),
            "one row per (cell, system, epoch) every params.curve-every epochs: |λ|, T_RBM and the reconstruction error "
            + "after that epoch (Figs. A4, A6)");

    static final Param<Double> A = Param.real("a", 0, 1, "persistence a of the data's dynamics (eq. 14)");
    static final Param<Double> ALPHA = Param.real("alpha", 0, 1, x -> x > 0, "must be in (0, 1]", "loading α = P/N");
    static final Param<Double> T = Param.real("t", 0, 100, x -> x > 0, "must be > 0",
            "temperature T of the data's dynamics");
    static final Param<Double> DATA_LAMBDA = Param.real("data-lambda", 0, 100,
            "λ of the couplings that generate the data (0: Hebb)");
    static final List<Param<?>> DIMENSIONS = List.of(DATA_LAMBDA, A, ALPHA, T);

    static final Param<Integer> SYSTEMS = Param.integer("systems", 1, 1_000_000, "independent pattern sets");
    static final Param<Integer> N = Param.integer("n", 2, 10_000, "number of spins N");
    static final Param<Integer> SAMPLES = Param.integer("samples", 1, 100_000_000, "data samples per system");
    static final Param<Integer> CHAINS = Param.integer("chains", 1, 1_000_000,
            "chains per system (chain k starts at ±ξ^(k mod P))");
    static final Param<Integer> BURN_IN = Param.integer("burn-in", 0, 100_000_000, "sweeps discarded per chain");
    static final Param<Integer> THIN = Param.integer("thin", 1, 1_000_000, "sweeps between samples");
    static final Param<Integer> EPOCHS_P = Param.integer("epochs", 1, 1_000_000, "training epochs");
    static final Param<Integer> AVERAGE = Param.integer("average-epochs", 1, 1_000_000,
            "the last epochs over which the estimates are averaged");
    static final Param<Integer> BATCH = Param.integer("batch", 1, 1_000_000, "mini-batch size");
    static final Param<Integer> CD = Param.integer("cd-steps", 1, 1000, "reconstruction steps k of CD-k (paper: 1)");
    static final Param<Double> RATE_BETA = Param.real("rate-beta", 0, 100, x -> x > 0, "must be > 0",
            "learning rate of β_RBM");
    static final Param<Double> RATE_LAMBDA = Param.real("rate-lambda", 0, 100, x -> x > 0, "must be > 0",
            "learning rate of λ");
    static final Param<Double> T_INIT = Param.real("t-init-ratio", 0, 100, x -> x > 0, "must be > 0",
            "initial T_RBM / T (A6.2: 0.4 to 1.2)");
    static final Param<Double> LAMBDA_INIT = Param.real("lambda-init", 0, 100, x -> x > 0,
            "must be > 0 (the λ gradient vanishes at λ = 0)", "initial λ");
    static final Param<Boolean> LEARN_T = Param.bool("learn-temperature",
            "learn T_RBM (mode 3); false fixes it at T×t-init-ratio (A6.1, A6.3)");
    static final Param<Integer> CURVE_EVERY = Param.integer("curve-every", 1, 1_000_000,
            "record the epochs table every n-th epoch");
    static final Param<Integer> SYSTEMS_PER_UNIT = Param.integer("systems-per-unit", 1, 1_000_000,
            "systems of a cell per work unit");

    /** The "params" section. */
    public record Settings(double dataLambda, double a, int n, int samples, int chains, int burnIn, int thin,
                           int epochs, int average, int batch, int cdSteps, double rateBeta, double rateLambda,
                           double tInit, double lambdaInit, boolean learnTemperature, int curveEvery,
                           @Operational("chunking of systems into units") int systemsPerUnit)
            implements java.io.Serializable {
    }

    @Override
    public String id() {
        return "unlearning.inference";
    }

    @Override
    public String description() {
        return "Unlearning paper Figs. 5–6, A3–A6: mode-3 deep hybrid RBM fits λ and T_RBM to samples of passive and "
                + "persistent dynamics";
    }

    @Override
    public Plan<Settings> plan(SweepIdentity sweep, Config conf, Problems problems) {
        List<Cell> cells = Grid.expand(conf, DIMENSIONS, List.of(ALPHA, T), problems);
        int systems = Section.declared(conf, "replicates", problems, List.of(SYSTEMS)).get(SYSTEMS);
        Section p = Section.declared(conf, "params", problems, List.of(DATA_LAMBDA, A, N, SAMPLES, CHAINS, BURN_IN,
                THIN, EPOCHS_P, AVERAGE, BATCH, CD, RATE_BETA, RATE_LAMBDA, T_INIT, LAMBDA_INIT, LEARN_T, CURVE_EVERY,
                SYSTEMS_PER_UNIT));
        Settings s = new Settings(p.get(DATA_LAMBDA), p.get(A), p.get(N), p.get(SAMPLES), p.get(CHAINS),
                p.get(BURN_IN), p.get(THIN), p.get(EPOCHS_P), p.get(AVERAGE), p.get(BATCH), p.get(CD),
                p.get(RATE_BETA), p.get(RATE_LAMBDA), p.get(T_INIT), p.get(LAMBDA_INIT), p.get(LEARN_T),
                p.get(CURVE_EVERY), p.get(SYSTEMS_PER_UNIT));
        if (s.average() > s.epochs()) {
            problems.at(conf, "params.average-epochs", "cannot exceed params.epochs = " + s.epochs());
        }
        if (s.chains() > s.samples()) {
            problems.at(conf, "params.chains", "more chains than samples (" + s.samples() + ")");
        }
        for (Cell c : cells) {
            Hopfields.checkLoading(conf, c, N, s.n(), ALPHA, problems);
        }
        if (!problems.isEmpty()) {
            return null;
        }
        List<WorkUnit> units = ReplicateRange.chunked(cells, systems, s.systemsPerUnit(),
                (c, from, to) -> new Unit(sweep, c, from, to, s));
        return new Plan<>(cells, systems, List.of(TRIALS, EPOCHS), units, "spin-pattern operations", s);
    }

    /** Systems [from, to) of one cell. */
    record Unit(SweepIdentity sweep, Cell cell, int from, int to, Settings settings) implements ReplicateRange {
        @Override
        public TableSpec table() {
            return TRIALS;
        }

        @Override
        public String seedStream() {
            return "data";
        }

        @Override
        public double cost() {
            Settings s = settings;
            double sampling = (double) (s.burnIn() * s.chains() + (long) s.samples() * s.thin()) * s.n() * s.n();
            double training = (double) s.epochs() * s.samples() * s.n() * Hopfields.patterns(ALPHA.at(cell), s.n())
                    * (2 + 2 * s.cdSteps());
            return (to - from) * (sampling + training);
        }

        @Override
        public void run(UnitContext context, Consumer<TrialRow> out) {
            Settings s = settings;
            int n = s.n();
            double alpha = ALPHA.at(cell);
            int p = Hopfields.patterns(alpha, n);
            double t = T.at(cell);
            double lambdaData = DATA_LAMBDA.at(cell, s.dataLambda());
            double a = A.at(cell, s.a());
            // a fixed T_RBM is a zero rate for β
            DreamingRbm.Settings step = new DreamingRbm.Settings(s.learnTemperature() ? s.rateBeta() : 0,
                    s.rateLambda(), s.batch(), s.cdSteps());
            for (Trial trial : trialsOwed()) {
                Trials.guard(trial, out, o -> {
                    float[] xi = Patterns.random(p, n, new SplittableRandom(sweep.derive("alpha=" + Cell.format(alpha),
                            trial.replicate(), "patterns")));
                    float[] j = lambdaData == 0 ? Couplings.hebb(xi, p, n)
                            : Couplings.spectral(xi, p, n, Couplings.closedForm(lambdaData * lambdaData));
                    SplittableRandom rng = new SplittableRandom(trial.seed());
                    float[] data = DreamingRbm.sample(new Hopfield(j, n), xi, p, t, a, s.chains(), s.burnIn(), s.thin(),
                            s.samples(), rng);
                    DreamingRbm rbm = new DreamingRbm(xi, p, n, s.tInit() * t, s.lambdaInit());
                    double lambda = 0;
                    double tRbm = 0;
                    double rce = 0;
                    SplittableRandom training = new SplittableRandom(sweep.derive(cell.key(), trial.replicate(),
                            "training"));
                    for (int e = 1; e <= s.epochs(); e++) {
                        DreamingRbm.Epoch ep = rbm.epoch(data, s.samples(), step, training);
                        if (e > s.epochs() - s.average()) {
                            lambda += Math.abs(ep.lambda());
                            tRbm += ep.temperature();
                            rce += ep.reconstructionError();
                        }
                        if (e % s.curveEvery() == 0 || e == 1) {
                            o.accept(TrialRow.ok(EPOCHS.name(), Trials.extend(cell, "epoch", (long) e),
                                    trial.replicate(), trial.seed(), Math.abs(ep.lambda()), ep.temperature(),
                                    ep.reconstructionError()));
                        }
                    }
                    int k = s.average();
                    o.accept(TrialRow.ok(TRIALS.name(), cell, trial.replicate(), trial.seed(), lambda / k, tRbm / k,
                            tRbm / k / t, rce / k));
                });
            }
        }
    }

    @Override
    public Derived derive(Plan<Settings> plan, List<Aggregate> aggregates) {
        Settings s = plan.settings();
        List<Figure> figures = new ArrayList<>();
        // one curve over a per setting of everything else
        Map<String, List<Cell>> groups = new LinkedHashMap<>();
        for (Cell c : plan.cells()) {
            groups.computeIfAbsent(Tables.without(c.key(), A.key()), k -> new ArrayList<>()).add(c);
        }
        for (String metric : List.of("lambda", "t_ratio")) {
            Map<String, Aggregate> m = Tables.metric(aggregates, TRIALS.name(), metric);
            List<Figure.Series> series = new ArrayList<>();
            for (Map.Entry<String, List<Cell>> g : groups.entrySet()) {
                List<Cell> cs = new ArrayList<>(g.getValue());
                cs.sort((x, y) -> Double.compare(A.at(x, s.a()), A.at(y, s.a())));
                double[] xs = cs.stream().mapToDouble(c -> A.at(c, s.a())).toArray();
                double[] y = new double[cs.size()];
                double[] lo = new double[cs.size()];
                double[] hi = new double[cs.size()];
                for (int i = 0; i < cs.size(); i++) {
                    Aggregate agg = m.get(cs.get(i).key());
                    y[i] = Tables.mean(agg);
                    double[] ci = Tables.ci(agg);
                    lo[i] = ci[0];
                    hi[i] = ci[1];
                }
                series.add(new Figure.Series(g.getKey(), xs, y, lo, hi));
            }
            boolean lambda = metric.equals("lambda");
            figures.add(new Figure.Curves(lambda ? "fig6_lambda_vs_a" : "fig5_temperature_ratio_vs_a", lambda
                    ? "Inferred λ vs persistence a (mean, 95% CI over systems)"
                    : "Inferred T_RBM / T vs persistence a (mean, 95% CI over systems)", "persistence a", false,
                    lambda ? "inferred |λ|" : "T_RBM / T", false, series));
        }
        for (String metric : List.of("lambda", "rce")) {
            List<Figure.Series> curves = Hopfields.lastCoordinateSeries(aggregates, EPOCHS.name(), metric, "");
            if (curves.size() > 8) {
                curves = curves.subList(0, 8);
            }
            figures.add(new Figure.Curves("epochs_" + metric, (metric.equals("rce") ? "Reconstruction error"
                    : "Inferred |λ|") + " vs epoch (first cells; mean over systems)", "epoch", false,
                    metric.equals("rce") ? "reconstruction error" : "|λ|", false, curves));
        }
        return new Derived(List.of(), figures);
    }
}
