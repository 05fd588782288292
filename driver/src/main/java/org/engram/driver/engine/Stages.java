package org.engram.driver.engine;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import java.util.List;
import java.util.function.Supplier;
import org.engram.jobs.config.Cell;
import org.engram.jobs.config.Problems;
import org.engram.jobs.config.Schema;
import org.engram.jobs.core.Aggregate;
import org.engram.jobs.core.Derived;
import org.engram.jobs.core.Job;
import org.engram.jobs.core.Plan;
import org.engram.jobs.core.Setup;
import org.engram.jobs.sweep.LoadedSweep;
import org.engram.jobs.sweep.PreparedSweep;
import scala.Tuple2;

/**
 * A sweep run in rounds whose work is decided by the results of the rounds before it — boundary refinement
 * ({@link AdaptiveSweep}) or successive halving ({@link HalvingSweep}). Every decision is a function of aggregates
 * the ledger holds, so a rerun replays the same rounds; all rounds run in one Spark application.
 */
public interface Stages {
    /** Round 0. */
    PreparedSweep<?> start();

    /**
     * The next round, or null when the sweep is finished.
     *
     * @param round the aggregates of the round just run, as its own plan keys them
     * @param all   the aggregates of every round so far, as {@link #output} keys them (computed when asked for)
     */
    PreparedSweep<?> next(List<Aggregate> round, Supplier<List<Aggregate>> all);

    /** A round's partial aggregates as the run's tables key them (successive halving adds each rung's budget). */
    List<Tuple2<AggKey, Stat>> output(int round, List<Tuple2<AggKey, Stat>> collected);

    /** The run's plan: every round's cells as {@link #output} keys them, every round's units. */
    PreparedSweep<?> whole();

    /** The job's derived tables and figures, and the sweep's own ({@code last}: the last round's aggregates). */
    Derived derived(List<Aggregate> all, List<Aggregate> last);

    /** Whether training units keep checkpoints for the next round. */
    boolean checkpoints();

    /** The line that opens the run. */
    String opening();

    /** The line that closes it. */
    String closing();

    /** What {@code engram plan} says of the sweep. */
    List<String> outlook();

    /** The expected cost of the whole sweep, in the plan's cost unit. */
    double expectedCost();

    /** The schema of a job's settings record. */
    @SuppressWarnings("unchecked")
    static <S extends Record> Schema<S> schema(Job<S> job) {
        return Schema.of((Class<S>) Schema.settingsOf(job.getClass(), Job.class));
    }

    /**
     * The job's plan of {@code cells} with one key of its conf set to {@code value} (a replicate count, a budget; null:
     * the conf as it is) — the plan of a round.
     */
    static <S extends Record> Plan<S> plan(PreparedSweep<S> prepared, Schema<S> schema, String key, Object value,
                                           List<Cell> cells) {
        LoadedSweep s = prepared.sweep();
        Config conf = key == null ? s.jobConf() : s.jobConf().withValue(key, ConfigValueFactory.fromAnyRef(value));
        Problems problems = new Problems();
        S settings = schema.bind(conf, problems);
        problems.throwIfAny("Sweep " + s.source());
        return prepared.job().plan(new Setup<>(s.identity(), conf, schema, settings, cells));
    }

    /** The adaptive sweep of {@code prepared} (refinement or halving), or null for a grid. */
    static Stages of(PreparedSweep<?> prepared) {
        AdaptiveSweep<?> a = AdaptiveSweep.of(prepared);
        HalvingSweep<?> h = HalvingSweep.of(prepared);
        if (a != null && h != null) {
            org.engram.jobs.config.Problems p = new org.engram.jobs.config.Problems();
            p.at(prepared.sweep().effective(), HalvingSweep.KEY, "a sweep refines a boundary (sweep.adaptive) or "
                    + "tunes by successive halving (sweep.halving), not both");
            p.throwIfAny("Sweep " + prepared.sweep().source());
        }
        return a != null ? a : h;
    }
}
