package org.engram.jobs.core;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.engram.jobs.config.Cell;

/**
 * One metric's aggregates, read by cell: {@code Tables.metric(aggregates, ITERATIONS).mean(cell)}. Derive code looks
 * an aggregate up by the cell it belongs to (a grid cell, or one extended by {@link Trials#extend} for a per-epoch,
 * per-step or per-layer row), never by a key it builds or splits.
 */
public final class Column {
    private final Metric metric;
    private final Map<String, Aggregate> byCell = new LinkedHashMap<>();

    Column(Metric metric, List<Aggregate> all) {
        this.metric = metric;
        all.stream().filter(a -> a.table().equals(metric.table()) && a.metric().equals(metric.name()))
                .sorted((x, y) -> Integer.compare(x.cell().index(), y.cell().index()))
                .forEach(a -> byCell.put(a.cell().key(), a));
    }

    public Metric metric() {
        return metric;
    }

    /** The aggregate at {@code cell}, or null when the run has none there. */
    public Aggregate get(Cell cell) {
        return byCell.get(cell.key());
    }

    /** Whether the run has an aggregate at {@code cell}. */
    public boolean has(Cell cell) {
        return byCell.containsKey(cell.key());
    }

    /** The mean at {@code cell} (NaN when absent). */
    public double mean(Cell cell) {
        return Tables.mean(get(cell));
    }

    /** The 95% interval of the mean at {@code cell}, clipped to [min, max]. */
    public double[] ci(Cell cell, double min, double max) {
        return Tables.ci(get(cell), min, max);
    }

    /** Every aggregate, in cell order. */
    public Collection<Aggregate> all() {
        return byCell.values();
    }
}
