package org.engram.jobs.kh;

import com.typesafe.config.Config;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;
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
import org.engram.jobs.data.DataCache;
import org.engram.kernels.data.Binarisation;
import org.engram.kernels.data.Splits;
import org.engram.kernels.rbm.ContrastiveDivergence;
import org.engram.kernels.rbm.KrotovHopfield;
import org.engram.kernels.rbm.Metrics;
import org.engram.kernels.rbm.Rbm;
import org.engram.kernels.rbm.RbmTrainer;

/**
 * {@code kh.reconstruction} — KH-RBM paper, Fig. 3: per-epoch validation reconstruction error (eq. 11,
 * and the authors' per-image sum) and cross-entropy (eq. 12) of a binary RBM trained by CD-k with and
 * without the Krotov–Hopfield step (TD or BU, eqs. 5–9), for each seed; aggregated over seeds per
 * epoch with 95% CIs. Grid: dataset × variant × init × hidden × k; replicates: seeds. One work unit
 * trains one (cell, seed). R is {@code radius-std} for Std-Normal and {@code radius-lecun} for LeCun
 * initialisation, as in the paper; ε = ε0 (1 − epoch/S)^{3/2}.
 *
 * <p>Validation: the dataset's test split (what the authors' curves use), or, for a dataset without
 * one (the offline 10k MNIST subset), a deterministic hold-out of {@code holdout-rows} training images.
 */
public final class KhReconstructionJob implements Job {
    public static final String ID = "kh.reconstruction";
    /** What a run measures: reconstruction (Fig. 3) or classification accuracy (Table I). */
    public enum Mode { RECONSTRUCTION, CLASSIFICATION }

    private final String id;
    private final String description;
    private final List<String> required;
    private final Mode mode;

    private KhReconstructionJob(String id, String description, List<String> extraRequired) {
        this(id, description, extraRequired, Mode.RECONSTRUCTION);
    }

    private KhReconstructionJob(String id, String description, List<String> extraRequired, Mode mode) {
        this.id = id;
        this.description = description;
        this.mode = mode;
        List<String> r = new ArrayList<>(List.of("dataset", "variant", "init", "hidden", "k"));
        r.addAll(extraRequired);
        this.required = List.copyOf(r);
    }

    /** {@code kh.reconstruction}: Fig. 3's curves. */
    public static KhReconstructionJob reconstruction() {
        return new KhReconstructionJob(ID, "KH-RBM Fig. 3: validation MSE and cross-entropy per epoch, plain vs KH-TD/BU "
                + "RBMs, over seeds", List.of());
    }

    /** {@code kh.schedule}: the same curves for several KH windows S (a grid dimension). */
    public static KhReconstructionJob schedule() {
        return new KhReconstructionJob("kh.schedule", "KH-RBM: the KH window S swept (grid dimension schedule); does KH "
                + "beat plain after the window closes", List.of("schedule"));
    }

    /** {@code kh.grid}: the ε0 × Δ grid search the paper tuned both by. */
    public static KhReconstructionJob grid() {
        return new KhReconstructionJob("kh.grid", "KH-RBM: ε0 × Δ grid search (grid dimensions eps0, delta)",
                List.of("eps0", "delta"));
    }

    /**
     * {@code kh.classification}: Table I — a classification RBM (one-hot labels as 10 extra visible units,
     * generative CD on (x, y), label of lowest free energy predicted) plain or with KH-TD; validation
     * accuracy per epoch, its maximum, and seconds per epoch.
     */
    public static KhReconstructionJob classification() {
        return new KhReconstructionJob("kh.classification", "KH-RBM Table I: classification-RBM validation accuracy "
                + "(max over epochs) and time per epoch, CD-k vs KH-TD-CD-k", List.of(), Mode.CLASSIFICATION);
    }

    /** {@code kh.shuffle-control}: ξ_t replaced by a component-shuffled copy; does the gain disappear. */
    public static KhReconstructionJob shuffleControl() {
        return new KhReconstructionJob("kh.shuffle-control", "KH-RBM: ξ_t of eq. 10 replaced by a component-shuffled "
                + "copy (variant td-shuffled) against plain and KH-TD training", List.of());
    }

    /** {@code kh.receptive-fields}: receptive-field overlap of plain, TD and BU RBMs. */
    public static KhReconstructionJob receptiveFields() {
        return new KhReconstructionJob("kh.receptive-fields", "KH-RBM: mean largest cosine overlap between hidden "
                + "units' receptive fields, plain vs TD vs BU (paper: 0.41 / 0.37 / 0.35)", List.of());
    }
    static final TableSpec FINAL = new TableSpec("final", List.of("mse", "mse_sum", "cross_entropy", "best_mse",
            "rf_overlap"), Set.of("rf_overlap"),
            "one row per (cell, seed): after the last epoch, on the validation images: mse = per-pixel squared "
            + "error of one sampled v → h → v reconstruction (eq. 11), mse_sum = the authors' per-image sum of it, "
            + "cross_entropy = per-pixel Bernoulli log-loss of the reconstruction probabilities (eq. 12, p clipped "
            + "to [1e-6, 1 − 1e-6]); best_mse = the lowest mse over epochs; rf_overlap = mean over hidden units of the "
            + "largest cosine between its weights and another unit's (receptive-field overlap)");
    /** Wall clock: the one table of these jobs that differs from run to run (kept apart so the others do not). */
    static final TableSpec TIMING = new TableSpec(TableSpec.TIMING,
            List.of("seconds_per_epoch", "first_epoch_seconds"),
            Set.of(), "one row per (cell, seed): seconds_per_epoch = the median over epochs of the wall-clock "
            + "seconds of one training epoch (training only, not evaluation), first_epoch_seconds = the first "
            + "epoch's (it includes the JIT compiler's warm-up). Wall clock inside the task: tasks running side by "
            + "side on one machine share its memory bandwidth (see the manifest's runtime.default_parallelism), "
            + "and unlike every other table this one differs from run to run");
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
    private static final List<Dimension> DIMS = List.of(
            Dimension.choice("dataset", List.of("fashion-mnist", "mnist")),
            Dimension.choice("variant", VARIANTS),
            Dimension.choice("init", List.of("std-normal", "lecun")),
            Dimension.integer("hidden", 1, 100_000),
            Dimension.integer("k", 1, 1000),
            Dimension.integer("schedule", 1, 1_000_000),
            Dimension.real("eps0", x -> x >= 0, "must be ≥ 0"),
            Dimension.real("delta", x -> x >= 0, "must be ≥ 0"));

    @Override
    public String id() {
        return id;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public List<Class<? extends WorkUnit>> unitClasses() {
        return List.of(Unit.class);
    }

    @Override
    public List<Class<?>> codeClasses() {
        return List.of(KhReconstructionJob.class, Unit.class, Rbm.class, RbmTrainer.class, KrotovHopfield.class,
                ContrastiveDivergence.class, Metrics.class, org.engram.kernels.rbm.Classifier.class,
                org.engram.kernels.rbm.XiTrainer.class, org.engram.kernels.rbm.Fused.class, Binarisation.class,
                Splits.class, org.engram.kernels.random.Shuffle.class);
    }

    /** Whether the two gradient estimates of ξ share their sampling noise (see XiTrainer). */
    public enum XiNoise { COMMON, INDEPENDENT }

    /** Training and evaluation settings (the "params" section). */
    public record Settings(int epochs, int batch, double learningRate, double eps0, int schedule, double delta, int ell,
                           double radiusStd, double radiusLecun, String dataDir, Binarisation binarisation,
                           int trainRows, int evalRows, int holdoutRows, boolean xiCommonNoise)
            implements java.io.Serializable {
        /**
         * These settings as the ledger sees them: all but where the data lies (the driver keys the data by
         * its content).
         */
        public String fingerprint() {
            return new Settings(epochs, batch, learningRate, eps0, schedule, delta, ell, radiusStd, radiusLecun, "",
                    binarisation, trainRows, evalRows, holdoutRows, xiCommonNoise).toString();
        }

        /**
         * The trainer settings of a cell: k and the init (which picks R) from the cell; Δ, ε0 and S from the
         * cell where they are grid dimensions, else from these settings.
         */
        RbmTrainer.Settings trainer(Cell cell, KrotovHopfield.Direction direction, int labels) {
            boolean lecun = cell.get("init").equals("lecun");
            double d = cell.has("delta") ? cell.getDouble("delta") : delta;
            double e0 = cell.has("eps0") ? cell.getDouble("eps0") : eps0;
            int s = cell.has("schedule") ? cell.getInt("schedule") : schedule;
            KrotovHopfield.Settings kh = new KrotovHopfield.Settings(direction, ell, d, lecun ? radiusLecun : radiusStd);
            return new RbmTrainer.Settings(batch, cell.getInt("k"), false, (float) learningRate, kh, e0, s, labels);
        }
    }

    /** The "params" section shared by every kh.* job; {@code extra} are further keys the caller reads itself. */
    static Settings readSettings(Section p, Set<String> extra) {
        Set<String> keys = new java.util.HashSet<>(Set.of("epochs", "batch", "learning-rate", "eps0", "schedule", "delta",
                "ell", "radius-std", "radius-lecun", "data-dir", "binarisation", "train-rows", "eval-rows",
                "holdout-rows", "xi-noise"));
        keys.addAll(extra);
        p.onlyKeys(keys);
        int epochs = (int) p.integer("epochs", 1, 100_000);
        int batch = (int) p.integer("batch", 1, 1_000_000);
        double lr = p.real("learning-rate", 0, 1e6);
        double eps0 = p.real("eps0", 0, 1e6);
        int schedule = (int) p.integer("schedule", 1, 1_000_000);
        double delta = p.real("delta", 0, 1e6);
        int ell = (int) p.integer("ell", 1, 100_000);
        double rStd = p.real("radius-std", 1e-9, 1e9);
        double rLecun = p.real("radius-lecun", 1e-9, 1e9);
        String dir = p.string("data-dir");
        Binarisation bin = p.choice("binarisation", Binarisation.class);
        int trainRows = (int) p.integer("train-rows", 0, Integer.MAX_VALUE);
        int evalRows = (int) p.integer("eval-rows", 0, Integer.MAX_VALUE);
        int holdout = (int) p.integer("holdout-rows", 1, Integer.MAX_VALUE);
        XiNoise xiNoise = p.choice("xi-noise", XiNoise.class);
        return new Settings(epochs, batch, lr, eps0, schedule, delta, ell, rStd, rLecun, dir, bin, trainRows,
                evalRows, holdout, xiNoise == XiNoise.COMMON);
    }

    @Override
    public Plan plan(SweepIdentity sweep, Config conf, Problems problems) {
        List<Cell> cells = Grid.expand(conf.getConfig("grid"), "grid", DIMS, required, problems);
        Section rep = new Section(conf, "replicates", problems);
        rep.onlyKeys(Set.of("seeds"));
        int seeds = (int) rep.integer("seeds", 1, 10_000);
        Settings s = readSettings(new Section(conf, "params", problems), Set.of());
        if (!problems.isEmpty()) {
            return null;
        }
        List<WorkUnit> units = new ArrayList<>();
        for (Cell c : cells) {
            for (int seed = 0; seed < seeds; seed++) {
                units.add(new Unit(sweep, c, seed, s, mode));
            }
        }
        List<TableSpec> tables = mode == Mode.CLASSIFICATION ? List.of(FINAL_ACCURACY, CURVE_ACCURACY, TIMING)
                : List.of(FINAL, CURVE, TIMING);
        return new Plan(cells, seeds, tables, units, "hidden × visible × training images × epochs", s);
    }

    /** One (cell, seed): a whole training run. */
    record Unit(SweepIdentity sweep, Cell cell, int seed, Settings settings, Mode mode)
            implements WorkUnit, DataCache.NeedsData {
        @Override
        public String key() {
            return cell.key() + "/seed=" + seed;
        }

        @Override
        public String fingerprint() {
            return "seed=" + sweep.seed() + "|cell=" + cell.key() + "|replicate=" + seed + "|" + settings.fingerprint() + "|" + mode;
        }

        @Override
        public double cost() {
            int rows = settings.trainRows() > 0 ? settings.trainRows() : 60_000;
            double khFactor = cell.get("variant").equals("none") ? 1.0 : 1.4;
            return 784.0 * cell.getInt("hidden") * rows * settings.epochs() * cell.getInt("k") * khFactor;
        }

        @Override
        public int trials() {
            return 1;
        }

        @Override
        public List<DataCache.Need> datasets() {
            return List.of(new DataCache.Need(settings.dataDir(), (String) cell.get("dataset"), "train"));
        }

        Cell epochCell(int epoch) {
            String[] names = new String[cell.size() + 1];
            Object[] values = new Object[cell.size() + 1];
            for (int i = 0; i < cell.size(); i++) {
                names[i] = cell.name(i);
                values[i] = cell.value(i);
            }
            names[cell.size()] = "epoch";
            values[cell.size()] = (long) epoch;
            return new Cell(cell.index(), names, values);
        }

        @Override
        public void run(Consumer<TrialRow> out) {
            long trainSeed = sweep.derive(cell.key(), seed, "train");
            try {
                String name = (String) cell.get("dataset");
                Settings st = settings;
                org.engram.jobs.data.Labelled[] tv = org.engram.jobs.data.Labelled.trainValidation(st.dataDir(), name,
                        st.binarisation(), org.engram.jobs.data.Labelled.Coding.ZERO_ONE, st.holdoutRows());
                org.engram.jobs.data.Labelled tr = tv[0].head(st.trainRows());
                org.engram.jobs.data.Labelled va = tv[1].head(st.evalRows());
                int n = tr.width();
                float[] train = tr.x();
                int trainCount = tr.count();
                float[] val = va.x();
                int valCount = va.count();
                byte[] valLabels = va.y();
                int labels = 0;
                if (mode == Mode.CLASSIFICATION) {
                    labels = CLASSES;
                    train = withLabels(train, trainCount, n, tr.y());
                }
                int m = cell.getInt("hidden");
                boolean lecun = cell.get("init").equals("lecun");
                SplittableRandom rng = new SplittableRandom(trainSeed);
                Rbm rbm = Rbm.initialised(n + labels, m, lecun ? Rbm.Init.LECUN : Rbm.Init.STD_NORMAL, rng);
                String variant = (String) cell.get("variant");
                KrotovHopfield.Direction dir = switch (variant) {
                    case "td", "td-xi", "td-shuffled" -> KrotovHopfield.Direction.TOP_DOWN;
                    case "bu" -> KrotovHopfield.Direction.BOTTOM_UP;
                    default -> KrotovHopfield.Direction.NONE;
                };
                RbmTrainer.Settings trainerSettings = st.trainer(cell, dir, labels);
                RbmTrainer trainer = new RbmTrainer(n + labels, m, trainerSettings);
                if (mode == Mode.CLASSIFICATION) {
                    classify(rbm, trainer, train, trainCount, val, valCount, valLabels, n, m, st, rng, trainSeed, out);
                    return;
                }
                Metrics metrics = new Metrics(n, m, Math.max(1, Math.min(1000, valCount)));
                int[] order = new int[trainCount];
                Metrics.Reconstruction last = null;
                double best = Double.POSITIVE_INFINITY;
                double[] epochSeconds = new double[st.epochs()];
                boolean xiForm = variant.equals("td-xi") || variant.equals("td-shuffled");
                org.engram.kernels.rbm.XiTrainer xiTrainer = xiForm
                        ? new org.engram.kernels.rbm.XiTrainer(n, m, trainerSettings, st.xiCommonNoise()) : null;
                for (int e = 0; e < st.epochs(); e++) {
                    org.engram.kernels.rbm.XiTrainer.Stats xi = null;
                    long t0 = System.nanoTime();
                    if (xiForm) {
                        xi = xiTrainer.epoch(rbm, train, trainCount, e, order, rng, variant.equals("td-shuffled"));
                    } else {
                        trainer.epoch(rbm, train, trainCount, e, order, rng);
                    }
                    epochSeconds[e] = (System.nanoTime() - t0) / 1e9;
                    last = metrics.reconstruction(rbm, val, valCount,
                            new SplittableRandom(sweep.derive(cell.key(), seed * 100_003L + e, "eval")));
                    best = Math.min(best, last.mse());
                    out.accept(TrialRow.ok(CURVE.name(), epochCell(e), seed, trainSeed, last.mse(), last.mseSum(),
                            last.crossEntropy(), xi == null ? Double.NaN : xi.ratio(), xi == null ? Double.NaN : xi.cosine()));
                }
                out.accept(TrialRow.ok(FINAL.name(), cell, seed, trainSeed, last.mse(), last.mseSum(), last.crossEntropy(),
                        best, Metrics.receptiveFieldOverlap(rbm)));
                out.accept(timing(epochSeconds, trainSeed));
            } catch (RuntimeException e) {
                out.accept(TrialRow.failed(mode == Mode.CLASSIFICATION ? FINAL_ACCURACY.name() : FINAL.name(), cell, seed,
                    trainSeed, e.toString()));
            }
        }

        /** Training with accuracy after every epoch (classification mode). */
        private void classify(Rbm rbm, RbmTrainer trainer, float[] train, int trainCount, float[] val, int valCount,
                              byte[] valLabels, int n, int m, Settings st, SplittableRandom rng, long trainSeed,
                              Consumer<TrialRow> out) {
            org.engram.kernels.rbm.Classifier classifier = new org.engram.kernels.rbm.Classifier(n, CLASSES, m,
                    Math.max(1, Math.min(1000, valCount)));
            int[] order = new int[trainCount];
            double acc = 0;
            double best = 0;
            double[] epochSeconds = new double[st.epochs()];
            for (int e = 0; e < st.epochs(); e++) {
                long t0 = System.nanoTime();
                trainer.epoch(rbm, train, trainCount, e, order, rng);
                epochSeconds[e] = (System.nanoTime() - t0) / 1e9;
                acc = classifier.accuracy(rbm, val, valCount, valLabels);
                best = Math.max(best, acc);
                out.accept(TrialRow.ok(CURVE_ACCURACY.name(), epochCell(e), seed, trainSeed, acc));
            }
            out.accept(TrialRow.ok(FINAL_ACCURACY.name(), cell, seed, trainSeed, acc, best));
            out.accept(timing(epochSeconds, trainSeed));
        }

        /** The timing row: the median epoch (robust to the first epoch's JIT warm-up) and the first epoch. */
        private TrialRow timing(double[] epochSeconds, long trainSeed) {
            double median = new org.apache.commons.math3.stat.descriptive.rank.Median().evaluate(epochSeconds);
            return TrialRow.ok(TIMING.name(), cell, seed, trainSeed, median, epochSeconds[0]);
        }

        @Override
        public void failAll(String message, Consumer<TrialRow> out) {
            out.accept(TrialRow.failed(mode == Mode.CLASSIFICATION ? FINAL_ACCURACY.name() : FINAL.name(), cell, seed, 0L,
                    message));
        }
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

    /** Table I: a row per (variant, k), columns (init, M): max accuracy ± CI and seconds per epoch. */
    private Derived deriveTableOne(Plan plan, List<Aggregate> aggregates) {
        Settings s = (Settings) plan.settings();
        Map<String, Aggregate> best = Tables.metric(aggregates, FINAL_ACCURACY.name(), "max_accuracy");
        Map<String, Aggregate> time = Tables.metric(aggregates, TIMING.name(), "seconds_per_epoch");
        Map<String, Aggregate> curve = Tables.metric(aggregates, CURVE_ACCURACY.name(), "accuracy");
        List<List<Object>> rows = new ArrayList<>();
        for (Cell c : plan.cells()) {
            String method = (c.get("variant").equals("none") ? "" : "KH_" + String.valueOf(c.get("variant")).toUpperCase()
                    + "-") + "CD_" + c.get("k");
            double[] ci = Tables.ci(best.get(c.key()), 0, 1);
            rows.add(Tables.row(c.get("dataset"), method, c.get("init"), c.get("hidden"),
                    100 * Tables.mean(best.get(c.key())), 100 * ci[0], 100 * ci[1], Tables.mean(time.get(c.key()))));
        }
        List<Figure> figures = new ArrayList<>();
        Map<String, List<Figure.Series>> groups = new LinkedHashMap<>();
        for (Cell c : plan.cells()) {
            String g = c.get("dataset") + "_" + c.get("init") + "_M" + c.get("hidden") + "_k" + c.get("k");
            groups.computeIfAbsent(g, k -> new ArrayList<>()).add(epochSeries(curve, c, s.epochs(), 100, 0, 1));
        }
        groups.forEach((g, series) -> figures.add(new Figure.Curves("accuracy_" + g, "Validation accuracy, "
                + g.replace('_', ' '), "epoch", false, "accuracy (%)", false, series)));
        return new Derived(List.of(new Derived.DerivedTable("table_i",
                "Table I: one row per (dataset, method, init, hidden): the maximum over epochs of the validation "
                + "accuracy (%), mean over seeds with its 95% t-interval clipped to [0, 100]; seconds_per_epoch = the "
                + "timing table's median training epoch, mean over seeds (as the paper's table has a time column; wall "
                + "clock, so this column, unlike the others, differs from run to run)",
                List.of("dataset", "method", "init", "hidden",
                "max_accuracy_pct", "ci95_low", "ci95_high", "seconds_per_epoch"), rows)), figures);
    }

    /**
     * One curve per cell: the mean of a per-epoch metric over seeds with its 95% CI (clipped to the metric's
     * range [min, max]), times {@code scale}.
     */
    static Figure.Series epochSeries(Map<String, Aggregate> curve, Cell c, int epochs, double scale, double min,
                                     double max) {
        double[] x = new double[epochs];
        double[] y = new double[epochs];
        double[] lo = new double[epochs];
        double[] hi = new double[epochs];
        for (int e = 0; e < epochs; e++) {
            Aggregate a = curve.get(c.key() + ",epoch=" + e);
            x[e] = e + 1;
            y[e] = scale * Tables.mean(a);
            double[] ci = Tables.ci(a, min, max);
            lo[e] = scale * ci[0];
            hi[e] = scale * ci[1];
        }
        return new Figure.Series(legend(String.valueOf(c.get("variant"))), x, y, lo, hi);
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

    @Override
    public Derived derive(Plan plan, List<Aggregate> aggregates) {
        if (mode == Mode.CLASSIFICATION) {
            return deriveTableOne(plan, aggregates);
        }
        Settings s = (Settings) plan.settings();
        List<Figure> figures = new ArrayList<>();
        List<List<Object>> rows = new ArrayList<>();
        // group cells by everything but the variant: one figure per group, one curve per variant
        Map<String, List<Cell>> groups = new LinkedHashMap<>();
        for (Cell c : plan.cells()) {
            StringBuilder gb = new StringBuilder(c.get("dataset") + "_" + c.get("init") + "_M" + c.get("hidden") + "_k"
                    + c.get("k"));
            for (String extra : List.of("schedule", "eps0", "delta")) {
                if (c.has(extra)) {
                    gb.append('_').append(extra).append(Cell.format(c.get(extra)));
                }
            }
            String g = gb.toString();
            groups.computeIfAbsent(g, k -> new ArrayList<>()).add(c);
        }
        for (String metric : List.of("mse", "cross_entropy")) {
            Map<String, Aggregate> curve = Tables.metric(aggregates, CURVE.name(), metric);
            for (Map.Entry<String, List<Cell>> g : groups.entrySet()) {
                List<Figure.Series> series = new ArrayList<>();
                for (Cell c : g.getValue()) {
                    series.add(epochSeries(curve, c, s.epochs(), 1, 0, Double.POSITIVE_INFINITY));
                }
                figures.add(new Figure.Curves(metric + "_" + g.getKey(), "Validation " + (metric.equals("mse")
                        ? "reconstruction MSE (eq. 11)" : "cross-entropy (eq. 12)") + ", " + g.getKey().replace('_', ' '),
                        "epoch", false, metric, false, series));
            }
        }
        for (String metric : List.of("xi_ratio", "xi_cosine")) {
            Map<String, Aggregate> curve = Tables.metric(aggregates, CURVE.name(), metric);
            List<Figure.Series> series = new ArrayList<>();
            for (Cell c : plan.cells()) {
                if (String.valueOf(c.get("variant")).startsWith("td-")) {
                    Figure.Series one = epochSeries(curve, c, s.epochs(), 1, metric.equals("xi_ratio") ? 0 : -1,
                            metric.equals("xi_ratio") ? Double.POSITIVE_INFINITY : 1);
                    series.add(new Figure.Series(c.key(), one.x(), one.y(), one.lower(), one.upper()));
                }
            }
            if (!series.isEmpty()) {
                figures.add(new Figure.Curves(metric, metric.equals("xi_ratio") ? "|ξ_t| / |∇L(θ_t)| per epoch (eq. 10)"
                        : "cos(∇L(θ_t), ξ_t) per epoch (eq. 10)", "epoch", false, metric, false, series));
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
}
