package org.engram.jobs.mlcm;

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
import org.engram.jobs.data.Labelled;
import org.engram.kernels.data.Binarisation;
import org.engram.kernels.data.Projection;
import org.engram.kernels.mlcm.Mlcm;
import org.engram.kernels.mlcm.MlcmTrainer;
import org.engram.kernels.mlcm.Readout;
import org.engram.kernels.mlcm.SingleLayer;

/**
 * The Multi-Layer Chain Model experiments of the thesis (ch. 7): one work unit trains one model (an MLCM
 * or the single-layer baseline) for one seed and reports train and validation accuracy after every epoch,
 * the sweeps the dynamics needed, and every layer's activity.
 * <ul>
 *   <li>{@code mlcm.baseline} (§7.1, Figs. 7.1–7.2): dataset × variant (raw | projected) × model
 *       (mlcm | perceptron), ±1 states.</li>
 *   <li>{@code mlcm.sparsity-threshold} (§7.2.1, Fig. 7.3): {0,1} states with a fixed threshold γ on every
 *       layer (eq. 7.1), γ a grid dimension.</li>
 *   <li>{@code mlcm.sparsity-wta} (§7.2.2): {0,1} states, winner-takes-all with activity δ on the middle
 *       layers (first and last at γ = 0), δ a grid dimension.</li>
 * </ul>
 * The thesis gives the couplings (λ_L, λ_R, J_D, λ_IN, λ_OUT, N, L) but not η, ξ, ρ, the readout rate,
 * the batch or T_max; reference.conf documents the values used here. See {@link Mlcm} for the readings of
 * eq. 6.1/7.1 and algorithms 1–3 this code fixes. "Perceptron" is the thesis' single-layer network: the
 * same softmax readout and cross-entropy rule on the raw (or projected) ±1 input, same batches and epochs.
 */
public final class MlcmJob implements Job {
    /** Which experiment. */
    public enum Mode { BASELINE, THRESHOLD, WTA }

    static final int CLASSES = 10;
    static final int IMAGE_PIXELS = 784;

    private final String id;
    private final String description;
    private final Mode mode;
    private final List<String> required;

    private MlcmJob(String id, String description, Mode mode, List<String> required) {
        this.id = id;
        this.description = description;
        this.mode = mode;
        this.required = required;
    }

    public static MlcmJob baseline() {
        return new MlcmJob("mlcm.baseline", "MLCM Figs. 7.1–7.2: MLCM vs single-layer perceptron, train/validation "
                + "accuracy per epoch on raw and projected datasets",
                Mode.BASELINE, List.of("dataset", "variant", "model"));
    }

    public static MlcmJob sparsityThreshold() {
        return new MlcmJob("mlcm.sparsity-threshold", "MLCM Fig. 7.3: {0,1} states with a fixed threshold γ — "
                + "per-layer activity and accuracy vs γ", Mode.THRESHOLD, List.of("dataset", "gamma"));
    }

    public static MlcmJob sparsityWta() {
        return new MlcmJob("mlcm.sparsity-wta", "MLCM §7.2.2: winner-takes-all activity δ on the middle layers — "
                + "per-layer activity and accuracy vs δ", Mode.WTA, List.of("dataset", "delta"));
    }

    static final TableSpec FINAL = new TableSpec("final", List.of("train_accuracy", "val_accuracy",
            "best_val_accuracy"), Set.of(),
            "one row per (cell, seed): train and validation accuracy (fractions) after the last epoch, and the best "
            + "validation accuracy over epochs");
    /** Wall clock: the one table of this job that differs from run to run (kept apart so the others do not). */
    static final TableSpec TIMING = new TableSpec(TableSpec.TIMING,
            List.of("seconds_per_epoch", "train_samples_per_second"),
            Set.of(), "one row per (cell, seed): wall-clock seconds per training epoch (training only, mean over "
            + "epochs) and training samples per second, inside the task: tasks running side by side on one machine "
            + "share its memory bandwidth (see the manifest's runtime.default_parallelism), and unlike every other "
            + "table this one differs from run to run");
    static final TableSpec CURVE = new TableSpec("curve", List.of("train_accuracy", "val_accuracy", "train_sweeps",
            "val_sweeps", "converged_fraction", "unstable_fraction"), Set.of("train_sweeps", "val_sweeps",
            "converged_fraction", "unstable_fraction"),
            "one row per (cell, seed, epoch): inference accuracy on the training subset and the validation set; "
            + "mean sweeps to converge (training with x and y clamped, validation with right/output fields off); "
            + "fraction of training samples whose dynamics converged within t-max; fraction of (sample, unit) "
            + "pairs the perceptron rule found unstable (NaN for the perceptron)");
    static final TableSpec ACTIVITY = new TableSpec("activity", List.of("train_activity", "val_activity"), Set.of(),
            "one row per (cell, seed, epoch, layer): fraction of active units (+1 or 1) at the fixed points of the "
            + "epoch's training batches (x and y clamped) and of the validation inference");

    private static final List<Dimension> DIMS = List.of(
            Dimension.choice("dataset", List.of("mnist", "fashion-mnist")),
            Dimension.choice("variant", List.of("raw", "projected")),
            Dimension.choice("model", List.of("mlcm", "perceptron")),
            Dimension.real("gamma", x -> x >= 0, "must be ≥ 0"),
            Dimension.real("delta", x -> x > 0 && x <= 1, "must be in (0, 1]"),
            Dimension.choice("order", List.of("layer-sequential-sync", "layer-independent-sync",
                    "layer-sequential-async", "layer-independent-async")),
            Dimension.real("learning-rate", x -> x > 0, "must be > 0"));

    /** Everything but the grid: the model's couplings and the learning and data settings. */
    public record Settings(int n, int layers, double[] left, double[] right, double selfCoupling, double lambdaIn,
                           double lambdaOut, Mlcm.Order order, Mlcm.Init init, Mlcm.States states, double gamma,
                           int tMax, int epochs, int batch, double learningRate, double weightDecay, double robustness,
                           double readoutRate, String dataDir, Binarisation binarisation, int trainRows, int evalRows,
                           int trainEvalRows, int holdoutRows, int projectionDims, long projectionSeed)
            implements java.io.Serializable {
        /**
         * These settings as the ledger sees them: all but where the data lies (the driver keys the data by
         * its content).
         */
        public String fingerprint() {
            return new Settings(n, layers, left, right, selfCoupling, lambdaIn, lambdaOut, order, init, states, gamma,
                    tMax, epochs, batch, learningRate, weightDecay, robustness, readoutRate, "", binarisation,
                    trainRows, evalRows, trainEvalRows, holdoutRows, projectionDims, projectionSeed).toString();
        }

        @Override
        public String toString() {
            return "n=" + n + ",layers=" + layers + ",left=" + java.util.Arrays.toString(left) + ",right="
                    + java.util.Arrays.toString(right) + ",jd=" + selfCoupling + ",in=" + lambdaIn + ",out=" + lambdaOut
                    + ",order=" + order + ",init=" + init + ",states=" + states + ",gamma=" + gamma + ",tmax=" + tMax
                    + ",epochs=" + epochs + ",batch=" + batch + ",eta=" + learningRate + ",decay=" + weightDecay
                    + ",rho=" + robustness + ",ro=" + readoutRate + ",data=" + dataDir + ",bin=" + binarisation
                    + ",rows=" + trainRows + "/" + evalRows + "/" + trainEvalRows + "/" + holdoutRows + ",proj="
                    + projectionDims + "@" + projectionSeed;
        }
    }

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
        return List.of(MlcmJob.class, Unit.class, Mlcm.class, MlcmTrainer.class, Readout.class, SingleLayer.class,
                Projection.class, Binarisation.class, Labelled.class, org.engram.kernels.data.Splits.class);
    }

    @Override
    public Plan plan(SweepIdentity sweep, Config conf, Problems problems) {
        List<Cell> cells = Grid.expand(conf.getConfig("grid"), "grid", DIMS, required, problems);
        Section rep = new Section(conf, "replicates", problems);
        rep.onlyKeys(Set.of("seeds"));
        int seeds = (int) rep.integer("seeds", 1, 10_000);
        Section p = new Section(conf, "params", problems);
        p.onlyKeys(Set.of("n", "layers", "lambda-left", "lambda-right", "self-coupling", "lambda-in", "lambda-out",
                "order", "init", "states", "gamma", "t-max", "epochs", "batch", "learning-rate", "weight-decay",
                "robustness", "readout-rate", "data-dir", "binarisation", "train-rows", "eval-rows", "train-eval-rows",
                "holdout-rows", "projection-dims", "projection-seed"));
        int n = (int) p.integer("n", 1, 100_000);
        int layers = (int) p.integer("layers", 1, 1000);
        double[] left = p.reals("lambda-left", layers, -1e6, 1e6);
        double[] right = p.reals("lambda-right", layers, -1e6, 1e6);
        double jd = p.real("self-coupling", -1e6, 1e6);
        double lin = p.real("lambda-in", -1e6, 1e6);
        double lout = p.real("lambda-out", -1e6, 1e6);
        Mlcm.Order order = p.choice("order", Mlcm.Order.class);
        Mlcm.Init init = p.choice("init", Mlcm.Init.class);
        Mlcm.States states = p.choice("states", Mlcm.States.class);
        double gamma = p.real("gamma", 0, 1e6);
        int tMax = (int) p.integer("t-max", 1, 1_000_000);
        int epochs = (int) p.integer("epochs", 1, 100_000);
        int batch = (int) p.integer("batch", 1, 1_000_000);
        double lr = p.real("learning-rate", 0, 1e6);
        double decay = p.real("weight-decay", 0, 1e6);
        double rho = p.real("robustness", -1e6, 1e6);
        double ro = p.real("readout-rate", 0, 1e6);
        String dir = p.string("data-dir");
        Binarisation bin = p.choice("binarisation", Binarisation.class);
        int trainRows = (int) p.integer("train-rows", 0, Integer.MAX_VALUE);
        int evalRows = (int) p.integer("eval-rows", 0, Integer.MAX_VALUE);
        int trainEvalRows = (int) p.integer("train-eval-rows", 0, Integer.MAX_VALUE);
        int holdout = (int) p.integer("holdout-rows", 1, Integer.MAX_VALUE);
        int projDims = (int) p.integer("projection-dims", 1, IMAGE_PIXELS);
        long projSeed = p.integer("projection-seed", Long.MIN_VALUE, Long.MAX_VALUE);
        if (!problems.isEmpty()) {
            return null;
        }
        boolean rawUsed = cells.stream().anyMatch(c -> !c.has("variant") || c.get("variant").equals("raw"));
        if (rawUsed && n < IMAGE_PIXELS) {
            problems.at(conf, "params.n", "raw images have " + IMAGE_PIXELS + " pixels, padded to N: N = " + n
                    + " is too small (use N ≥ " + IMAGE_PIXELS + " or variant = projected)");
        } else if (n < projDims) {
            problems.at(conf, "params.n", "projected inputs have " + projDims + " dims: N = " + n + " is too small");
        }
        boolean wtaCells = cells.stream().anyMatch(c -> c.has("delta"));
        if ((wtaCells || mode == Mode.WTA || mode == Mode.THRESHOLD) && states != Mlcm.States.BINARY) {
            problems.at(conf, "params.states", "sparsity (gamma, delta) needs binary ({0,1}) states, got "
                    + Section.word(states));
        }
        if ((wtaCells || mode == Mode.WTA) && (order == Mlcm.Order.LAYER_SEQUENTIAL_ASYNC
                || order == Mlcm.Order.LAYER_INDEPENDENT_ASYNC || cells.stream().anyMatch(c -> c.has("order")
                && String.valueOf(c.get("order")).contains("async")))) {
            problems.at(conf, "params.order", "winner-takes-all needs a synchronous update order, got "
                    + Section.word(order));
        }
        if (!problems.isEmpty()) {
            return null;
        }
        Settings s = new Settings(n, layers, left, right, jd, lin, lout, order, init, states, gamma, tMax, epochs, batch,
                lr, decay, rho, ro, dir, bin, trainRows, evalRows, trainEvalRows, holdout, projDims, projSeed);
        List<WorkUnit> units = new ArrayList<>();
        for (Cell c : cells) {
            for (int seed = 0; seed < seeds; seed++) {
                units.add(new Unit(sweep, c, seed, s));
            }
        }
        return new Plan(cells, seeds, List.of(FINAL, CURVE, ACTIVITY, TIMING), units,
                "synapse updates (layers × N² × images × epochs)", s);
    }

    /** One (cell, seed): a whole training run. */
    record Unit(SweepIdentity sweep, Cell cell, int seed, Settings settings) implements WorkUnit, DataCache.NeedsData {
        @Override
        public String key() {
            return cell.key() + "/seed=" + seed;
        }

        @Override
        public String fingerprint() {
            return "seed=" + sweep.seed() + "|cell=" + cell.key() + "|replicate=" + seed + "|" + settings.fingerprint();
        }

        boolean perceptron() {
            return cell.has("model") && cell.get("model").equals("perceptron");
        }

        @Override
        public double cost() {
            double rows = settings.trainRows() > 0 ? settings.trainRows() : 60_000;
            if (perceptron()) {
                return IMAGE_PIXELS * CLASSES * rows * settings.epochs();
            }
            return (double) settings.layers() * settings.n() * settings.n() * rows * settings.epochs() * 10;
        }

        @Override
        public int trials() {
            return 1;
        }

        @Override
        public List<DataCache.Need> datasets() {
            return List.of(new DataCache.Need(settings.dataDir(), (String) cell.get("dataset"), "train"));
        }

        Cell extend(String[] names, Object[] values) {
            String[] ns = new String[cell.size() + names.length];
            Object[] vs = new Object[cell.size() + names.length];
            for (int i = 0; i < cell.size(); i++) {
                ns[i] = cell.name(i);
                vs[i] = cell.value(i);
            }
            System.arraycopy(names, 0, ns, cell.size(), names.length);
            System.arraycopy(values, 0, vs, cell.size(), names.length);
            return new Cell(cell.index(), ns, vs);
        }

        /** Training and validation inputs as ±1 rows: the images, or their fixed random projection. */
        Labelled[] data() {
            Settings st = settings;
            String name = (String) cell.get("dataset");
            Labelled[] tv = Labelled.trainValidation(st.dataDir(), name, st.binarisation(), Labelled.Coding.SPINS,
                    st.holdoutRows());
            if (cell.has("variant") && cell.get("variant").equals("projected")) {
                for (int k = 0; k < 2; k++) {
                    Labelled l = tv[k];
                    String key = st.dataDir() + "|" + name + "|" + k + "|" + l.count() + "|" + st.binarisation() + "|"
                            + st.projectionDims() + "@" + st.projectionSeed() + "|" + sweep.seed();
                    float[] px = DataCache.derived(key, () -> Projection.project(l.x(), l.count(), l.width(),
                            st.projectionDims(), st.projectionSeed()));
                    tv[k] = new Labelled(px, l.y(), l.count(), st.projectionDims());
                }
            }
            return new Labelled[] {tv[0].head(st.trainRows()), tv[1].head(st.evalRows())};
        }

        @Override
        public void run(Consumer<TrialRow> out) {
            long seedModel = sweep.derive(cell.key(), seed, "model");
            try {
                Labelled[] tv = data();
                Labelled train = tv[0];
                Labelled val = tv[1];
                Labelled trainEval = train.head(settings.trainEvalRows());
                if (perceptron()) {
                    runPerceptron(train, val, trainEval, seedModel, out);
                } else {
                    runMlcm(train, val, trainEval, seedModel, out);
                }
            } catch (RuntimeException e) {
                out.accept(TrialRow.failed(FINAL.name(), cell, seed, seedModel, e.toString()));
            }
        }

        Mlcm.Params params() {
            Settings st = settings;
            double gamma = cell.has("gamma") ? cell.getDouble("gamma") : st.gamma();
            double delta = cell.has("delta") ? cell.getDouble("delta") : Double.NaN;
            Mlcm.Order order = cell.has("order") ? Mlcm.Order.valueOf(String.valueOf(cell.get("order"))
                    .toUpperCase(java.util.Locale.ROOT).replace('-', '_')) : st.order();
            return new Mlcm.Params(st.n(), st.layers(), CLASSES, st.selfCoupling(), st.left(), st.right(), st.lambdaIn(),
                    st.lambdaOut(), order, st.init(), st.states(), gamma, delta, st.tMax());
        }

        double learningRate() {
            return cell.has("learning-rate") ? cell.getDouble("learning-rate") : settings.learningRate();
        }

        private void runMlcm(Labelled train, Labelled val, Labelled trainEval, long seedModel, Consumer<TrialRow> out) {
            Settings st = settings;
            Mlcm model = new Mlcm(params(), new SplittableRandom(seedModel));
            MlcmTrainer trainer = new MlcmTrainer(model, new MlcmTrainer.Settings(st.batch(), learningRate(),
                    st.weightDecay(), st.robustness(), st.readoutRate()));
            SplittableRandom rng = new SplittableRandom(sweep.derive(cell.key(), seed, "train"));
            int[] order = new int[train.count()];
            double best = 0;
            MlcmTrainer.Pass tr = null;
            MlcmTrainer.Pass va = null;
            double seconds = 0;
            for (int e = 0; e < st.epochs(); e++) {
                long t0 = System.nanoTime();
                MlcmTrainer.Pass pass = trainer.epoch(train.x(), train.width(), train.y(), train.count(), order, rng);
                seconds += (System.nanoTime() - t0) / 1e9;
                // inference is deterministic for synchronous orders; asynchronous ones get their own stream
                SplittableRandom evalRng = new SplittableRandom(sweep.derive(cell.key(), seed * 100_003L + e, "eval"));
                tr = trainer.evaluate(trainEval.x(), trainEval.width(), trainEval.y(), trainEval.count(), evalRng);
                va = trainer.evaluate(val.x(), val.width(), val.y(), val.count(), evalRng);
                best = Math.max(best, va.accuracy());
                double unstable = 0;
                for (double u : pass.unstable()) {
                    unstable += u / pass.unstable().length;
                }
                out.accept(TrialRow.ok(CURVE.name(), extend(new String[] {"epoch"}, new Object[] {(long) e}), seed,
                        seedModel, tr.accuracy(), va.accuracy(), pass.meanSweeps(), va.meanSweeps(), pass.converged(),
                        unstable));
                for (int l = 0; l < st.layers(); l++) {
                    out.accept(TrialRow.ok(ACTIVITY.name(), extend(new String[] {"epoch", "layer"},
                            new Object[] {(long) e, (long) (l + 1)}), seed, seedModel, pass.activity()[l],
                            va.activity()[l]));
                }
            }
            out.accept(TrialRow.ok(FINAL.name(), cell, seed, seedModel, tr.accuracy(), va.accuracy(), best));
            out.accept(timing(seconds, train.count(), seedModel));
        }

        private void runPerceptron(Labelled train, Labelled val, Labelled trainEval, long seedModel,
                                   Consumer<TrialRow> out) {
            Settings st = settings;
            SingleLayer net = new SingleLayer(train.width(), CLASSES, st.batch());
            SplittableRandom rng = new SplittableRandom(sweep.derive(cell.key(), seed, "train"));
            int[] order = new int[train.count()];
            double best = 0;
            double tr = 0;
            double va = 0;
            double seconds = 0;
            for (int e = 0; e < st.epochs(); e++) {
                long t0 = System.nanoTime();
                net.epoch(train.x(), train.y(), train.count(), order, st.readoutRate(), rng);
                seconds += (System.nanoTime() - t0) / 1e9;
                tr = net.accuracy(trainEval.x(), trainEval.y(), trainEval.count());
                va = net.accuracy(val.x(), val.y(), val.count());
                best = Math.max(best, va);
                out.accept(TrialRow.ok(CURVE.name(), extend(new String[] {"epoch"}, new Object[] {(long) e}), seed,
                        seedModel, tr, va, Double.NaN, Double.NaN, Double.NaN, Double.NaN));
            }
            out.accept(TrialRow.ok(FINAL.name(), cell, seed, seedModel, tr, va, best));
            out.accept(timing(seconds, train.count(), seedModel));
        }

        private TrialRow timing(double seconds, int samples, long seedModel) {
            return TrialRow.ok(TIMING.name(), cell, seed, seedModel, seconds / settings.epochs(),
                    samples * (double) settings.epochs() / seconds);
        }

        @Override
        public void failAll(String message, Consumer<TrialRow> out) {
            out.accept(TrialRow.failed(FINAL.name(), cell, seed, 0L, message));
        }
    }

    // ---- derived tables and figures ----

    @Override
    public Derived derive(Plan plan, List<Aggregate> aggregates) {
        Settings s = (Settings) plan.settings();
        List<Figure> figures = new ArrayList<>();
        Map<String, Aggregate> trainCurve = Tables.metric(aggregates, CURVE.name(), "train_accuracy");
        Map<String, Aggregate> valCurve = Tables.metric(aggregates, CURVE.name(), "val_accuracy");
        // accuracy per epoch: one figure per group of cells that differ only in model / γ / δ
        Map<String, List<Cell>> groups = new LinkedHashMap<>();
        for (Cell c : plan.cells()) {
            StringBuilder g = new StringBuilder(String.valueOf(c.get("dataset")));
            for (String k : List.of("variant", "order", "learning-rate")) {
                if (c.has(k)) {
                    g.append('_').append(Cell.format(c.get(k)));
                }
            }
            groups.computeIfAbsent(g.toString(), k -> new ArrayList<>()).add(c);
        }
        for (Map.Entry<String, List<Cell>> g : groups.entrySet()) {
            List<Figure.Series> series = new ArrayList<>();
            for (Cell c : g.getValue()) {
                String label = label(c);
                series.add(epochSeries(trainCurve, c, s.epochs(), label + " train"));
                series.add(epochSeries(valCurve, c, s.epochs(), label + " validation"));
            }
            figures.add(new Figure.Curves("accuracy_" + g.getKey(), "Train and validation accuracy, "
                    + g.getKey().replace('_', ' ') + " (95% CI over seeds)", "epoch", false, "accuracy (%)", false,
                    series));
        }
        List<Derived.DerivedTable> tables = new ArrayList<>();
        tables.add(finalTable(plan, aggregates, s));
        if (mode == Mode.BASELINE) {
            tables.add(gapTable(plan, aggregates));
        } else {
            sparsityFigures(plan, aggregates, s, figures, tables);
        }
        return new Derived(tables, figures);
    }

    private static String label(Cell c) {
        if (c.has("gamma")) {
            return "γ=" + Cell.format(c.get("gamma"));
        }
        if (c.has("delta")) {
            return "δ=" + Cell.format(c.get("delta"));
        }
        return c.has("model") ? String.valueOf(c.get("model")) : "mlcm";
    }

    private static Figure.Series epochSeries(Map<String, Aggregate> curve, Cell c, int epochs, String label) {
        double[] x = new double[epochs];
        double[] y = new double[epochs];
        double[] lo = new double[epochs];
        double[] hi = new double[epochs];
        for (int e = 0; e < epochs; e++) {
            Aggregate a = curve.get(c.key() + ",epoch=" + e);
            x[e] = e + 1;
            y[e] = 100 * Tables.mean(a);
            double[] ci = Tables.ci(a, 0, 1);
            lo[e] = 100 * ci[0];
            hi[e] = 100 * ci[1];
        }
        return new Figure.Series(label, x, y, lo, hi);
    }

    private static Derived.DerivedTable finalTable(Plan plan, List<Aggregate> aggregates, Settings s) {
        Map<String, Aggregate> tr = Tables.metric(aggregates, FINAL.name(), "train_accuracy");
        Map<String, Aggregate> va = Tables.metric(aggregates, FINAL.name(), "val_accuracy");
        Map<String, Aggregate> best = Tables.metric(aggregates, FINAL.name(), "best_val_accuracy");
        List<List<Object>> rows = new ArrayList<>();
        for (Cell c : plan.cells()) {
            double[] ci = Tables.ci(va.get(c.key()), 0, 1);
            List<Object> row = new ArrayList<>(c.asMap().values());
            row.addAll(List.of(100 * Tables.mean(tr.get(c.key())), 100 * Tables.mean(va.get(c.key())), 100 * ci[0],
                    100 * ci[1], 100 * Tables.mean(best.get(c.key()))));
            rows.add(row);
        }
        List<String> cols = new ArrayList<>(List.of(plan.cells().get(0).names()));
        cols.addAll(List.of("train_accuracy_pct", "val_accuracy_pct", "val_ci95_low", "val_ci95_high",
                "best_val_accuracy_pct"));
        return new Derived.DerivedTable("final_accuracy",
                "one row per cell: train and validation accuracy (%) after the last epoch, mean over seeds, with "
                + "the validation mean's 95% t-interval clipped to [0, 100]; the best validation accuracy over epochs "
                + "(speed: the timing table)",
                cols, rows);
    }

    /** MLCM minus perceptron validation accuracy per (dataset, variant): the thesis' ≈5 points on projected MNIST. */
    private static Derived.DerivedTable gapTable(Plan plan, List<Aggregate> aggregates) {
        Map<String, Aggregate> va = Tables.metric(aggregates, FINAL.name(), "val_accuracy");
        Map<String, Aggregate> tr = Tables.metric(aggregates, FINAL.name(), "train_accuracy");
        Map<String, double[]> byGroup = new LinkedHashMap<>();
        for (Cell c : plan.cells()) {
            String g = c.get("dataset") + "|" + c.get("variant");
            double[] v = byGroup.computeIfAbsent(g, k -> new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN});
            int o = c.get("model").equals("mlcm") ? 0 : 1;
            v[o] = 100 * Tables.mean(va.get(c.key()));
            v[2 + o] = 100 * Tables.mean(tr.get(c.key()));
        }
        List<List<Object>> rows = new ArrayList<>();
        byGroup.forEach((g, v) -> {
            String[] parts = g.split("\\|");
            rows.add(Tables.row(parts[0], parts[1], v[0], v[1], v[0] - v[1], v[2] - v[0], v[3] - v[1]));
        });
        return new Derived.DerivedTable("mlcm_vs_perceptron",
                "one row per (dataset, variant): last-epoch validation accuracy (%) of the MLCM and of the "
                + "single-layer perceptron, val_gap_points = MLCM − perceptron, and each model's train − validation "
                + "gap in points (overfitting)", List.of("dataset", "variant", "mlcm_val_pct",
                "perceptron_val_pct", "val_gap_points", "mlcm_overfit_points", "perceptron_overfit_points"), rows);
    }

    /** Fig. 7.3a: last-epoch activity per layer and final accuracy against γ (or δ). */
    private void sparsityFigures(Plan plan, List<Aggregate> aggregates, Settings s, List<Figure> figures,
                                 List<Derived.DerivedTable> tables) {
        String x = mode == Mode.WTA ? "delta" : "gamma";
        Map<String, Aggregate> act = Tables.metric(aggregates, ACTIVITY.name(), "train_activity");
        Map<String, Aggregate> va = Tables.metric(aggregates, FINAL.name(), "val_accuracy");
        Map<String, Aggregate> tr = Tables.metric(aggregates, FINAL.name(), "train_accuracy");
        Map<String, List<Cell>> byDataset = new LinkedHashMap<>();
        for (Cell c : plan.cells()) {
            byDataset.computeIfAbsent(String.valueOf(c.get("dataset")), k -> new ArrayList<>()).add(c);
        }
        List<List<Object>> rows = new ArrayList<>();
        int last = s.epochs() - 1;
        for (Map.Entry<String, List<Cell>> d : byDataset.entrySet()) {
            List<Cell> cs = new ArrayList<>(d.getValue());
            cs.sort((a, b) -> Double.compare(a.getDouble(x), b.getDouble(x)));
            double[] xs = cs.stream().mapToDouble(c -> c.getDouble(x)).toArray();
            List<Figure.Series> layers = new ArrayList<>();
            for (int l = 1; l <= s.layers(); l++) {
                double[] y = new double[xs.length];
                double[] lo = new double[xs.length];
                double[] hi = new double[xs.length];
                for (int i = 0; i < cs.size(); i++) {
                    Aggregate a = act.get(cs.get(i).key() + ",epoch=" + last + ",layer=" + l);
                    y[i] = Tables.mean(a);
                    double[] ci = Tables.ci(a, 0, 1); // fractions: a 2-seed t-interval can pass 0 or 1
                    lo[i] = ci[0];
                    hi[i] = ci[1];
                }
                layers.add(new Figure.Series("layer " + l, xs, y, lo, hi));
            }
            figures.add(new Figure.Curves("activity_vs_" + x + "_" + d.getKey(), "Activity per layer in the last "
                    + "epoch vs " + (x.equals("delta") ? "δ" : "γ") + ", " + d.getKey(), x.equals("delta") ? "δ" : "γ",
                    false, "fraction of active units", false, layers));
            List<Figure.Series> acc = new ArrayList<>();
            for (String which : List.of("train", "validation")) {
                Map<String, Aggregate> m = which.equals("train") ? tr : va;
                double[] y = new double[xs.length];
                double[] lo = new double[xs.length];
                double[] hi = new double[xs.length];
                for (int i = 0; i < cs.size(); i++) {
                    Aggregate a = m.get(cs.get(i).key());
                    y[i] = 100 * Tables.mean(a);
                    double[] ci = Tables.ci(a, 0, 1); // fractions: a 2-seed t-interval can pass 0 or 1
                    lo[i] = 100 * ci[0];
                    hi[i] = 100 * ci[1];
                }
                acc.add(new Figure.Series(which, xs, y, lo, hi));
            }
            figures.add(new Figure.Curves("final_accuracy_vs_" + x + "_" + d.getKey(), "Final accuracy vs "
                    + (x.equals("delta") ? "δ" : "γ") + ", " + d.getKey(), x.equals("delta") ? "δ" : "γ", false,
                    "accuracy (%)", false, acc));
            for (Cell c : cs) {
                List<Object> row = new ArrayList<>(List.of(d.getKey(), c.getDouble(x)));
                for (int l = 1; l <= s.layers(); l++) {
                    row.add(Tables.mean(act.get(c.key() + ",epoch=" + last + ",layer=" + l)));
                }
                row.add(100 * Tables.mean(tr.get(c.key())));
                row.add(100 * Tables.mean(va.get(c.key())));
                rows.add(row);
            }
        }
        List<String> cols = new ArrayList<>(List.of("dataset", x));
        for (int l = 1; l <= s.layers(); l++) {
            cols.add("activity_layer_" + l);
        }
        cols.addAll(List.of("train_accuracy_pct", "val_accuracy_pct"));
        tables.add(new Derived.DerivedTable("activity_vs_" + x, "one row per (dataset, " + x + "): the activity "
                + "(fraction of active units) of each layer at the training fixed points of the last epoch, mean over "
                + "seeds, and the last-epoch train and validation accuracy (%)", cols, rows));
    }
}
