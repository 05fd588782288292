package org.engram.jobs.synthetic;

import static org.engram.jobs.config.Setting.Vary.GRID;
import static org.engram.jobs.config.Setting.Vary.MUST;

import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.engram.jobs.config.Cell;
import org.engram.jobs.config.Operational;
import org.engram.jobs.config.Setting;
import org.engram.jobs.core.Aggregate;
import org.engram.jobs.core.Boundary;
import org.engram.jobs.core.Derived;
import org.engram.jobs.core.Job;
import org.engram.jobs.core.Metric;
import org.engram.jobs.core.Plan;
import org.engram.jobs.core.ReplicateRange;
import org.engram.jobs.core.Setup;
import org.engram.jobs.core.StateBytes;
import org.engram.jobs.core.SweepIdentity;
import org.engram.jobs.core.TableSpec;
import org.engram.jobs.core.Trial;
import org.engram.jobs.core.TrialRow;
import org.engram.jobs.core.UnitContext;
import org.engram.kernels.random.CounterRng;

/**
 * {@code engine.shapes} — known geometry for testing adaptive sweeps: a trial at (x, y) reports its distance from
 * the origin plus uniform noise of width {@code params.noise} ({@code radius}), and whether the noiseless point lies
 * inside the circle of radius {@code params.r} ({@code inside}). The boundary "circle" is where the mean radius
 * crosses r: exactly the circle when there is no noise, so a refinement's cells can be predicted from the geometry.
 */
public final class ShapesJob implements Job<ShapesJob.Settings> {
    static final TableSpec TRIALS = new TableSpec("trials", List.of("radius", "inside", "score"), Set.of(),
            "radius = sqrt(x² + y²) + noise × (uniform(seed) − ½); inside = 1 when sqrt(x² + y²) < r; score = a "
            + "training run's: after each of its epochs e = 1, 2, … it adds −sqrt(x² + y²) / 2^e and noise × (u − ½) / e "
            + "with u drawn from one generator per trial (the best configuration is the origin's)");
    static final Metric RADIUS = TRIALS.metric("radius");
    static final Metric INSIDE = TRIALS.metric("inside");
    static final Metric SCORE = TRIALS.metric("score");

    @Override
    public String id() {
        return "engine.shapes";
    }

    @Override
    public String description() {
        return "Engine self-test: a circle (or a threshold) with known position, for adaptive sweeps";
    }

    /** The plane, the circle, the noise and the trials per point. */
    public record Settings(
            @Setting(doc = "first coordinate", requirement = "must be a number", grid = MUST) double x,
            @Setting(doc = "second coordinate", requirement = "must be a number", grid = GRID) double y,
            @Setting(doc = "radius of the circle", min = 0, max = 1e6) double r,
            @Setting(doc = "width of the uniform noise added to each trial's radius", min = 0, max = 1e6) double noise,
            @Setting(doc = "trials per point", min = 1, max = 1_000_000, replicates = true) int count,
            @Setting(doc = "epochs of the score's training run (the budget of successive halving)", min = 1,
                    max = 1_000_000) int epochs,
            @Setting(doc = "trials of a point per work unit", min = 1, max = 1_000_000)
            @Operational("chunking of replicates into units") int trialsPerUnit,
            @Setting(key = "work-nanos", doc = "busy-wait per trial (to stop a run in the middle of a round)", min = 0,
                    max = 60_000_000_000L) @Operational("busy-waiting changes no value") long spinNanos)
            implements java.io.Serializable {
    }

    @Override
    public List<Boundary<Settings>> boundaries() {
        return List.of(new Boundary<>("circle", "where the mean radius crosses params.r (inside: below)",
                (settings, aggregates) -> {
                    org.engram.jobs.core.Column c = org.engram.jobs.core.Tables.metric(aggregates, RADIUS);
                    return cell -> {
                        Boundary.Side s = Boundary.threshold(c, cell, settings.r());
                        return s == Boundary.Side.FAILED ? s
                                : new Boundary.Side(s.label().equals("below") ? "inside" : "outside", s.decided());
                    };
                }));
    }

    /** The score's training runs continue from checkpoints: successive halving gives rungs of epochs. */
    @Override
    public String budget() {
        return "epochs";
    }

    @Override
    public Plan<Settings> plan(Setup<Settings> setup) {
        Settings s = setup.settings();
        return ReplicateRange.plan(setup, s.count(), s.trialsPerUnit(), List.of(TRIALS), "trials", Unit::new);
    }

    record Unit(SweepIdentity sweep, Cell cell, int from, int to, Settings settings) implements ReplicateRange {
        @Override
        public TableSpec table() {
            return TRIALS;
        }

        @Override
        public String seedStream() {
            return "noise";
        }

        @Override
        public double cost() {
            return to - from;
        }

        @Override
        public void run(UnitContext context, Consumer<TrialRow> out) {
            double x = cell.getDouble("x");
            double y = cell.has("y") ? cell.getDouble("y") : settings.y();
            double d = Math.hypot(x, y);
            List<Trial> owed = trialsOwed();
            // each trial's score is a training run: its running sum and generator, continued from a checkpoint
            double[] score = new double[owed.size()];
            java.util.SplittableRandom[] rng = new java.util.SplittableRandom[owed.size()];
            for (int i = 0; i < owed.size(); i++) {
                rng[i] = new java.util.SplittableRandom(owed.get(i).seed() ^ 0x5deece66dL);
            }
            int from = 0;
            byte[] saved = context.checkpoints().latest(this, "epochs", settings.epochs());
            if (saved != null) {
                StateBytes.Reader b = new StateBytes.Reader(saved);
                from = b.getInt();
                for (int i = 0; i < owed.size(); i++) {
                    score[i] = b.getDouble();
                    rng[i] = b.getRng();
                }
            }
            for (int e = from; e < settings.epochs(); e++) {
                for (int i = 0; i < owed.size(); i++) {
                    score[i] += -d / Math.pow(2, e + 1) + settings.noise() * (rng[i].nextDouble() - 0.5) / (e + 1);
                }
            }
            context.checkpoints().keep(this, "epochs", settings.epochs(), () -> {
                StateBytes.Writer b = new StateBytes.Writer().putInt(settings.epochs());
                for (int i = 0; i < owed.size(); i++) {
                    b.putDouble(score[i]).putRng(rng[i]);
                }
                return b.bytes();
            });
            for (int i = 0; i < owed.size(); i++) {
                Trial t = owed.get(i);
                long end = System.nanoTime() + settings.spinNanos();
                while (System.nanoTime() < end) {
                    Thread.onSpinWait();
                }
                out.accept(TRIALS.row(cell, t.replicate(), t.seed())
                        .set(RADIUS, d + settings.noise() * (CounterRng.uniform(t.seed(), 0) - 0.5))
                        .set(INSIDE, d < settings.r() ? 1 : 0)
                        .set(SCORE, score[i])
                        .ok());
            }
        }
    }

    @Override
    public Derived derive(Plan<Settings> plan, List<Aggregate> aggregates) {
        return new Derived(List.of(), List.of());
    }
}
