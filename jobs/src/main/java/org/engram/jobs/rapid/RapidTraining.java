package org.engram.jobs.rapid;

import static org.engram.jobs.config.Setting.Vary.MAY;
import static org.engram.jobs.config.Setting.Vary.MUST;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.engram.jobs.config.Cell;
import org.engram.jobs.config.Common;
import org.engram.jobs.config.Operational;
import org.engram.jobs.config.Problems;
import org.engram.jobs.config.Section;
import org.engram.jobs.config.Setting;
import org.engram.jobs.core.Aggregate;
import org.engram.jobs.core.Column;
import org.engram.jobs.core.Derived;
import org.engram.jobs.core.Figure;
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
import org.engram.jobs.core.WorkUnit;
import org.engram.kernels.data.BarsAndStripes;
import org.engram.kernels.rbm.SpinExact;
import org.engram.kernels.rbm.SpinMeasures;
import org.engram.kernels.rbm.SpinRbm;
import org.engram.kernels.rbm.SpinTrainer;

/**
 * What {@code rapid.bars} and {@code rapid.bas} are: independent training instances of a ±1 RBM without biases
 * on generated ±1 images, by the grid's {@code method} (RAPID, CD-k, PCD-k, exact gradient — {@link SpinTrainer}),
 * measured after every epoch in the authors' protocols: the Appendix C reconstruction Hamming distance on the
 * training and test images (Figs. 3, 5), and where V ≤ 24 the Gibbs and method ground-state accessibilities
 * (Fig. 2) against the exact ground state; after the last epoch the singular values of W (Fig. 4). Each catalogue
 * entry is a subclass that names its data.
 */
final class RapidTraining {
    private RapidTraining() {
    }

    static final TableSpec CURVE = new TableSpec("curve", List.of("hd_train", "hd_test", "gibbs_accessibility",
            "method_accessibility"), Set.of("gibbs_accessibility", "method_accessibility"),
            "one row per (cell, instance, epoch = epochs trained − 1): hd_train / hd_test = the Appendix C "
            + "reconstruction Hamming distance per pixel (each image with only its line perpendicular to its bars "
            + "kept, the other pixels 0, params.copies copies, ONE Gibbs step resampling every pixel; 0 = perfect, "
            + "0.5 = chance) over the training / test images; gibbs_accessibility = the lowest energy reached by "
            + "params.accessibility-chains random chains after params.accessibility-steps Gibbs sweeps over the "
            + "exact ground-state energy; method_accessibility = the lowest energy among the configurations the "
            + "method's negative phase uses (RAPID: the patterns; PCD: the chains; CD: params.cd-repeats passes of "
            + "the training set through k Gibbs steps) over the ground-state energy. Both accessibilities NaN when V "
            + "> 24 (no exact ground state) and the method one NaN for the exact gradient (it uses no configurations)");
    static final Metric CURVE_HD_TRAIN = CURVE.metric("hd_train");
    static final Metric CURVE_HD_TEST = CURVE.metric("hd_test");
    static final Metric CURVE_GIBBS_ACCESSIBILITY = CURVE.metric("gibbs_accessibility");
    static final Metric METHOD_ACCESSIBILITY = CURVE.metric("method_accessibility");
    static final TableSpec FINAL = new TableSpec("final", List.of("hd_train", "hd_test", "gibbs_accessibility",
            "first_learned_epoch"), Set.of("gibbs_accessibility", "first_learned_epoch"),
            "one row per (cell, instance): the curve's measures after the last epoch, and first_learned_epoch = the "
            + "first epoch after which hd_test ≤ params.learned-distance (NaN when never)");
    static final Metric FINAL_HD_TRAIN = FINAL.metric("hd_train");
    static final Metric FINAL_HD_TEST = FINAL.metric("hd_test");
    static final Metric FINAL_GIBBS_ACCESSIBILITY = FINAL.metric("gibbs_accessibility");
    static final Metric FIRST_LEARNED_EPOCH = FINAL.metric("first_learned_epoch");
    static final TableSpec SPECTRUM = new TableSpec("spectrum", List.of("singular_value"), Set.of(),
            "one row per (cell, instance, index = 1 … min(V, H)): the singular values of W after training, largest "
            + "first (Fig. 4)");
    static final Metric SINGULAR_VALUE = SPECTRUM.metric("singular_value");
    static final TableSpec TIMING = TableSpec.timing(List.of("seconds_per_epoch"),
            "one row per (cell, instance): the median wall-clock seconds of a training epoch (measurements excluded)");
    static final Metric SECONDS_PER_EPOCH = TIMING.metric("seconds_per_epoch");

    /** The training methods of Sec. V A. */
    public enum Method { RAPID, CD, PCD, EXACT }

    /**
     * How an instance trains, shared by {@code rapid.bars}, {@code rapid.bas} and {@code rapid.mnist}: the method,
     * epochs, H, and each method's settings for {@link SpinTrainer} — RAPID's patterns, Gibbs steps, SGD rate, batch,
     * per-epoch decay (from epoch {@code rapid-decay-after} on) and constraint; the baselines' k, rate, batch,
     * chains, optimiser, initial weights.
     */
    public record Training(
            @Setting(doc = "training method: rapid (RA patterns + PID), cd (CD-k), pcd (PCD-k), exact (enumerated "
                    + "gradient)", grid = MUST) Method method,
            @Setting(doc = "independent training instances", min = 1, max = 1_000_000, replicates = true)
            int instances,
            @Common.Epochs int epochs,
            @Common.Hidden @Setting(doc = "hidden units H", grid = MAY) int hidden,
            @Setting(doc = "RAPID: patterns K", min = 1, max = 100_000) int patterns,
            @Setting(doc = "RAPID: Gibbs steps seeded at the patterns for the negative phase (0 = pure PID, eq. 6)",
                    min = 0, max = 10_000) int rapidGibbs,
            @Setting(doc = "RAPID: SGD learning rate of the patterns", min = 0, max = 1e3, above = true,
                    requirement = "must be > 0") double rapidLr,
            @Setting(doc = "RAPID: minibatch size", min = 1, max = 1_000_000) int rapidBatch,
            @Setting(doc = "RAPID: learning rate × this after every epoch while it exceeds rapid-lr-floor", min = 0,
                    max = 1, above = true) double rapidDecay,
            @Setting(key = "rapid-lr-floor", doc = "RAPID: see rapid-decay", min = 0, max = 1e3) double rapidFloor,
            @Setting(key = "rapid-decay-after", doc = "RAPID: the learning rate decays only after this many epochs",
                    min = 0, max = 1_000_000) int decayAfter,
            @Setting(key = "rapid-constraint", doc = "RAPID: sign-per-epoch (eq. B1), clip (to [−clip, clip] after "
                    + "every update) or none") SpinTrainer.Constraint constraint,
            @Setting(doc = "RAPID with clip: the bound x", min = 0, max = 1e6, above = true,
                    requirement = "must be > 0") double clip,
            @Setting(key = "gibbs-steps", doc = "CD-k / PCD-k: k", min = 1, max = 100_000) int gibbs,
            @Setting(doc = "CD, PCD, exact: learning rate", min = 0, max = 1e3, above = true,
                    requirement = "must be > 0") double lr,
            @Setting(doc = "CD, PCD, exact: minibatch size", min = 1, max = 1_000_000) int batch,
            @Setting(doc = "PCD: persistent chains", min = 1, max = 10_000_000) int chains,
            @Setting(doc = "CD, PCD, exact: adam (the authors' baselines) or sgd") SpinTrainer.Optimiser optimiser,
            @Setting(doc = "CD, PCD, exact: standard deviation of the initial Gaussian weights (the authors': 0.01)",
                    min = 0, max = 1e3) double initSd,
            @Setting(doc = "threads of one exact enumeration (1 under Spark: a task has one core)", min = 1, max = 256)
            @Operational("threads do not change results") int threads) implements java.io.Serializable {
        /** Multiply-adds of one training epoch over {@code rows} images by method {@code m} at V × H. */
        double epochCost(Method m, int visible, int h, double rows) {
            double vh = (double) visible * h;
            return switch (m) {
                case RAPID -> (2 * rows + Math.ceil(rows / rapidBatch) * patterns * (4 + 2.0 * rapidGibbs)) * vh;
                case CD -> rows * (2 + 2.0 * gibbs) * vh;
                case PCD -> (2 * rows + Math.ceil(rows / batch) * chains * (2 + 2.0 * gibbs)) * vh;
                case EXACT -> (2 * rows + Math.ceil(rows / batch) * Math.pow(2, Math.min(visible, 30) - 1) * 2) * vh;
            };
        }

        SpinTrainer.Settings trainer(Method m) {
            SpinTrainer.Method tm = SpinTrainer.Method.valueOf(m.name());
            return m == Method.RAPID
                    ? new SpinTrainer.Settings(tm, patterns, rapidGibbs, rapidBatch, 0, SpinTrainer.Optimiser.SGD,
                            rapidLr, rapidDecay, rapidFloor, decayAfter, constraint, clip, 0, threads)
                    : new SpinTrainer.Settings(tm, 0, gibbs, batch, chains, optimiser, lr, 1, 0, 0,
                            SpinTrainer.Constraint.NONE, clip, initSd, threads);
        }
    }

    /** The training, and the measurements and data of the bars entries. */
    public record Settings(
            @Setting(doc = "the training", inline = true) Training training,
            @Setting(doc = "reconstruction: copies of each partial image", min = 1, max = 1_000_000) int copies,
            @Setting(key = "reconstructed-images", doc = "reconstruction: the first this many images of each set (0 "
                    + "= all)", min = 0, max = 10_000_000) int reconstructed,
            @Setting(key = "accessibility-chains", doc = "Gibbs accessibility: random chains", min = 1, max = 100_000)
            int accChains,
            @Setting(key = "accessibility-steps", doc = "Gibbs accessibility: Gibbs sweeps", min = 1, max = 100_000)
            int accSteps,
            @Setting(doc = "CD method accessibility: passes of the training set through k Gibbs steps", min = 1,
                    max = 100_000) int cdRepeats,
            @Setting(key = "learned-distance", doc = "first_learned_epoch: the test Hamming distance that counts as "
                    + "learned", min = 0, max = 0.5) double learned,
            @Setting(doc = "bars and stripes: image side n", min = 2, max = 20) int side,
            @Setting(doc = "bars and stripes: the training share of the one random split", min = 0, max = 1,
                    above = true, below = true) double trainFraction) implements java.io.Serializable {
    }

    /** The generated data of an entry: training and test images. */
    enum Dataset {
        /** The authors' 4 × 4 Bars split. */
        BARS4,
        /** side × side bars and stripes, one split per sweep (its seed derives from the sweep). */
        BAS;

        BarsAndStripes.Images[] images(Settings s, SweepIdentity sweep) {
            return this == BARS4
                    ? new BarsAndStripes.Images[] {BarsAndStripes.bars4Train(), BarsAndStripes.bars4Test()}
                    : BarsAndStripes.split(BarsAndStripes.bas(s.side()), s.trainFraction(),
                            new SplittableRandom(sweep.derive("data", 0, "split")));
        }
    }

    /** The exact gradient enumerates 2^V states: refused for images wider than {@link SpinExact#MAX_VISIBLE}. */
    static void check(Setup<Settings> setup, Problems problems, Dataset data) {
        int visible = data.images(setup.settings(), setup.sweep())[0].width();
        for (Cell c : setup.cells()) {
            if (setup.at(c).training().method() == Method.EXACT && visible > SpinExact.MAX_VISIBLE) {
                problems.at(setup.conf(), "grid.method", "method exact enumerates 2^V visible states and needs V ≤ "
                        + SpinExact.MAX_VISIBLE + "; these images have V = " + visible + " pixels");
                return;
            }
        }
    }

    /** One unit per (method, instance) on {@code data}'s images. */
    static Plan<Settings> plan(Setup<Settings> setup, Dataset data) {
        Settings s = setup.settings();
        BarsAndStripes.Images train = data.images(s, setup.sweep())[0];
        int visible = train.width();
        List<WorkUnit> units = ReplicateRange.chunked(setup.cells(), s.training().instances(), 1,
                (c, from, to) -> new Unit(setup.sweep(), c, from, to, setup.at(c), data, visible, train.count()));
        return new Plan<>(setup, s.training().instances(), List.of(FINAL, CURVE, SPECTRUM, TIMING), units,
                "multiply-adds");
    }

    /** One training instance. */
    record Unit(SweepIdentity sweep, Cell cell, int from, int to, Settings settings, Dataset data, int visible,
                int rows)
            implements ReplicateRange {
        @Override
        public TableSpec table() {
            return FINAL;
        }

        @Override
        public String seedStream() {
            return "train";
        }

        /** Multiply-adds of the products: training, and every epoch's measurements. */
        @Override
        public double cost() {
            Settings s = settings;
            double vh = (double) visible * s.training().hidden();
            double perEpoch = s.training().epochCost(settings.training().method(), visible, s.training().hidden(), rows);
            int shown = s.reconstructed() == 0 ? rows : Math.min(rows, s.reconstructed());
            double measure = 4.0 * shown * s.copies() * vh;
            if (visible <= SpinExact.MAX_VISIBLE) {
                measure += Math.pow(2, visible - 1) * vh + 2.0 * s.accChains() * s.accSteps() * vh;
                if (settings.training().method() == Method.CD) {
                    measure += 2.0 * s.cdRepeats() * rows * s.training().gibbs() * vh;
                }
            }
            return (to - from) * s.training().epochs() * (perEpoch + measure);
        }

        @Override
        public void run(UnitContext context, Consumer<TrialRow> out) {
            BarsAndStripes.Images[] sets = data.images(settings, sweep);
            for (Trial t : trialsOwed()) {
                Trials.guard(t, out, o -> train(sets, t, o, context));
            }
        }

        private void train(BarsAndStripes.Images[] sets, Trial t, Consumer<TrialRow> o, UnitContext context) {
            Settings s = settings;
            BarsAndStripes.Images tr = sets[0].head(s.reconstructed());
            BarsAndStripes.Images te = sets[1].head(s.reconstructed());
            SplittableRandom rng = new SplittableRandom(t.seed());
            SplittableRandom measure = new SplittableRandom(sweep.derive(cell.key(), t.replicate(), "measure"));
            Method m = settings.training().method();
            SpinTrainer trainer = new SpinTrainer(s.training().trainer(m), visible, s.training().hidden(), sets[0].pixels(),
                    sets[0].count(), rng);
            boolean exact = visible <= SpinExact.MAX_VISIBLE;
            double[] seconds = new double[s.training().epochs()];
            double[] last = null;
            double learned = Double.NaN;
            for (int e = 0; e < s.training().epochs(); e++) {
                long t0 = System.nanoTime();
                trainer.trainEpoch();
                seconds[e] = (System.nanoTime() - t0) / 1e9;
                SpinRbm rbm = trainer.rbm;
                double hdTrain = SpinMeasures.reconstructionDistance(rbm, tr.pixels(), tr.count(), tr.keep(),
                        s.copies(), measure);
                double hdTest = SpinMeasures.reconstructionDistance(rbm, te.pixels(), te.count(), te.keep(),
                        s.copies(), measure);
                double gibbs = Double.NaN;
                double method = Double.NaN;
                if (exact) {
                    double ground = SpinExact.ground(rbm, s.training().threads()).groundEnergy();
                    gibbs = SpinMeasures.gibbsAccessibility(rbm, ground, s.accChains(), s.accSteps(), measure);
                    method = trainer.methodEnergy(s.cdRepeats()) / ground;
                }
                if (Double.isNaN(learned) && hdTest <= s.learned()) {
                    learned = e + 1;
                }
                last = new double[] {hdTrain, hdTest, gibbs};
                o.accept(CURVE.row(Trials.extend(cell, "epoch", (long) e), t.replicate(), t.seed())
                        .set(CURVE_HD_TRAIN, hdTrain)
                        .set(CURVE_HD_TEST, hdTest)
                        .set(CURVE_GIBBS_ACCESSIBILITY, gibbs)
                        .set(METHOD_ACCESSIBILITY, method)
                        .ok());
                context.progress((e + 1.0) / s.training().epochs());
            }
            double[] sv = SpinMeasures.singularValues(trainer.rbm);
            for (int i = 0; i < sv.length; i++) {
                o.accept(SPECTRUM.row(Trials.extend(cell, "index", (long) (i + 1)), t.replicate(), t.seed())
                        .set(SINGULAR_VALUE, sv[i])
                        .ok());
            }
            o.accept(TIMING.row(cell, t.replicate(), t.seed())
                    .set(SECONDS_PER_EPOCH, new org.apache.commons.math3.stat.descriptive.rank.Median().evaluate(seconds))
                    .ok());
            o.accept(FINAL.row(cell, t.replicate(), t.seed())
                    .set(FINAL_HD_TRAIN, last[0])
                    .set(FINAL_HD_TEST, last[1])
                    .set(FINAL_GIBBS_ACCESSIBILITY, last[2])
                    .set(FIRST_LEARNED_EPOCH, learned)
                    .ok());
        }
    }

    /** A singular value below this fraction of the largest is a float zero (W of rank ≤ K in single precision). */
    static final double ZERO_SINGULAR = 1e-5;

    static String legend(Method m, Settings s) {
        return switch (m) {
            case RAPID -> "RAPID, K = " + s.training().patterns() + (s.training().rapidGibbs() > 0 ? ", " + s.training().rapidGibbs() + " Gibbs steps" : "");
            case CD -> "CD-" + s.training().gibbs();
            case PCD -> "PCD-" + s.training().gibbs() + ", " + s.training().chains() + " chains";
            case EXACT -> "exact gradient";
        };
    }

    /** Figs. 2–4 and the learning table. */
    static Derived derive(Plan<Settings> plan, List<Aggregate> aggregates) {
        Settings s = plan.settings();
        List<Figure> figures = new ArrayList<>();
        String[][] curves = {
                {"hd_train", "Reconstruction Hamming distance, training images (Fig. 3a / 5)", "Hamming distance per pixel"},
                {"hd_test", "Reconstruction Hamming distance, test images (Fig. 3b / 5)", "Hamming distance per pixel"},
                {"gibbs_accessibility", "Gibbs ground-state accessibility during training (Fig. 2a)",
                        "Gibbs accessibility E_Gibbs / E_GS"},
                {"method_accessibility", "Method ground-state accessibility during training (Fig. 2b)",
                        "method accessibility E_method / E_GS"}};
        for (String[] c : curves) {
            Column curve = Tables.metric(aggregates, CURVE.metric(c[0]));
            List<Figure.Series> series = new ArrayList<>();
            for (Cell cell : plan.cells()) {
                Figure.Series one = Tables.epochSeries(curve, cell, s.training().epochs(), 1, 0, 1, legend(plan.at(cell).training().method(), s));
                boolean any = false;
                for (double y : one.y()) {
                    any |= !Double.isNaN(y);
                }
                if (any) {
                    series.add(one);
                }
            }
            if (!series.isEmpty()) {
                figures.add(new Figure.Curves(c[0], c[1] + ", " + plan.replicates() + " instances (mean, 95% CI)",
                        "epoch", true, c[2], false, series));
            }
        }
        Column spectrum = Tables.metric(aggregates, SINGULAR_VALUE);
        List<Figure.Series> sv = new ArrayList<>();
        for (Cell cell : plan.cells()) {
            List<double[]> pts = new ArrayList<>();
            double top = Double.NaN;
            for (int i = 1; spectrum.has(Trials.extend(cell, "index", (long) i)); i++) {
                Aggregate a = spectrum.get(Trials.extend(cell, "index", (long) i));
                double[] ci = Tables.ci(a, 0, Double.POSITIVE_INFINITY);
                top = i == 1 ? Tables.mean(a) : top;
                if (Tables.mean(a) < ZERO_SINGULAR * top) {
                    break; // float round-off of an exactly rank-deficient W (RAPID: rank ≤ K): left out of the plot
                }
                pts.add(new double[] {i, Tables.mean(a), ci[0], ci[1]});
            }
            if (!pts.isEmpty()) {
                sv.add(new Figure.Series(legend(plan.at(cell).training().method(), s), col(pts, 0), col(pts, 1), col(pts, 2),
                        col(pts, 3)));
            }
        }
        if (!sv.isEmpty()) {
            figures.add(new Figure.Curves("spectrum", "Singular values of W after training (Fig. 4), "
                    + plan.replicates() + " instances (mean, 95% CI; values below 1e-5 of the largest — float zeros of "
                    + "a rank-deficient W — left out, the spectrum table has them)", "index", false, "singular value",
                    true, sv));
        }
        Column hdTrain = Tables.metric(aggregates, FINAL_HD_TRAIN);
        Column hdTest = Tables.metric(aggregates, FINAL_HD_TEST);
        Column learned = Tables.metric(aggregates, FIRST_LEARNED_EPOCH);
        Column gibbs = Tables.metric(aggregates, FINAL_GIBBS_ACCESSIBILITY);
        List<List<Object>> rows = new ArrayList<>();
        for (Cell cell : plan.cells()) {
            double[] a = Tables.ci(hdTrain.get(cell), 0, 1);
            double[] b = Tables.ci(hdTest.get(cell), 0, 1);
            Aggregate l = learned.get(cell);
            rows.add(Tables.row(Section.word(plan.at(cell).training().method()), Tables.mean(hdTrain.get(cell)), a[0], a[1],
                    Tables.mean(hdTest.get(cell)), b[0], b[1], Tables.mean(gibbs.get(cell)),
                    l == null ? 0L : l.moments().count(), Tables.mean(l)));
        }
        return new Derived(List.of(new Derived.DerivedTable("learning",
                "one row per method: the final training and test Hamming distances (mean over instances, 95% interval "
                + "clipped to [0, 1]), the final Gibbs accessibility, how many instances reached a test distance ≤ "
                + "params.learned-distance and their mean first epoch of doing so",
                List.of("method", "hd_train", "hd_train_ci95_low", "hd_train_ci95_high", "hd_test", "hd_test_ci95_low",
                        "hd_test_ci95_high", "gibbs_accessibility", "instances_learned", "first_learned_epoch"), rows)),
                figures);
    }

    private static double[] col(List<double[]> pts, int i) {
        double[] out = new double[pts.size()];
        for (int k = 0; k < out.length; k++) {
            out[k] = pts.get(k)[i];
        }
        return out;
    }
}
