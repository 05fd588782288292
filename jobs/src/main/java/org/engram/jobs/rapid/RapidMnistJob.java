package org.engram.jobs.rapid;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.DoubleConsumer;
import org.engram.jobs.config.Cell;
import org.engram.jobs.config.DataSettings;
import org.engram.jobs.config.Problems;
import org.engram.jobs.config.Schema;
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
import org.engram.jobs.data.DataCache;
import org.engram.jobs.data.Labelled;
import org.engram.kernels.rbm.LogisticProbe;
import org.engram.kernels.rbm.SpinAis;
import org.engram.kernels.rbm.SpinRbm;
import org.engram.kernels.rbm.SpinTrainer;

/**
 * {@code rapid.mnist} — RAPID paper, Sec. V B, Fig. 6: a ±1 RBM without biases trained on MNIST binarised at
 * pixel/255 &gt; 0.3 — RAPID (K patterns, continuous and clipped to [−1, 1] after every update, the negative phase
 * {@code rapid-gibbs} Gibbs steps seeded at the patterns, eq. B2), or a CD-k / PCD-k baseline. At the epochs of
 * {@code measure-epochs} the NLL of training and test images is estimated with AIS for ±1 spins
 * ({@link SpinAis}: a base-rate model from the training images, {@code ais-runs} chains, {@code ais-temperatures}
 * linear or Salakhutdinov–Murray's piecewise schedule) — NLL = log Ẑ + mean F(v), a lower bound on average since
 * AIS underestimates log Z; after the last epoch one hidden sample per image feeds a logistic-regression probe
 * ({@link LogisticProbe}) trained on the training images and scored on the test images (the paper: 93.84 ± 0.19%
 * test for RAPID, 92.04% for a plain RBM with 300 hidden units).
 */
public final class RapidMnistJob implements Job<RapidMnistJob.Settings> {
    static final Schema<Settings> SCHEMA = Schema.of(Settings.class);

    static final TableSpec CURVE = new TableSpec("curve", List.of("nll_train", "nll_test", "log_z", "log_z_low",
            "log_z_high"), Set.of("log_z_low"),
            "one row per (cell, instance, epoch = epochs trained, 0 = untrained) of params.measure-epochs: nll_train / "
            + "nll_test = log Ẑ + mean free energy F(v) = −Σ_a log 2cosh((vᵀW)_a) of the first params.nll-rows "
            + "training / test images (nats per image), log Ẑ by AIS for ±1 spins (a lower bound on average, so "
            + "the NLLs are too); log_z_low / log_z_high = log(Ẑ ∓ 3σ̂/√runs), the AIS error bar (low NaN when Ẑ − "
            + "3σ̂/√runs ≤ 0)");
    static final Metric CURVE_NLL_TRAIN = CURVE.metric("nll_train");
    static final Metric CURVE_NLL_TEST = CURVE.metric("nll_test");
    static final Metric LOG_Z = CURVE.metric("log_z");
    static final Metric LOG_Z_LOW = CURVE.metric("log_z_low");
    static final Metric LOG_Z_HIGH = CURVE.metric("log_z_high");
    static final TableSpec FINAL = new TableSpec("final", List.of("nll_train", "nll_test", "probe_train",
            "probe_test", "probe_iterations"), Set.of(),
            "one row per (cell, instance): the last measured NLLs, and probe_train / probe_test = the accuracy of a "
            + "multinomial logistic regression (C = params.probe-c) fitted on one sampled hidden state per training "
            + "image and scored on the training / test images' sampled hidden states");
    static final Metric FINAL_NLL_TRAIN = FINAL.metric("nll_train");
    static final Metric FINAL_NLL_TEST = FINAL.metric("nll_test");
    static final Metric PROBE_TRAIN = FINAL.metric("probe_train");
    static final Metric PROBE_TEST = FINAL.metric("probe_test");
    static final Metric PROBE_ITERATIONS = FINAL.metric("probe_iterations");
    static final TableSpec TIMING = TableSpec.timing(List.of("seconds_per_epoch"),
            "one row per (cell, instance): the median wall-clock seconds of a training epoch (measurements excluded)");
    static final Metric SECONDS_PER_EPOCH = TIMING.metric("seconds_per_epoch");

    /** The AIS schedules. */
    public enum Schedule { LINEAR, PIECEWISE }

    /** The training (hidden and method may be grid dimensions), the data, and the measurements. */
    public record Settings(
            @Setting(doc = "the training", inline = true) RapidTraining.Training training,
            @Setting(doc = "the images", inline = true) DataSettings data,
            @Setting(doc = "images", choices = {"mnist", "mnist-subset", "fashion-mnist"}) String dataset,
            @Setting(doc = "AIS chains", min = 2, max = 1_000_000) int aisRuns,
            @Setting(doc = "AIS inverse temperatures of the linear schedule (piecewise: its own 14,501)", min = 2,
                    max = 10_000_000) int aisTemperatures,
            @Setting(doc = "AIS schedule: linear (ais-temperatures values) or piecewise (Salakhutdinov & Murray)")
            Schedule aisSchedule,
            @Setting(doc = "images of each set whose mean free energy enters the NLL (0 = all)", min = 0,
                    max = Integer.MAX_VALUE) int nllRows,
            @Setting(doc = "probe: inverse L2 strength C (scikit-learn's convention)", min = 0, max = 1e12,
                    above = true, requirement = "must be > 0") double probeC,
            @Setting(doc = "probe: conjugate-gradient iterations at most", min = 1, max = 1_000_000)
            int probeIterations,
            @Setting(doc = "probe: training images it is fitted on (0 = all)", min = 0, max = Integer.MAX_VALUE)
            int probeRows,
            @Setting(key = "measure-epochs", doc = "epochs (trained) after which the NLL is estimated; 0 = before "
                    + "training", min = 0) List<Integer> measure) implements java.io.Serializable {

        double[] betas() {
            return aisSchedule == Schedule.LINEAR ? SpinAis.linear(aisTemperatures) : SpinAis.piecewise();
        }
    }

    @Override
    public String id() {
        return "rapid.mnist";
    }

    @Override
    public String description() {
        return "RAPID Fig. 6: RA-RBM on binarised MNIST — AIS NLL of training and test images per epoch, and a "
                + "logistic-regression probe on sampled hidden states";
    }

    @Override
    public void check(Setup<Settings> setup, Problems problems) {
        for (int e : setup.settings().measure()) {
            if (e < 0 || e > setup.settings().training().epochs()) {
                problems.at(setup.conf(), "params.measure-epochs", "epoch " + e + " is outside [0, params.epochs = "
                        + setup.settings().training().epochs() + "]");
            }
        }
    }

    @Override
    public Plan<Settings> plan(Setup<Settings> setup) {
        return ReplicateRange.plan(setup, setup.settings().training().instances(), 1, List.of(FINAL, CURVE, TIMING),
                "multiply-adds", Unit::new);
    }

    /** One training instance. */
    record Unit(SweepIdentity sweep, Cell cell, int from, int to, Settings settings)
            implements ReplicateRange, DataCache.NeedsData {
        @Override
        public TableSpec table() {
            return FINAL;
        }

        @Override
        public String seedStream() {
            return "train";
        }

        /** Multiply-adds of the products: training epochs, the AIS measurements and the probe. */
        @Override
        public double cost() {
            return (to - from) * trialWork(work());
        }

        /** One trial's multiply-adds from {@link #work}'s parts: every epoch, every measurement and the probe. */
        private double trialWork(double[] w) {
            return settings.training().epochs() * w[0] + settings.measure().size() * w[1] + w[2];
        }

        /** One trial's multiply-adds: a training epoch, one measurement (AIS and the NLL of both sets), the probe. */
        private double[] work() {
            Settings s = settings;
            double rows = s.data().trainRows() == 0 ? 60_000 : s.data().trainRows();
            double test = s.data().evalRows() == 0 ? 10_000 : s.data().evalRows();
            int h = s.training().hidden();
            double vh = 784.0 * h;
            double epoch = s.training().epochCost(s.training().method(), 784, h, rows);
            double temperatures = s.aisSchedule() == Schedule.LINEAR ? s.aisTemperatures() : 14_501;
            double nllRows = s.nllRows() == 0 ? rows + test : 2.0 * s.nllRows();
            double measure = (3.0 * s.aisRuns() * temperatures + nllRows) * vh;
            // the probe: one hidden sample per image, then its CG iterations (most fits reach the cap), each ≈ 10
            // values in the line search and one gradient, a rows × H × 10 product apiece (9.5 + 1 measured on bands)
            double fit = s.probeRows() == 0 ? rows : Math.min(s.probeRows(), rows);
            double probe = (rows + test) * vh + s.probeIterations() * 11.0 * fit * h * 10;
            return new double[] {epoch, measure, probe};
        }

        @Override
        public List<DataCache.Need> datasets() {
            return List.of(new DataCache.Need(settings.data().dataDir(), settings.dataset(), "train"));
        }

        @Override
        public void run(UnitContext context, Consumer<TrialRow> out) {
            List<Trial> owed = trialsOwed();
            for (int i = 0; i < owed.size(); i++) {
                Trial t = owed.get(i);
                double before = i;
                Trials.guard(t, out, o -> train(context, f -> context.progress((before + f) / owed.size()), t, o));
            }
        }

        /** Trains one trial, telling {@code progress} the fraction of its work done (by {@link #work}'s weights). */
        private void train(UnitContext context, DoubleConsumer progress, Trial t, Consumer<TrialRow> o) {
            Settings s = settings;
            double[] w = work();
            double total = trialWork(w);
            Labelled[] tv = Labelled.trainValidation(context.data(), s.data().dataDir(), s.dataset(), s.data().binarisation(),
                    Labelled.Coding.SPINS, s.data().holdoutRows());
            Labelled tr = tv[0].head(s.data().trainRows());
            Labelled te = tv[1].head(s.data().evalRows());
            int v = tr.width();
            int h = s.training().hidden();
            SplittableRandom rng = new SplittableRandom(t.seed());
            SplittableRandom measure = new SplittableRandom(sweep.derive(cell.key(), t.replicate(), "measure"));
            SpinTrainer trainer = new SpinTrainer(s.training().trainer(s.training().method()), v, h, tr.x(), tr.count(), rng);
            float[] base = SpinAis.baseRate(tr.x(), tr.count(), v, 1e-3);
            double[] seconds = new double[s.training().epochs()];
            double[] last = {Double.NaN, Double.NaN};
            int measured = 0;
            for (int e = 0; e <= s.training().epochs(); e++) {
                if (e > 0) {
                    long t0 = System.nanoTime();
                    trainer.trainEpoch();
                    seconds[e - 1] = (System.nanoTime() - t0) / 1e9;
                    progress.accept((e * w[0] + measured * w[1]) / total);
                }
                if (s.measure().contains(e)) {
                    double at = e * w[0] + measured * w[1];
                    SpinAis.Estimate z = SpinAis.logZ(trainer.rbm, base, s.betas(), s.aisRuns(), measure,
                            f -> progress.accept((at + f * w[1]) / total));
                    measured++;
                    last = new double[] {nll(trainer.rbm, tr, z.logZ(), s.nllRows()),
                            nll(trainer.rbm, te, z.logZ(), s.nllRows())};
                    o.accept(CURVE.row(Trials.extend(cell, "epoch", (long) e), t.replicate(), t.seed())
                            .set(CURVE_NLL_TRAIN, last[0])
                            .set(CURVE_NLL_TEST, last[1])
                            .set(LOG_Z, z.logZ())
                            .set(LOG_Z_LOW, Double.isInfinite(z.low()) ? Double.NaN : z.low())
                            .set(LOG_Z_HIGH, z.high())
                            .ok());
                }
            }
            Labelled fit = tr.head(s.probeRows());
            float[] hTrain = hidden(trainer.rbm, fit, measure);
            float[] hTest = hidden(trainer.rbm, te, measure);
            double before = total - w[2];
            LogisticProbe probe = LogisticProbe.fit(hTrain, fit.y(), fit.count(), h, 10, s.probeC(),
                    s.probeIterations(), f -> progress.accept((before + f * w[2]) / total));
            o.accept(TIMING.row(cell, t.replicate(), t.seed())
                    .set(SECONDS_PER_EPOCH, new org.apache.commons.math3.stat.descriptive.rank.Median().evaluate(seconds))
                    .ok());
            o.accept(FINAL.row(cell, t.replicate(), t.seed())
                    .set(FINAL_NLL_TRAIN, last[0])
                    .set(FINAL_NLL_TEST, last[1])
                    .set(PROBE_TRAIN, probe.accuracy(hTrain, fit.y(), fit.count()))
                    .set(PROBE_TEST, probe.accuracy(hTest, te.y(), te.count()))
                    .set(PROBE_ITERATIONS, probe.iterations())
                    .ok());
            progress.accept(1);
        }
    }

    /** log Z + the mean free energy of the first rows images (all when rows is 0). */
    static double nll(SpinRbm rbm, Labelled set, double logZ, int rows) {
        int n = rows == 0 ? set.count() : Math.min(rows, set.count());
        int chunk = 1000;
        double sum = 0;
        float[] scratch = new float[chunk * rbm.hidden];
        double[] f = new double[chunk];
        for (int from = 0; from < n; from += chunk) {
            int m = Math.min(chunk, n - from);
            float[] block = java.util.Arrays.copyOfRange(set.x(), from * set.width(), (from + m) * set.width());
            rbm.freeEnergies(block, m, scratch, f);
            for (int i = 0; i < m; i++) {
                sum += f[i];
            }
        }
        return logZ + sum / n;
    }

    /** One hidden sample h ~ P(h|v) per image (±1), count × H. */
    static float[] hidden(SpinRbm rbm, Labelled set, SplittableRandom rng) {
        float[] out = new float[set.count() * rbm.hidden];
        float[] x = java.util.Arrays.copyOf(set.x(), set.count() * set.width());
        rbm.sampleHidden(x, set.count(), out, out, rng);
        return out;
    }

    @Override
    public Derived derive(Plan<Settings> plan, List<Aggregate> aggregates) {
        Settings s = plan.settings();
        List<Figure.Series> series = new ArrayList<>();
        for (String metric : List.of("nll_train", "nll_test")) {
            Column curve = Tables.metric(aggregates, CURVE.metric(metric));
            for (Cell c : plan.cells()) {
                List<Integer> es = s.measure().stream().sorted().toList();
                double[] x = new double[es.size()];
                double[] y = new double[es.size()];
                double[] lo = new double[es.size()];
                double[] hi = new double[es.size()];
                for (int i = 0; i < es.size(); i++) {
                    Aggregate a = curve.get(Trials.extend(c, "epoch", (long) es.get(i)));
                    x[i] = es.get(i);
                    y[i] = Tables.mean(a);
                    double[] ci = Tables.ci(a);
                    lo[i] = ci[0];
                    hi[i] = ci[1];
                }
                series.add(new Figure.Series(label(c, s) + (metric.equals("nll_train") ? ", training" : ", test"), x, y,
                        lo, hi, metric.equals("nll_test")));
            }
        }
        Column probe = Tables.metric(aggregates, PROBE_TEST);
        Column probeTrain = Tables.metric(aggregates, PROBE_TRAIN);
        Column nllTest = Tables.metric(aggregates, FINAL_NLL_TEST);
        List<List<Object>> rows = new ArrayList<>();
        for (Cell c : plan.cells()) {
            double[] ci = Tables.ci(probe.get(c), 0, 1);
            double[] nci = Tables.ci(nllTest.get(c));
            rows.add(Tables.row(Section.word(plan.at(c).training().method()), (long) plan.at(c).training().hidden(),
                    Tables.mean(probeTrain.get(c)), Tables.mean(probe.get(c)), ci[0], ci[1],
                    Tables.mean(nllTest.get(c)), nci[0], nci[1]));
        }
        return new Derived(List.of(new Derived.DerivedTable("probe",
                "one row per cell: the logistic-regression probe's training and test accuracy on sampled hidden states "
                + "(mean over instances, the test one with its 95% interval; the paper: 93.84 ± 0.19% for RAPID, 92.04% "
                + "for a plain RBM with 300 hidden units) and the last test NLL (AIS, mean and 95% interval)",
                List.of("method", "hidden", "probe_train", "probe_test", "probe_test_ci95_low", "probe_test_ci95_high",
                        "nll_test", "nll_test_ci95_low", "nll_test_ci95_high"), rows)),
                List.of(new Figure.Curves("nll", "Negative log-likelihood by AIS (Fig. 6; a lower bound on average), "
                        + plan.replicates() + " instances (mean, 95% CI)", "epoch", false, "NLL (nats per image)", true,
                        series)));
    }

    private static String label(Cell c, Settings s) {
        RapidTraining.Method m = SCHEMA.at(c, s).training().method();
        int h = SCHEMA.at(c, s).training().hidden();
        return switch (m) {
            case RAPID -> "RAPID, H = " + h + ", K = " + s.training().patterns() + ", " + s.training().rapidGibbs() + " Gibbs steps";
            case CD -> "CD-" + s.training().gibbs() + ", H = " + h;
            case PCD -> "PCD-" + s.training().gibbs() + ", H = " + h;
            case EXACT -> "exact";
        };
    }
}
