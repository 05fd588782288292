package org.engram.jobs.unlearning;

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
    static final Metric TRIALS_LAMBDA = TRIALS.metric("lambda");
    static final Metric TRIALS_T_RBM = TRIALS.metric("t_rbm");
    static final Metric T_RATIO = TRIALS.metric("t_ratio");
    static final Metric TRIALS_RCE = TRIALS.metric("rce");
    static final TableSpec EPOCHS = new TableSpec("epochs", List.of("lambda", "t_rbm", "rce"), Set.of(),
            "one row per (cell, system, epoch) every params.curve-every epochs: |λ|, T_RBM and the reconstruction error "
            + "after that epoch (Figs. A4, A6)");
    static final Metric EPOCHS_LAMBDA = EPOCHS.metric("lambda");
    static final Metric EPOCHS_T_RBM = EPOCHS.metric("t_rbm");
    static final Metric EPOCHS_RCE = EPOCHS.metric("rce");

    /** The grid, the replicates, the data's dynamics and the hybrid RBM's training. */
    public record Settings(
            @Setting(doc = "λ of the couplings that generate the data (0: Hebb)", min = 0, max = 100, grid = MAY)
            double dataLambda,
            @Setting(doc = "persistence a of the data's dynamics (eq. 14)", min = 0, max = 1, grid = MAY) double a,
            @Common.Loading @Setting(grid = MUST) double alpha,
            @Common.Temperature @Setting(doc = "temperature T of the data's dynamics", grid = MUST) double t,
            @Setting(doc = "independent pattern sets", min = 1, max = 1_000_000, replicates = true) int systems,
            @Setting(doc = "number of spins N", min = 2, max = 10_000) int n,
            @Setting(doc = "data samples per system", min = 1, max = 100_000_000) int samples,
            @Setting(doc = "chains per system (chain k starts at ±ξ^(k mod P))", min = 1, max = 1_000_000) int chains,
            @Setting(doc = "sweeps discarded per chain", min = 0, max = 100_000_000) int burnIn,
            @Setting(doc = "sweeps between samples", min = 1, max = 1_000_000) int thin,
            @Common.Epochs int epochs,
            @Setting(key = "average-epochs", doc = "the last epochs over which the estimates are averaged", min = 1,
                    max = 1_000_000) int average,
            @Common.Batch int batch,
            @Setting(doc = "reconstruction steps k of CD-k (paper: 1)", min = 1, max = 1000) int cdSteps,
            @Setting(doc = "learning rate of β_RBM", min = 0, max = 100, above = true, requirement = "must be > 0")
            double rateBeta,
            @Setting(doc = "learning rate of λ", min = 0, max = 100, above = true, requirement = "must be > 0")
            double rateLambda,
            @Setting(key = "t-init-ratio", doc = "initial T_RBM / T (A6.2: 0.4 to 1.2)", min = 0, max = 100,
                    above = true, requirement = "must be > 0") double tInit,
            @Setting(doc = "initial λ", min = 0, max = 100, above = true,
                    requirement = "must be > 0 (the λ gradient vanishes at λ = 0)") double lambdaInit,
            @Setting(doc = "learn T_RBM (mode 3); false fixes it at T×t-init-ratio (A6.1, A6.3)")
            boolean learnTemperature,
            @Setting(doc = "record the epochs table every n-th epoch", min = 1, max = 1_000_000) int curveEvery,
            @Setting(doc = "systems of a cell per work unit", min = 1, max = 1_000_000)
            @Operational("chunking of systems into units") int systemsPerUnit) implements java.io.Serializable {
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
    public void check(Setup<Settings> setup, Problems problems) {
        Settings s = setup.settings();
        if (s.average() > s.epochs()) {
            problems.at(setup.conf(), "params.average-epochs", "cannot exceed params.epochs = " + s.epochs());
        }
        if (s.chains() > s.samples()) {
            problems.at(setup.conf(), "params.chains", "more chains than samples (" + s.samples() + ")");
        }
        for (Cell c : setup.cells()) {
            Hopfields.checkLoading(setup.conf(), c, s.n(), setup.at(c).alpha(), problems);
        }
    }

    @Override
    public Plan<Settings> plan(Setup<Settings> setup) {
        Settings s = setup.settings();
        return ReplicateRange.plan(setup, s.systems(), s.systemsPerUnit(), List.of(TRIALS, EPOCHS), "spin-pattern operations", Unit::new);
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
            double training = (double) s.epochs() * s.samples() * s.n() * Hopfields.patterns(s.alpha(), s.n())
                    * (2 + 2 * s.cdSteps());
            return (to - from) * (sampling + training);
        }

        @Override
        public void run(UnitContext context, Consumer<TrialRow> out) {
            Settings s = settings;
            int n = s.n();
            double alpha = s.alpha();
            int p = Hopfields.patterns(alpha, n);
            double t = s.t();
            double lambdaData = s.dataLambda();
            double a = s.a();
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
                            o.accept(EPOCHS.row(Trials.extend(cell, "epoch", (long) e), trial.replicate(), trial.seed())
                                    .set(EPOCHS_LAMBDA, Math.abs(ep.lambda()))
                                    .set(EPOCHS_T_RBM, ep.temperature())
                                    .set(EPOCHS_RCE, ep.reconstructionError())
                                    .ok());
                        }
                    }
                    int k = s.average();
                    o.accept(TRIALS.row(cell, trial.replicate(), trial.seed())
                            .set(TRIALS_LAMBDA, lambda / k)
                            .set(TRIALS_T_RBM, tRbm / k)
                            .set(T_RATIO, tRbm / k / t)
                            .set(TRIALS_RCE, rce / k)
                            .ok());
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
            groups.computeIfAbsent(c.without("a").key(), k -> new ArrayList<>()).add(c);
        }
        for (String metric : List.of("lambda", "t_ratio")) {
            Column m = Tables.metric(aggregates, TRIALS.metric(metric));
            List<Figure.Series> series = new ArrayList<>();
            for (Map.Entry<String, List<Cell>> g : groups.entrySet()) {
                List<Cell> cs = new ArrayList<>(g.getValue());
                cs.sort((x, y) -> Double.compare(plan.at(x).a(), plan.at(y).a()));
                double[] xs = cs.stream().mapToDouble(c -> plan.at(c).a()).toArray();
                double[] y = new double[cs.size()];
                double[] lo = new double[cs.size()];
                double[] hi = new double[cs.size()];
                for (int i = 0; i < cs.size(); i++) {
                    Aggregate agg = m.get(cs.get(i));
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
        for (Metric m : List.of(EPOCHS_LAMBDA, EPOCHS_RCE)) {
            String metric = m.name();
            List<Figure.Series> curves = Hopfields.lastCoordinateSeries(Tables.metric(aggregates, m), "");
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
