package org.engram.driver;

import java.io.IOException;
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
import org.engram.export.ParquetTables;
import org.engram.export.TidyTable;
import org.engram.jobs.core.Cell;
import org.engram.jobs.core.TableSpec;
import org.engram.jobs.core.TrialRow;
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

    private final Map<String, TableSpec> tables;
    private final String rawDir;
    private final Map<String, String> hadoopConf;
    private final LongAccumulator trialsDone;
    private final LongAccumulator trialsFailed;
    private final DoubleAccumulator costDone;
    private final CellProgress cellsDone;
    private final BlasAccumulator blas;
    private final Ledger ledger;
    private final LongAccumulator trialsReused;
    private final String sharedDir;
    private final Map<String, String> dataIdentity;

    PartitionRunner(Map<String, TableSpec> tables, String rawDir, Map<String, String> hadoopConf,
                    LongAccumulator trialsDone, LongAccumulator trialsFailed, DoubleAccumulator costDone,
                    CellProgress cellsDone, BlasAccumulator blas, Ledger ledger, LongAccumulator trialsReused,
                    String sharedDir, Map<String, String> dataIdentity) {
        this.sharedDir = sharedDir;
        this.dataIdentity = new HashMap<>(dataIdentity);
        this.ledger = ledger;
        this.trialsReused = trialsReused;
        this.tables = new LinkedHashMap<>(tables);
        this.rawDir = rawDir;
        this.hadoopConf = new HashMap<>(hadoopConf);
        this.trialsDone = trialsDone;
        this.trialsFailed = trialsFailed;
        this.costDone = costDone;
        this.cellsDone = cellsDone;
        this.blas = blas;
    }

    @Override
    public Iterator<Tuple2<AggKey, Stat>> call(Integer partition, Iterator<List<UnitTask>> bins) {
        Configuration conf = new Configuration();
        hadoopConf.forEach(conf::set);
        blas.add(Provenance.blas());
        // datasets: read through Hadoop FS and checked, once per executor JVM
        org.engram.jobs.data.DataCache.install((root, name, split) ->
                org.engram.driver.data.DatasetStore.load(root, name, split, conf));
        org.engram.jobs.data.DataCache.expect(dataIdentity); // a dataset replaced since this JVM cached it is reloaded
        org.engram.jobs.data.SharedState.install(new SharedStore(sharedDir, hadoopConf));
        Map<AggKey, Stat> stats = new HashMap<>();
        Map<String, ParquetTables.Writer> writers = new LinkedHashMap<>();
        TaskContext ctx = TaskContext.get();
        String attempt = ctx == null ? "0" : Integer.toString(ctx.attemptNumber());
        try {
            while (bins.hasNext()) {
                for (UnitTask task : bins.next()) {
                    List<TrialRow> replayed = task.reuse() ? replay(task) : null;
                    if (replayed != null) {
                        record(task.unit(), replayed, stats, writers, partition, attempt, conf, true);
                        trialsReused.add(replayed.stream().filter(r -> r.table().equals(mainTable())).count());
                    } else {
                        runUnit(task, stats, writers, partition, attempt, conf);
                    }
                }
            }
        } finally {
            for (ParquetTables.Writer w : writers.values()) {
                w.close();
            }
        }
        List<Tuple2<AggKey, Stat>> out = new ArrayList<>(stats.size());
        stats.forEach((k, v) -> out.add(new Tuple2<>(k, v)));
        return out.iterator();
    }

    /**
     * Runs one unit. Progress is counted as its main-table rows arrive, so that heartbeats show work
     * inside long tasks; the rows themselves are kept until the unit ends, so that a unit which
     * throws half-way is recorded once, entirely as FAILED rows, with its early progress taken back.
     */
    private List<TrialRow> replay(UnitTask task) {
        Configuration conf = new Configuration();
        hadoopConf.forEach(conf::set);
        try {
            return ledger.read(task.key(), conf);
        } catch (IOException | RuntimeException e) {
            return null; // unreadable entry: compute the unit again
        }
    }

    private void runUnit(UnitTask task, Map<AggKey, Stat> stats, Map<String, ParquetTables.Writer> writers,
                         int partition, String attempt, Configuration conf) {
        WorkUnit unit = task.unit();
        List<TrialRow> rows = new ArrayList<>();
        double costPerTrial = unit.cost() / Math.max(1, unit.trials());
        long[] counted = new long[1];
        String main = mainTable();
        try {
            unit.run(row -> {
                rows.add(row);
                if (row.table().equals(main)) {
                    counted[0]++;
                    trialsDone.add(1);
                    costDone.add(costPerTrial);
                    cellsDone.add(Map.of(row.cell().key(), 1L));
                }
            });
        } catch (RuntimeException | Error e) {
            if (e instanceof VirtualMachineError vm && !(e instanceof OutOfMemoryError)) {
                throw vm;
            }
            rows.clear();
            unit.failAll(e.toString(), rows::add);
            trialsDone.add(-counted[0]);
            costDone.add(-counted[0] * costPerTrial);
            counted[0] = 0;
        }
        List<TrialRow> checkedRows = new ArrayList<>(rows.size());
        for (TrialRow raw : rows) {
            checkedRows.add(checked(raw));
        }
        boolean anyFailed = checkedRows.stream().anyMatch(r -> !r.isOk());
        if (!anyFailed && ledger != null) {
            ledger.write(task.key(), checkedRows, conf, ".attempt-" + attempt);
        }
        if (counted[0] == 0) {
            record(unit, checkedRows, stats, writers, partition, attempt, conf, true);
        } else {
            record(unit, checkedRows, stats, writers, partition, attempt, conf, false);
        }
    }

    /** Aggregates and writes a unit's rows; counts their progress unless it was counted as they came. */
    private void record(WorkUnit unit, List<TrialRow> rows, Map<AggKey, Stat> stats,
                        Map<String, ParquetTables.Writer> writers, int partition, String attempt, Configuration conf,
                        boolean countProgress) {
        String main = mainTable();
        Map<String, Long> perCell = new HashMap<>();
        long failed = 0;
        long mainRows = 0;
        for (TrialRow row : rows) {
            record(row, stats);
            writer(row, writers, partition, attempt, conf).write(RawRows.values(row, tables.get(row.table())));
            if (!row.isOk()) {
                failed++;
            }
            if (row.table().equals(main)) {
                mainRows++;
                perCell.merge(row.cell().key(), 1L, Long::sum);
            }
        }
        if (countProgress) {
            trialsDone.add(mainRows);
            costDone.add(mainRows * unit.cost() / Math.max(1, unit.trials()));
            cellsDone.add(perCell);
        }
        trialsFailed.add(failed);
    }

    private String mainTable() {
        return tables.keySet().iterator().next();
    }

    /** A row with a NaN in a required metric becomes FAILED, naming the metric. */
    TrialRow checked(TrialRow row) {
        if (!row.isOk()) {
            return row;
        }
        TableSpec spec = tables.get(row.table());
        if (spec == null) {
            return TrialRow.failed(row.table(), row.cell(), row.replicate(), row.seed(),
                    "the job emitted a row for undeclared table '" + row.table() + "'");
        }
        if (row.metricCount() != spec.metrics().size()) {
            return TrialRow.failed(row.table(), row.cell(), row.replicate(), row.seed(), "the row has "
                    + row.metricCount() + " metrics, table " + spec.name() + " declares " + spec.metrics().size());
        }
        for (int i = 0; i < row.metricCount(); i++) {
            double v = row.metric(i);
            String name = spec.metrics().get(i);
            if (Double.isInfinite(v) || (Double.isNaN(v) && !spec.optional().contains(name))) {
                return TrialRow.failed(row.table(), row.cell(), row.replicate(), row.seed(),
                        "metric " + name + " is " + v);
            }
        }
        return row;
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
            Path p = new Path(rawDir + "/" + t, String.format("part-%05d.parquet", partition));
            return new ParquetTables.Writer(t, cols, p, conf, ".attempt-" + attempt);
        });
    }
}
