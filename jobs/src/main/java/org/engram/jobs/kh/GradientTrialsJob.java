package org.engram.jobs.kh;

import static org.engram.jobs.config.Setting.Vary.GRID;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.engram.jobs.config.Cell;
import org.engram.jobs.config.Common;
import org.engram.jobs.config.DataSettings;
import org.engram.jobs.config.Operational;
import org.engram.jobs.config.Problems;
import org.engram.jobs.config.Setting;
import org.engram.jobs.core.Aggregate;
import org.engram.jobs.core.Column;
import org.engram.jobs.core.Derived;
import org.engram.jobs.core.Figure;
import org.engram.jobs.core.Fingerprint;
import org.engram.jobs.core.Job;
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
import org.engram.jobs.data.SharedState;
import org.engram.kernels.rbm.KrotovHopfield;
import org.engram.kernels.rbm.Rbm;
import org.engram.kernels.rbm.RbmTrainer;
import org.engram.kernels.rbm.XiTrainer;

/**
 * {@code kh.gradient-comparison} — KH-RBM paper Fig. 2 as the paper describes it: one KH-TD training run
 * (per cell and training seed) written in the form of eq. 10; at each sampled epoch the parameters θ_t of
 * {@code window} consecutive minibatch steps are kept, and for each such θ_t {@code trials} independent
 * trials (a fresh minibatch drawn from the training set and fresh Gibbs noise each) measure
 * |ξ_t|/|∇L(θ_t)| and cos(∇L(θ_t), ξ_t). Trials are Spark work units (chunks of
 * {@code trials-per-unit}); the aggregated table holds each time step's mean over its trials, and each
 * plotted point is the mean of the window's time steps with a 95% CI over them.
 *
 * <p>The training run is the expensive, shared state: the first unit that needs it trains it (the other
 * units of that JVM wait) and writes its snapshots to the sweep's shared-state store beside the ledger;
 * units on other executors, and a resumed sweep, read them from there. Two executors starting at the same
 * moment may both train — deterministically, the same θ_t — and the first write wins.
 */
public final class GradientTrialsJob implements Job<GradientTrialsJob.Settings> {
    static final TableSpec TRIALS = new TableSpec("trials", List.of("xi_ratio", "xi_cosine"), Set.of("xi_cosine"),
            "one row per trial: |ξ_t|/|∇L(θ_t)| and cos(∇L(θ_t), ξ_t) of eq. 10 on a fresh minibatch at the θ_t of "
            + "(epoch, step); once KH has phased out (epoch ≥ S) ξ = 0: the ratio is 0 and the cosine undefined (NaN)");
    static final Metric XI_RATIO = TRIALS.metric("xi_ratio");
    static final Metric XI_COSINE = TRIALS.metric("xi_cosine");
    /** The cell's dimensions, the replicates, the training, and which θ_t are sampled and how often. */
    public record Settings(
            @KhTraining.Dataset String dataset,
            @Setting(doc = "KH-TD (the only variant of Fig. 2)", choices = {"td"}, grid = GRID) String variant,
            @KhTraining.Init String init,
            @KhTraining.Hidden int hidden,
            @KhTraining.K int k,
            @Common.Seeds int seeds,
            @Setting(doc = "independent trials (fresh minibatch and Gibbs noise) at each θ_t", min = 1,
                    max = 10_000_000, replicates = true) int trials,
            @Setting(doc = "the training", inline = true) KhTraining.Params training,
            @Setting(doc = "consecutive minibatch steps whose θ_t are kept at each sampled epoch (not the KH window S)",
                    min = 1, max = 1_000_000) int window,
            @Setting(doc = "the epochs whose first `window` steps are sampled: increasing whole epochs in [0, epochs "
                    + "− 1]", min = 0) List<Integer> sampleEpochs,
            @Setting(doc = "trials of one θ_t per work unit", min = 1, max = 10_000_000)
            @Operational("chunking of trials into units") int trialsPerUnit) implements java.io.Serializable {
        RbmTrainer.Settings trainer() {
            return training.trainer(k, init.equals("lecun"), KrotovHopfield.Direction.TOP_DOWN, 0);
        }
    }

    @Override
    public String id() {
        return "kh.gradient-comparison";
    }

    @Override
    public String description() {
        return "KH-RBM Fig. 2: |ξ|/|∇L| and cos(∇L, ξ) of eq. 10, trials × time steps as Spark tasks, windows of "
                + "time steps";
    }

    @Override
    public void check(Setup<Settings> setup, Problems problems) {
        List<Integer> sampled = setup.settings().sampleEpochs();
        for (int i = 0; i < sampled.size(); i++) {
            if (sampled.get(i) < 0 || sampled.get(i) > setup.settings().training().epochs() - 1
                    || (i > 0 && sampled.get(i) <= sampled.get(i - 1))) {
                problems.at(setup.conf(), "params.sample-epochs", "must be increasing whole epochs in [0, epochs − 1]");
                return;
            }
        }
    }

    @Override
    public Plan<Settings> plan(Setup<Settings> setup) {
        Settings s = setup.settings();
        List<WorkUnit> units = new ArrayList<>();
        for (Cell c : setup.cells()) {
            for (int seed = 0; seed < s.seeds(); seed++) {
                for (int e : s.sampleEpochs()) {
                    for (int step = 0; step < s.window(); step++) {
                        for (int[] r : Trials.chunks(s.trials(), s.trialsPerUnit())) {
                            units.add(new Unit(setup.sweep(), c, seed, e, step, r[0], r[1], setup.at(c)));
                        }
                    }
                }
            }
        }
        return new Plan<>(setup, s.trials(), List.of(TRIALS), units, "trial gradient estimates");
    }

    /** Trials [from, to) at θ_t of (seed, epoch, step). */
    record Unit(SweepIdentity sweep, Cell cell, int seed, int epoch, int step, int from, int to,
                Settings settings) implements WorkUnit, DataCache.NeedsData {
        @Override
        public String key() {
            return cell.key() + "/seed=" + seed + "/epoch=" + epoch + "/step=" + step + "/trials=" + from + "-" + to;
        }

        @Override
        public double cost() {
            return 3.0 * 784 * settings.hidden() * settings.training().batch() * settings.k() * (to - from);
        }

        @Override
        public List<DataCache.Need> datasets() {
            return List.of(new DataCache.Need(settings.training().data().dataDir(), settings.dataset(), "train"));
        }

        /** The row's cell: the grid cell plus the training run, the sampled epoch and the step. */
        Cell rowCell() {
            return Trials.extend(Trials.extend(Trials.extend(cell, "run", (long) seed), "epoch", (long) epoch), "step",
                    (long) step);
        }

        @Override
        public List<Trial> trialsOwed() {
            Cell rc = rowCell();
            List<Trial> out = new ArrayList<>();
            for (int t = from; t < to; t++) {
                out.add(new Trial(TRIALS.name(), rc, t, sweep.derive(rc.key(), t, "xi-trial")));
            }
            return out;
        }

        Labelled train(UnitContext context) {
            DataSettings d = settings.training().data();
            return Labelled.trainValidation(context.data(), d.dataDir(), settings.dataset(), d.binarisation(),
                    Labelled.Coding.ZERO_ONE, d.holdoutRows())[0].head(d.trainRows());
        }

        RbmTrainer.Settings trainerSettings() {
            return settings.trainer();
        }

        @Override
        public void run(UnitContext context, Consumer<TrialRow> out) {
            List<Trial> owed = trialsOwed();
            Trials.guard(owed, out, o -> {
                Map<Long, Rbm> snapshots = Trajectories.get(this, context);
                Labelled train = train(context);
                Rbm theta = snapshots.get(Trajectories.at(epoch, step));
                XiTrainer xi = new XiTrainer(train.width(), settings.hidden(), trainerSettings(),
                        settings.training().xiCommonNoise());
                for (Trial t : owed) {
                    Trials.guard(t, o, one -> {
                        if (theta == null) {
                            throw new IllegalStateException("epoch " + epoch + " has fewer than " + (step + 1) + " steps");
                        }
                        XiTrainer.Stats st = xi.trial(theta, train.x(), train.count(), epoch,
                                new SplittableRandom(t.seed()));
                        one.accept(TRIALS.row(t.cell(), t.replicate(), t.seed())
                                .set(XI_RATIO, st.ratio())
                                .set(XI_COSINE, st.cosine())
                                .ok());
                    });
                }
            });
        }
    }

    /** What a training run's snapshots are: everything that decides θ_t (and not the trials drawn at it). */
    record TrajectoryKey(String sweepId, SweepIdentity sweep, Cell cell, int seed, Settings settings) {
    }

    /**
     * θ_t of each training run, computed once and shared by every trial unit (see {@link
     * org.engram.jobs.data.SharedState}: memory within an executor, the sweep's snapshot store across
     * executors and resumed runs).
     */
    static final class Trajectories {
        private Trajectories() {
        }

        static long at(int epoch, int step) {
            return ((long) epoch << 32) | step;
        }

        static Map<Long, Rbm> get(Unit u, UnitContext context) {
            String key = "kh-trajectory-" + Long.toHexString(org.engram.kernels.random.Seeds.hash(Fingerprint.of(
                    new TrajectoryKey(u.sweep().id(), u.sweep(), u.cell(), u.seed(), u.settings()))));
            return context.shared().get(key, CODEC, () -> train(u, context));
        }

        /** Snapshots as (epoch, step, visible, hidden, w, a, b) records. */
        static final SharedState.Codec<Map<Long, Rbm>> CODEC = new SharedState.Codec<>() {
            @Override
            public byte[] encode(Map<Long, Rbm> value) {
                java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
                try (java.io.DataOutputStream out = new java.io.DataOutputStream(new java.io.BufferedOutputStream(bytes))) {
                    out.writeInt(value.size());
                    for (Map.Entry<Long, Rbm> e : new java.util.TreeMap<>(value).entrySet()) {
                        Rbm r = e.getValue();
                        out.writeLong(e.getKey());
                        out.writeInt(r.visible);
                        out.writeInt(r.hidden);
                        for (float[] arr : new float[][] {r.w, r.a, r.b}) {
                            for (float f : arr) {
                                out.writeFloat(f);
                            }
                        }
                    }
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                return bytes.toByteArray();
            }

            @Override
            public Map<Long, Rbm> decode(byte[] bytes) {
                try (java.io.DataInputStream in = new java.io.DataInputStream(new java.io.ByteArrayInputStream(bytes))) {
                    int n = in.readInt();
                    Map<Long, Rbm> out = new java.util.HashMap<>();
                    for (int i = 0; i < n; i++) {
                        long k = in.readLong();
                        Rbm r = new Rbm(in.readInt(), in.readInt());
                        for (float[] arr : new float[][] {r.w, r.a, r.b}) {
                            for (int q = 0; q < arr.length; q++) {
                                arr[q] = in.readFloat();
                            }
                        }
                        out.put(k, r);
                    }
                    return out;
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        };

        /** The KH-TD run in eq. 10's form, with copies of θ before each sampled minibatch step. */
        static Map<Long, Rbm> train(Unit u, UnitContext context) {
            Labelled train = u.train(context);
            int m = u.settings().hidden();
            boolean lecun = u.settings().init().equals("lecun");
            long seed = u.sweep().derive(u.cell().key(), u.seed(), "train");
            SplittableRandom rng = new SplittableRandom(seed);
            Rbm rbm = Rbm.initialised(train.width(), m, lecun ? Rbm.Init.LECUN : Rbm.Init.STD_NORMAL, rng);
            XiTrainer xi = new XiTrainer(train.width(), m, u.trainerSettings(), u.settings().training().xiCommonNoise());
            int[] order = new int[train.count()];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            Map<Long, Rbm> out = new java.util.HashMap<>();
            int[] sampled = u.settings().sampleEpochs().stream().mapToInt(Integer::intValue).toArray();
            int last = sampled[sampled.length - 1];
            int next = 0;
            for (int e = 0; e <= last; e++) {
                final int epoch = e;
                boolean keep = next < sampled.length && sampled[next] == e;
                XiTrainer.StepHook hook = keep ? (step, theta) -> {
                    if (step < u.settings().window()) {
                        out.put(at(epoch, step), copy(theta));
                    }
                } : null;
                xi.epoch(rbm, train.x(), train.count(), e, order, rng, false, hook);
                if (keep) {
                    next++;
                }
            }
            return out;
        }

        static Rbm copy(Rbm r) {
            Rbm c = new Rbm(r.visible, r.hidden);
            System.arraycopy(r.w, 0, c.w, 0, r.w.length);
            System.arraycopy(r.a, 0, c.a, 0, r.a.length);
            System.arraycopy(r.b, 0, c.b, 0, r.b.length);
            return c;
        }
    }

    @Override
    public Derived derive(Plan<Settings> plan, List<Aggregate> aggregates) {
        Settings sm = plan.settings();
        Column ratio = Tables.metric(aggregates, XI_RATIO);
        Column cosine = Tables.metric(aggregates, XI_COSINE);
        List<List<Object>> rows = new ArrayList<>();
        List<Figure.Series> ratioSeries = new ArrayList<>();
        List<Figure.Series> cosineSeries = new ArrayList<>();
        int n = sm.sampleEpochs().size();
        for (Cell c : plan.cells()) {
            for (int seed = 0; seed < sm.seeds(); seed++) {
                double[] x = new double[n];
                double[][] r = new double[3][n];
                double[][] q = new double[3][n];
                for (int i = 0; i < n; i++) {
                    Cell at = Trials.extend(Trials.extend(c, "run", (long) seed), "epoch",
                            (long) sm.sampleEpochs().get(i));
                    double[] wr = window(ratio, at, sm.window());
                    double[] wc = window(cosine, at, sm.window());
                    x[i] = sm.sampleEpochs().get(i);
                    for (int k = 0; k < 3; k++) {
                        r[k][i] = wr[k];
                        q[k][i] = wc[k];
                    }
                    rows.add(Tables.row(c.key(), (long) seed, (long) sm.sampleEpochs().get(i), (long) wr[3], wr[0], wr[1], wr[2],
                            wc[0], wc[1], wc[2]));
                }
                // the legend names what differs between the cells, not the raw cell key
                String cellLabel = Tables.label(c, plan.cells());
                String label = (cellLabel.isEmpty() ? "" : cellLabel + ", ") + "run " + (seed + 1);
                ratioSeries.add(new Figure.Series(label, x, r[0], r[1], r[2]));
                cosineSeries.add(new Figure.Series(label, x, q[0], q[1], q[2]));
            }
        }
        String what = ": mean of " + sm.window() + " time steps × " + sm.trials() + " trials";
        List<Figure> figures = List.of(
                new Figure.Curves("xi_ratio", "|ξ_t| / |∇L(θ_t)| (eq. 10)" + what, "epoch", false, "magnitude ratio",
                        false, ratioSeries),
                new Figure.Curves("xi_cosine", "cos(∇L(θ_t), ξ_t) (eq. 10)" + what, "epoch", false, "cosine similarity",
                        false, cosineSeries));
        return new Derived(List.of(new Derived.DerivedTable("fig2_windows",
                "one row per (cell, training run, sampled epoch): the mean over the window's time steps of each "
                + "step's mean over its trials of |ξ_t|/|∇L(θ_t)| and cos(∇L(θ_t), ξ_t) (eq. 10), with a 95% t-interval "
                + "over the steps; steps = time steps in the window (Fig. 2)", List.of("cell", "run", "epoch", "steps",
                "xi_ratio", "xi_ratio_ci95_low", "xi_ratio_ci95_high", "xi_cosine", "xi_cosine_ci95_low",
                "xi_cosine_ci95_high"), rows)), figures);
    }

    /** Mean over a window's time steps of each step's trial mean, its 95% CI over the steps, and the step count. */
    static double[] window(Column a, Cell at, int steps) {
        double sum = 0;
        double sq = 0;
        int k = 0;
        for (int step = 0; step < steps; step++) {
            double v = a.mean(Trials.extend(at, "step", (long) step));
            if (!Double.isNaN(v)) {
                sum += v;
                sq += v * v;
                k++;
            }
        }
        double mean = k == 0 ? Double.NaN : sum / k;
        double half = Double.NaN;
        if (k >= 2) {
            double sd = Math.sqrt(Math.max(0, (sq - k * mean * mean) / (k - 1)));
            half = new org.apache.commons.math3.distribution.TDistribution(null, k - 1).inverseCumulativeProbability(0.975)
                    * sd / Math.sqrt(k);
        }
        return new double[] {mean, mean - half, mean + half, k};
    }
}
