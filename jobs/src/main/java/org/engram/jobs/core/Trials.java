package org.engram.jobs.core;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.engram.jobs.config.Cell;

/**
 * Failure handling and the common shapes of work, written once for every job: guarded work whose
 * exception becomes FAILED rows, a row's check against its table (a NaN in a required metric is a
 * failure), replicate chunking, and "this cell plus one coordinate".
 */
public final class Trials {
    private Trials() {
    }

    /** Work that emits rows. */
    @FunctionalInterface
    public interface Work {
        void run(Consumer<TrialRow> out);
    }

    /**
     * Runs {@code work}, passing its rows on. If it throws, every trial of {@code owed} whose row was not yet
     * delivered gets a FAILED row with the exception — rows already delivered stay. Errors of the JVM other
     * than running out of memory are not caught.
     *
     * @return whether the work completed (false: it threw and its trials were failed)
     */
    public static boolean guard(List<Trial> owed, Consumer<TrialRow> out, Work work) {
        boolean[] delivered = new boolean[owed.size()];
        try {
            work.run(row -> {
                for (int i = 0; i < owed.size(); i++) {
                    if (!delivered[i] && owed.get(i).is(row)) {
                        delivered[i] = true;
                        break;
                    }
                }
                out.accept(row);
            });
            return true;
        } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
            for (int i = 0; i < owed.size(); i++) {
                if (!delivered[i]) {
                    out.accept(owed.get(i).failed(e.toString()));
                }
            }
            return false;
        }
    }

    /** {@link #guard} for a single trial. */
    public static boolean guard(Trial owed, Consumer<TrialRow> out, Work work) {
        return guard(List.of(owed), out, work);
    }

    /**
     * The row as the tables will hold it: a FAILED row when it names an undeclared table, has the wrong
     * number of metrics, or carries an infinite value or a NaN in a metric its table does not mark optional.
     */
    public static TrialRow checked(TrialRow row, TableSpec spec) {
        if (!row.isOk()) {
            return row;
        }
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

    /** [from, to) ranges of at most {@code size} replicates covering 0 … count − 1. */
    public static List<int[]> chunks(int count, int size) {
        if (size < 1) {
            throw new IllegalArgumentException("chunk size must be positive, found " + size);
        }
        List<int[]> out = new ArrayList<>();
        for (int from = 0; from < count; from += size) {
            out.add(new int[] {from, Math.min(count, from + size)});
        }
        return out;
    }

    /** Consecutive sublists of at most {@code size} items. */
    public static <T> List<List<T>> chunks(List<T> items, int size) {
        List<List<T>> out = new ArrayList<>();
        for (int[] r : chunks(items.size(), size)) {
            out.add(List.copyOf(items.subList(r[0], r[1])));
        }
        return out;
    }

    /** {@code cell} with one more coordinate at the end ({@code epoch=3}, {@code step=12}), keeping its index. */
    public static Cell extend(Cell cell, String name, Object value) {
        String[] names = new String[cell.size() + 1];
        Object[] values = new Object[cell.size() + 1];
        for (int i = 0; i < cell.size(); i++) {
            names[i] = cell.name(i);
            values[i] = cell.value(i);
        }
        names[cell.size()] = name;
        values[cell.size()] = value;
        return new Cell(cell.index(), names, values);
    }
}
