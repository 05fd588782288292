package org.engram.driver.engine;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.util.DoubleAccumulator;
import org.apache.spark.util.LongAccumulator;
import org.engram.driver.output.Provenance;
import org.engram.driver.output.RawRows;
import org.engram.export.ParquetTables;
import org.engram.export.TidyTable;
import org.engram.jobs.config.Cell;
import org.engram.jobs.core.TableSpec;
import org.engram.jobs.core.TrialRow;
import org.engram.jobs.core.Trials;
import org.engram.jobs.core.UnitContext;
import org.engram.jobs.core.WorkUnit;
import scala.Tuple2;

/**
 * What one Spark task does with its partition of work units: runs each unit, turns NaN metrics and
 * escaped exceptions into FAILED rows (never rethrown, so a deterministic failure is not retried),
 * streams the raw rows to this partition's Parquet files, and returns the partition's partial
 * aggregates — a few per cell, never the rows themselves.
 */
final class PartitionRunner implements Function2<Integer, Iterator<List<UnitTask>>, Iterator<Tuple2<AggKey, Stat>>> {
    private static final long serialVersionUID = 1L;

    /** The counters a run's tasks add to (progress, failures, replays, BLAS in use). */
    record Counters(LongAccumulator trialsDone, LongAccumulator trialsFailed, LongAccumulator trialsReused,
                    DoubleAccumulator costDone, CellProgress cellsDone, BlasAccumulator blas) implements Serializable {
    }

    /**
     * Everything a task needs besides its units.
     *
     * @param tables       the plan's tables by name, the main one first
     * @param rawDir       where the raw Parquet rows go
     * @param hadoopConf   the Hadoop configuration, as strings
     * @param ledger       finished work (null: none)
     * @param sharedDir    the shared-state store of this sweep
     * @param dataIdentity the datasets' content as the driver checked it
     * @param counters     the run's accumulators
     * @param sealSeconds  how long a task's ledger segment stays open before it is sealed (and a new one begun)
     * @param runTag       names this run's ledger segments, so that a run that fails removes its unsealed ones
     * @param checkpoints  where training units keep their state for the next rung (a halving sweep's; null: nowhere)
     * @param parts        what the raw part files' names begin with ({@code part-}; a round of an adaptive sweep
     *                     adds its number, so that rounds never write the same file)
     */
    record Setup(Map<String, TableSpec> tables, String rawDir, Map<String, String> hadoopConf, Ledger ledger,
                 String sharedDir, Map<String, String> dataIdentity, Counters counters, double sealSeconds,
                 String runTag, String parts, String checkpoints) implements Serializable {
        Setup {
            tables = new LinkedHashMap<>(tables);
            hadoopConf = new HashMap<>(hadoopConf);
            dataIdentity = new HashMap<>(dataIdentity);
        }
    }

    private final Setup setup;
    private final Map<String, TableSpec> tables;
    private final Counters counters;

    PartitionRunner(Setup setup) {
        this.setup = setup;
        this.tables = setup.tables();
        this.counters = setup.counters();
    }

    private Configuration hadoop() {
        Configuration conf = new Configuration();
        setup.hadoopConf().forEach(conf::set);
        return conf;
    }

    @Override
    public Iterator<Tuple2<AggKey, Stat>> call(Integer partition, Iterator<List<UnitTask>> bins) {
        Configuration conf = hadoop();
        counters.blas().add(Provenance.blas() + " on " + Provenance.numerics());
        UnitContext context = ExecutorState.context(conf, setup.hadoopConf(), setup.dataIdentity(), setup.sharedDir());
        if (setup.checkpoints() != null) {
            context = context.withCheckpoints(new CheckpointStore(setup.checkpoints(), setup.hadoopConf()));
        }
        Map<AggKey, Stat> stats = new HashMap<>();
        Map<String, ParquetTables.Writer> writers = new LinkedHashMap<>();
        TaskContext ctx = TaskContext.get();
        String attempt = ctx == null ? "0" : Integer.toString(ctx.attemptNumber());
        SegmentSink ledger = setup.ledger() == null ? null
                : new SegmentSink(setup.ledger(), conf, String.format("%s-p%05d-a%s", setup.runTag(), partition, attempt),
                setup.sealSeconds());
        boolean completed = false;
        try {
            while (bins.hasNext()) {
                for (UnitTask task : bins.next()) {
                    // a cancelled job (a run asked to stop) ends here, between units: the finished ones are sealed
                    stopIfKilled(ctx);
                    runUnit(task, context, stats, writers, partition, attempt, conf, ledger);
                }
            }
            completed = true;
        } finally {
            // the ledger first: the units this task finished are sealed even when its raw files cannot be closed
            RuntimeException first = null;
            if (ledger != null) {
                try {
                    ledger.close(completed);
                } catch (RuntimeException e) {
                    first = e;
                }
            }
            for (ParquetTables.Writer w : writers.values()) {
                try {
                    w.close();
                } catch (RuntimeException e) {
                    first = first == null ? e : first;
                }
            }
            if (first != null && completed) {
                throw first; // else the task's own failure is the one that propagates
            }
        }
        List<Tuple2<AggKey, Stat>> out = new ArrayList<>(stats.size());
        stats.forEach((k, v) -> out.add(new Tuple2<>(k, v)));
        return out.iterator();
    }

    /**
     * A task's ledger segment: begun with the first unit the task finishes, sealed once it has been open the seal
     * interval (the next unit begins another) and when the task ends — also when it fails, as the units it holds
     * finished; a segment that cannot be sealed then is abandoned, its units computed again by the next run.
     */
    private static final class SegmentSink {
        /** The sinks with an open segment in this JVM: sealed by a shutdown hook when an executor is stopped. */
        private static final java.util.Set<SegmentSink> OPEN = java.util.concurrent.ConcurrentHashMap.newKeySet();

        static {
            // before Hadoop closes its file systems (priority 10): a SIGTERM to an executor (scancel, a preempted
            // node) seals the units its tasks finished instead of losing them with the JVM
            org.apache.hadoop.util.ShutdownHookManager.get().addShutdownHook(() -> OPEN.forEach(SegmentSink::seal), 50);
        }

        private final Ledger ledger;
        private final Configuration conf;
        private final String tag;
        private final double sealSeconds;
        private Ledger.Segment open;

        SegmentSink(Ledger ledger, Configuration conf, String tag, double sealSeconds) {
            this.ledger = ledger;
            this.conf = conf;
            this.tag = tag;
            this.sealSeconds = sealSeconds;
        }

        synchronized void add(String key, List<TrialRow> rows) {
            if (open == null) {
                open = ledger.open(conf, tag);
                OPEN.add(this);
            }
            open.append(key, rows);
            if (open.ageSeconds() >= sealSeconds) {
                seal();
            }
        }

        /** Seals the open segment, if any (its units are complete: a unit is appended whole). */
        synchronized void seal() {
            if (open == null) {
                return;
            }
            Ledger.Segment s = open;
            open = null;
            OPEN.remove(this);
            try {
                s.close();
            } catch (RuntimeException e) {
                s.abandon();
                throw e;
            }
        }

        synchronized void close(boolean completed) {
            try {
                seal();
            } catch (RuntimeException e) {
                if (completed) {
                    throw e;
                }
                // the task's own failure is the one to report; the segment was abandoned
            }
        }
    }

    /** The tag of this run's ledger segments. */
    String runTag() {
        return setup.runTag();
    }

    /**
     * The runner of round {@code round} of an adaptive sweep: the same tables and ledger, the round's own counters,
     * ledger segments and raw parts named by the round (a round's partition 0 is not the previous round's); training
     * state kept in {@code checkpoints} (null: not kept).
     */
    PartitionRunner round(int round, Counters counters, String checkpoints) {
        Setup s = setup;
        return new PartitionRunner(new Setup(s.tables(), s.rawDir(), s.hadoopConf(), s.ledger(), s.sharedDir(),
                s.dataIdentity(), counters, s.sealSeconds(), s.runTag() + "-r" + round,
                String.format("part-r%02d-", round), checkpoints));
    }

    /** Throws Spark's TaskKilledException when the task was asked to stop (its job cancelled). */
    private static void stopIfKilled(TaskContext ctx) {
        if (ctx != null) {
            ctx.killTaskIfInterrupted();
        }
    }

    /** The driver's replay of recorded units, aggregated and written as a task would, as raw part {@code part}. */
    Replayer replayer(int part) {
        return new Replayer(part);
    }

    /**
     * Replays verified ledger entries on the driver, one of several in parallel: their rows aggregated and written as
     * the raw part "replayed-<part>". It counts on its own; {@link #publish} adds the counts to the run's counters
     * (which are not thread-safe) from the driver's main thread.
     */
    final class Replayer implements java.io.Closeable {
        private final Configuration conf = hadoop();
        private final int part;
        private final Map<AggKey, Stat> stats = new HashMap<>();
        private final Map<String, ParquetTables.Writer> writers = new LinkedHashMap<>();
        private final Tally tally = new Tally();

        Replayer(int part) {
            this.part = part;
        }

        void add(WorkUnit unit, List<TrialRow> rows) {
            tally.add(record(unit, rows, stats, writers, -1 - part, "0", conf));
        }

        Map<AggKey, Stat> stats() {
            return stats;
        }

        void publish() {
            counters.trialsReused().add(tally.trials);
            tally.publish(counters, true);
        }

        @Override
        public void close() {
            for (ParquetTables.Writer w : writers.values()) {
                w.close();
            }
        }
    }

    /**
     * Runs one unit. Progress is counted as its main-table rows arrive, so that heartbeats show work
     * inside long tasks; the rows themselves are kept until the unit ends, so that a unit which
     * throws half-way is recorded once, entirely as FAILED rows, with its early progress taken back.
     */
    private void runUnit(UnitTask task, UnitContext context, Map<AggKey, Stat> stats,
                         Map<String, ParquetTables.Writer> writers, int partition, String attempt, Configuration conf,
                         SegmentSink ledger) {
        WorkUnit unit = task.unit();
        List<TrialRow> rows = new ArrayList<>();
        double costPerTrial = unit.cost() / Math.max(1, unit.trials());
        long[] counted = new long[1];
        // cost counted so far: the larger of finished trials' shares and the fraction the unit reported
        double[] costCounted = new double[1];
        double[] reported = new double[1];
        java.util.function.DoubleUnaryOperator advance = target -> {
            double t = Math.min(unit.cost(), target);
            if (t > costCounted[0]) {
                counters.costDone().add(t - costCounted[0]);
                costCounted[0] = t;
            }
            return t;
        };
        String main = mainTable();
        TaskContext ctx = TaskContext.get();
        UnitContext reporting = context.withProgress(f -> {
            // a long unit reports progress often: a stopped run does not wait for it to end (it is computed again)
            stopIfKilled(ctx);
            reported[0] = Math.max(reported[0], Math.max(0, Math.min(1, f)) * unit.cost());
            advance.applyAsDouble(Math.max(reported[0], counted[0] * costPerTrial));
        });
        try {
            unit.run(reporting, row -> {
                rows.add(row);
                if (row.table().equals(main)) {
                    counted[0]++;
                    counters.trialsDone().add(1);
                    advance.applyAsDouble(Math.max(reported[0], counted[0] * costPerTrial));
                    counters.cellsDone().add(Map.of(row.cell().key(), 1L));
                }
            });
        } catch (RuntimeException | Error e) {
            if (e instanceof VirtualMachineError vm && !(e instanceof OutOfMemoryError)) {
                throw vm;
            }
            if (e instanceof org.apache.spark.TaskKilledException killed) {
                counters.trialsDone().add(-counted[0]);
                counters.costDone().add(-costCounted[0]);
                throw killed; // not a failure of the unit: it is computed again by the next run
            }
            rows.clear();
            unit.failAll(e.toString(), rows::add);
            counters.trialsDone().add(-counted[0]);
            counters.costDone().add(-costCounted[0]);
            counted[0] = 0;
            costCounted[0] = 0;
        }
        List<TrialRow> checkedRows = new ArrayList<>(rows.size());
        for (TrialRow raw : rows) {
            checkedRows.add(Trials.checked(raw, tables.get(raw.table())));
        }
        boolean anyFailed = checkedRows.stream().anyMatch(r -> !r.isOk());
        if (!anyFailed && ledger != null) {
            ledger.add(task.key(), checkedRows);
        }
        record(unit, checkedRows, stats, writers, partition, attempt, conf).publish(counters, counted[0] == 0);
    }

    /** Aggregates and writes a unit's rows; counts their progress unless it was counted as they came. */
    private Tally record(WorkUnit unit, List<TrialRow> rows, Map<AggKey, Stat> stats,
                         Map<String, ParquetTables.Writer> writers, int partition, String attempt, Configuration conf) {
        String main = mainTable();
        Tally t = new Tally();
        for (TrialRow row : rows) {
            record(row, stats);
            writer(row, writers, partition, attempt, conf).write(RawRows.values(row, tables.get(row.table())));
            if (!row.isOk()) {
                t.failed++;
            }
            if (row.table().equals(main)) {
                t.trials++;
                t.perCell.merge(row.cell().key(), 1L, Long::sum);
            }
        }
        t.cost = t.trials * unit.cost() / Math.max(1, unit.trials());
        return t;
    }

    /** What units' rows add to the run's counters: main-table trials, their cost share, per cell, and failures. */
    static final class Tally {
        long trials;
        double cost;
        long failed;
        final Map<String, Long> perCell = new HashMap<>();

        void add(Tally o) {
            trials += o.trials;
            cost += o.cost;
            failed += o.failed;
            o.perCell.forEach((k, v) -> perCell.merge(k, v, Long::sum));
        }

        /** Adds the failures, and the progress too unless it was counted as the rows came. */
        void publish(Counters c, boolean progress) {
            if (progress) {
                c.trialsDone().add(trials);
                c.costDone().add(cost);
                c.cellsDone().add(perCell);
            }
            if (failed > 0) {
                c.trialsFailed().add(failed);
            }
        }
    }

    private String mainTable() {
        return tables.keySet().iterator().next();
    }

    private void record(TrialRow row, Map<AggKey, Stat> stats) {
        Cell cell = row.cell();
        Stat cs = stats.computeIfAbsent(new AggKey(row.table(), cell.key(), AggKey.CELL), k -> new Stat(cell));
        cs.trials++;
        TableSpec spec = tables.get(row.table());
        if (!row.isOk()) {
            cs.fail(row.replicate(), row.message());
        }
        for (int i = 0; i < spec.metrics().size(); i++) {
            Stat ms = stats.computeIfAbsent(new AggKey(row.table(), cell.key(), i), k -> new Stat(cell));
            ms.trials++;
            if (!row.isOk()) {
                ms.fail(row.replicate(), row.message());
            } else if (!Double.isNaN(row.metric(i))) {
                ms.moments.add(row.metric(i));
            }
        }
    }

    private ParquetTables.Writer writer(TrialRow row, Map<String, ParquetTables.Writer> writers, int partition,
                                        String attempt, Configuration conf) {
        return writers.computeIfAbsent(row.table(), t -> {
            List<TidyTable.Column> cols = RawRows.columns(row.cell(), tables.get(t));
            // parts of the driver's replay are numbered below zero
            Path p = new Path(setup.rawDir() + "/" + t, setup.parts() + (partition < 0
                    ? String.format("replayed-%02d.parquet", -1 - partition) : String.format("%05d.parquet", partition)));
            return new ParquetTables.Writer(t, cols, p, conf, ".attempt-" + attempt);
        });
    }
}
