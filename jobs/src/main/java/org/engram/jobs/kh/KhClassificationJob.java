package org.engram.jobs.kh;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.engram.jobs.config.Cell;
import org.engram.jobs.core.Aggregate;
import org.engram.jobs.core.Column;
import org.engram.jobs.core.Derived;
import org.engram.jobs.core.Figure;
import org.engram.jobs.core.Job;
import org.engram.jobs.core.Plan;
import org.engram.jobs.core.Setup;
import org.engram.jobs.core.StateBytes;
import org.engram.jobs.core.SweepIdentity;
import org.engram.jobs.core.TableSpec;
import org.engram.jobs.core.Tables;
import org.engram.jobs.core.TrialRow;
import org.engram.jobs.core.Trials;
import org.engram.jobs.core.UnitContext;
import org.engram.kernels.random.RngState;
import org.engram.kernels.rbm.Classifier;

/**
 * {@code kh.classification} — KH-RBM paper, Table I (and Fig. 5): a classification RBM (one-hot labels as
 * 10 extra visible units, generative CD on (x, y) with the label set to its argmax in the negative phase,
 * the label of lowest free energy predicted), plain or with KH-TD; validation accuracy per epoch, its
 * maximum, and seconds per epoch. The training run is {@link KhTraining}'s.
 */
public final class KhClassificationJob implements Job<KhTraining.Settings> {
    @Override
    public String id() {
        return "kh.classification";
    }

    @Override
    public String description() {
        return "KH-RBM Table I: classification-RBM validation accuracy (max over epochs) and time per epoch, CD-k vs "
                + "KH-TD-CD-k";
    }

    @Override
    public Plan<KhTraining.Settings> plan(Setup<KhTraining.Settings> setup) {
        return KhTraining.plan(setup, List.of(KhTraining.FINAL_ACCURACY, KhTraining.CURVE_ACCURACY, KhTraining.TIMING),
                Unit::new);
    }

    /** One (cell, seed): a classification RBM trained with its accuracy after every epoch. */
    record Unit(SweepIdentity sweep, Cell cell, int seed, KhTraining.Settings settings)
            implements KhTraining.TrainingRun {
        @Override
        public TableSpec finalTable() {
            return KhTraining.FINAL_ACCURACY;
        }

        @Override
        public void run(UnitContext context, Consumer<TrialRow> out) {
            Trials.guard(trialsOwed(), out, o -> train(context, o));
        }

        private void train(UnitContext context, Consumer<TrialRow> out) {
            KhTraining.Start s = KhTraining.Start.of(context, sweep, cell, seed, settings, KhTraining.CLASSES);
            int n = s.train().width();
            int valCount = s.validation().count();
            Classifier classifier = new Classifier(n, KhTraining.CLASSES, settings.hidden(),
                    Math.max(1, Math.min(1000, valCount)));
            int[] order = new int[s.train().count()];
            int epochs = settings.training().epochs();
            State st = new State(0, s.rng(), new double[epochs], new double[epochs], 0, 0);
            // a halving sweep's earlier rung left this run's state at a smaller budget: continue from the latest
            byte[] saved = context.checkpoints().latest(this, BUDGET, epochs);
            if (saved != null) {
                st = State.decode(saved, s.rbm(), s.trainer(), epochs);
            }
            for (int e = 0; e < st.epoch(); e++) {
                out.accept(KhTraining.CURVE_ACCURACY.row(Trials.extend(cell, "epoch", (long) e), seed, s.trainSeed())
                        .set(KhTraining.CURVE_ACCURACY_ACCURACY, st.accuracy()[e])
                        .ok());
            }
            double acc = st.last();
            double best = st.best();
            for (int e = st.epoch(); e < epochs; e++) {
                long t0 = System.nanoTime();
                s.trainer().epoch(s.rbm(), s.trainX(), s.train().count(), e, order, st.rng());
                st.seconds()[e] = (System.nanoTime() - t0) / 1e9;
                acc = classifier.accuracy(s.rbm(), s.validation().x(), valCount, s.validation().y());
                best = Math.max(best, acc);
                st.accuracy()[e] = acc;
                out.accept(KhTraining.CURVE_ACCURACY.row(Trials.extend(cell, "epoch", (long) e), seed, s.trainSeed())
                        .set(KhTraining.CURVE_ACCURACY_ACCURACY, acc)
                        .ok());
                context.progress((e + 1.0) / epochs); // after the epoch's validation
            }
            State end = new State(epochs, st.rng(), st.accuracy(), st.seconds(), acc, best);
            context.checkpoints().keep(this, BUDGET, epochs, () -> end.encode(s.rbm(), s.trainer()));
            out.accept(KhTraining.FINAL_ACCURACY.row(cell, seed, s.trainSeed())
                    .set(KhTraining.FINAL_ACCURACY_ACCURACY, acc)
                    .set(KhTraining.MAX_ACCURACY, best)
                    .ok());
            out.accept(KhTraining.timing(cell, seed, st.seconds(), s.trainSeed()));
        }
    }

    /** The settings component successive halving gives rungs of. */
    static final String BUDGET = "epochs";

    @Override
    public String budget() {
        return BUDGET;
    }

    /**
     * A classification run's state after {@code epoch} epochs, beside the RBM and the trainer's chains: its random
     * generator (exactly: {@link RngState}), the accuracy and seconds of every epoch so far, the last and best accuracy.
     */
    record State(int epoch, java.util.SplittableRandom rng, double[] accuracy, double[] seconds, double last,
                 double best) {
        byte[] encode(org.engram.kernels.rbm.Rbm rbm, org.engram.kernels.rbm.RbmTrainer trainer) {
            StateBytes.Writer out = new StateBytes.Writer().putInt(epoch).putRng(rng)
                    .putFloats(rbm.w).putFloats(rbm.a).putFloats(rbm.b).putFloats(trainer.chains());
            for (int e = 0; e < epoch; e++) {
                out.putDouble(accuracy[e]).putDouble(seconds[e]);
            }
            return out.putDouble(last).putDouble(best).bytes();
        }

        /** The state saved in {@code bytes}, restoring the RBM's parameters and the trainer's chains in place. */
        static State decode(byte[] bytes, org.engram.kernels.rbm.Rbm rbm, org.engram.kernels.rbm.RbmTrainer trainer,
                            int epochs) {
            StateBytes.Reader in = new StateBytes.Reader(bytes);
            int epoch = in.getInt();
            java.util.SplittableRandom rng = in.getRng();
            for (float[] into : new float[][] {rbm.w, rbm.a, rbm.b}) {
                System.arraycopy(in.getFloats(), 0, into, 0, into.length);
            }
            trainer.chains(in.getFloats());
            double[] acc = new double[epochs];
            double[] sec = new double[epochs];
            for (int e = 0; e < epoch; e++) {
                acc[e] = in.getDouble();
                sec[e] = in.getDouble();
            }
            return new State(epoch, rng, acc, sec, in.getDouble(), in.getDouble());
        }
    }

    /** Table I: a row per (variant, k), columns (init, M): max accuracy ± CI and seconds per epoch. */
    @Override
    public Derived derive(Plan<KhTraining.Settings> plan, List<Aggregate> aggregates) {
        KhTraining.Settings s = plan.settings();
        Column best = Tables.metric(aggregates, KhTraining.MAX_ACCURACY);
        Column time = Tables.metric(aggregates, KhTraining.SECONDS_PER_EPOCH);
        Column curve = Tables.metric(aggregates, KhTraining.CURVE_ACCURACY_ACCURACY);
        List<List<Object>> rows = new ArrayList<>();
        for (Cell c : plan.cells()) {
            String method = (c.get("variant").equals("none") ? "" : "KH_" + String.valueOf(c.get("variant")).toUpperCase()
                    + "-") + "CD_" + c.get("k");
            double[] ci = Tables.ci(best.get(c), 0, 1);
            rows.add(Tables.row(c.get("dataset"), method, c.get("init"), c.get("hidden"),
                    100 * Tables.mean(best.get(c)), 100 * ci[0], 100 * ci[1], Tables.mean(time.get(c))));
        }
        List<Figure> figures = new ArrayList<>();
        Map<KhTraining.Group, List<Figure.Series>> groups = new LinkedHashMap<>();
        for (Cell c : plan.cells()) {
            groups.computeIfAbsent(KhTraining.Group.of(c), k -> new ArrayList<>())
                    .add(KhTraining.epochSeries(curve, c, s.training().epochs(), 100, 0, 1));
        }
        groups.forEach((g, series) -> figures.add(new Figure.Curves("accuracy_" + g.key(), "Validation accuracy, "
                + g.caption(), "epoch", false, "accuracy (%)", false, series)));
        return new Derived(List.of(new Derived.DerivedTable("table_i",
                "Table I: one row per (dataset, method, init, hidden): the maximum over epochs of the validation "
                + "accuracy (%), mean over seeds with its 95% t-interval clipped to [0, 100]; seconds_per_epoch = the "
                + "timing table's median training epoch, mean over seeds (as the paper's table has a time column; wall "
                + "clock, so this column, unlike the others, differs from run to run)",
                List.of("dataset", "method", "init", "hidden",
                "max_accuracy_pct", "ci95_low", "ci95_high", "seconds_per_epoch"), rows)), figures);
    }}
