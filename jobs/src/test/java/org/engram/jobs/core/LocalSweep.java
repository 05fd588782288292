package org.engram.jobs.core;

import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.engram.jobs.config.Cell;
import org.engram.jobs.data.DataCache;
import org.engram.jobs.data.SharedState;
import org.engram.jobs.sweep.JobRegistry;
import org.engram.jobs.sweep.PreparedSweep;
import org.engram.kernels.data.ImageSet;

/**
 * A sweep run in the test's own JVM, without Spark: plans a conf (a shipped quick conf with overrides), runs
 * every unit with a {@link UnitContext} of its own, checks each row against its table as the engine does,
 * aggregates exact moments per (table, cell, metric) and derives the job's tables. Datasets are synthetic:
 * 28 × 28 images whose class decides which of ten bands of pixels is bright, plus noise — learnable, tiny.
 */
public final class LocalSweep {
    /** What a local run gave. */
    public record Result(PreparedSweep<?> prepared, List<TrialRow> rows, List<Aggregate> aggregates, Derived derived,
                         Map<String, List<Double>> progress) {
        public long failed() {
            return rows.stream().filter(r -> !r.isOk()).count();
        }

        /** The aggregate of one metric of one cell of a table. */
        public Aggregate aggregate(String table, String cellKey, String metric) {
            for (Aggregate a : aggregates) {
                if (a.table().equals(table) && a.cell().key().equals(cellKey) && a.metric().equals(metric)) {
                    return a;
                }
            }
            throw new AssertionError("no aggregate " + table + "/" + cellKey + "/" + metric);
        }

        /** A trial row's metric by name (its table's spec says where it is). */
        public double value(TrialRow row, String metric) {
            return row.metric(prepared.plan().table(row.table()).index(metric));
        }

        public Derived.DerivedTable derived(String name) {
            return derived.tables().stream().filter(t -> t.name().equals(name)).findFirst()
                    .orElseThrow(() -> new AssertionError("no derived table " + name));
        }
    }

    private LocalSweep() {
    }

    /** The shipped quick conf of {@code jobId} with {@code sets} applied. */
    public static PreparedSweep<?> prepare(String jobId, String... sets) {
        File conf = new File("../conf/quick/" + jobId + ".conf");
        return PreparedSweep.prepare(conf, List.of(sets), JobRegistry.standard());
    }

    public static Result run(String jobId, String... sets) {
        return run(prepare(jobId, sets));
    }

    public static Result run(PreparedSweep<?> prepared) {
        return run(prepared, Checkpoints.NONE);
    }

    /** Runs every unit with {@code checkpoints} as the store of training state (a halving sweep's). */
    public static Result run(PreparedSweep<?> prepared, Checkpoints checkpoints) {
        SharedState shared = new SharedState();
        UnitContext context = new UnitContext(new DataCache(LocalSweep::synthetic, shared), shared)
                .withCheckpoints(checkpoints);
        Map<String, TableSpec> tables = new LinkedHashMap<>();
        for (TableSpec t : prepared.plan().tables()) {
            tables.put(t.name(), t);
        }
        List<TrialRow> rows = new ArrayList<>();
        Map<String, List<Double>> progress = new LinkedHashMap<>();
        for (WorkUnit u : prepared.plan().units()) {
            List<TrialRow> mine = new ArrayList<>();
            List<Double> reports = progress.computeIfAbsent(u.key(), k -> new ArrayList<>());
            try {
                u.run(context.withProgress(reports::add), mine::add);
            } catch (RuntimeException e) {
                mine.clear();
                u.failAll(e.toString(), mine::add);
            }
            for (TrialRow r : mine) {
                rows.add(Trials.checked(r, tables.get(r.table())));
            }
        }
        List<Aggregate> aggregates = aggregate(prepared.plan(), rows);
        return new Result(prepared, rows, aggregates, prepared.derive(aggregates), progress);
    }

    /** Exact moments per (table, cell, metric), in plan order of tables, first-seen order of cells. */
    static List<Aggregate> aggregate(Plan<?> plan, List<TrialRow> rows) {
        Map<String, Cell> cells = new LinkedHashMap<>();
        Map<String, long[]> counts = new LinkedHashMap<>();
        Map<String, String> firstFailure = new LinkedHashMap<>();
        Map<String, Moments> moments = new LinkedHashMap<>();
        for (TrialRow r : rows) {
            String ck = r.table() + "\u0000" + r.cell().key();
            cells.putIfAbsent(ck, r.cell());
            long[] c = counts.computeIfAbsent(ck, k -> new long[2]);
            c[0]++;
            if (!r.isOk()) {
                c[1]++;
                firstFailure.putIfAbsent(ck, r.message());
            }
            TableSpec spec = plan.table(r.table());
            for (int i = 0; i < spec.metrics().size(); i++) {
                Moments m = moments.computeIfAbsent(ck + "\u0000" + i, k -> new Moments());
                if (r.isOk() && !Double.isNaN(r.metric(i))) {
                    m.add(r.metric(i));
                }
            }
        }
        List<Aggregate> out = new ArrayList<>();
        for (TableSpec spec : plan.tables()) {
            cells.forEach((ck, cell) -> {
                if (!ck.startsWith(spec.name() + "\u0000")) {
                    return;
                }
                long[] c = counts.get(ck);
                for (int i = 0; i < spec.metrics().size(); i++) {
                    out.add(new Aggregate(spec.name(), cell, spec.metrics().get(i), c[0], c[1], firstFailure.get(ck),
                            moments.get(ck + "\u0000" + i)));
                }
            });
        }
        return out;
    }

    /** A synthetic labelled image set (train split only: the jobs hold out part of it for validation). */
    public static ImageSet synthetic(String root, String name, String split) {
        if (!split.equals("train")) {
            throw new IllegalArgumentException("dataset '" + name + "' has no split '" + split + "'");
        }
        int count = 600;
        byte[] pixels = new byte[count * 784];
        byte[] labels = new byte[count];
        SplittableRandom r = new SplittableRandom(name.hashCode());
        for (int i = 0; i < count; i++) {
            int label = i % 10;
            labels[i] = (byte) label;
            for (int p = 0; p < 784; p++) {
                boolean bright = (p / 28) / 3 == label ? r.nextDouble() < 0.9 : r.nextDouble() < 0.05;
                pixels[i * 784 + p] = (byte) (bright ? 255 : 0);
            }
        }
        return new ImageSet(name, pixels, labels, count, 28, 28, 10);
    }
}
