package org.engram.driver.engine;

import java.io.Serializable;
import java.util.Objects;

/**
 * Key of one aggregate: a table, a cell (by canonical key) and a metric index, or
 * {@link #CELL} for the cell's trial and failure counts.
 */
public final class AggKey implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final int CELL = -1;

    final String table;
    final String cell;
    final int metric;

    public AggKey(String table, String cell, int metric) {
        this.table = table;
        this.cell = cell;
        this.metric = metric;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AggKey k && k.metric == metric && k.table.equals(table) && k.cell.equals(cell);
    }

    @Override
    public int hashCode() {
        return Objects.hash(table, cell, metric);
    }

    @Override
    public String toString() {
        return table + "/" + cell + "/" + metric;
    }
}
