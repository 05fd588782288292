package org.engram.driver.output;

import java.util.ArrayList;
import java.util.List;
import org.engram.export.TidyTable;
import org.engram.jobs.config.Cell;
import org.engram.jobs.core.TableSpec;
import org.engram.jobs.core.TrialRow;

/** The columns of raw trial rows: cell parameters, replicate, seed, status, message, metrics. */
public final class RawRows {
    private RawRows() {
    }

    public static List<TidyTable.Column> columns(Cell cell, TableSpec spec) {
        List<TidyTable.Column> cols = new ArrayList<>();
        for (int i = 0; i < cell.size(); i++) {
            cols.add(new TidyTable.Column(cell.name(i), TidyTable.typeOf(cell.value(i))));
        }
        cols.add(new TidyTable.Column("replicate", TidyTable.Type.LONG));
        cols.add(new TidyTable.Column("seed", TidyTable.Type.LONG));
        cols.add(new TidyTable.Column("status", TidyTable.Type.STRING));
        cols.add(new TidyTable.Column("message", TidyTable.Type.STRING));
        for (String m : spec.metrics()) {
            cols.add(new TidyTable.Column(m, TidyTable.Type.DOUBLE));
        }
        return cols;
    }

    public static List<Object> values(TrialRow row, TableSpec spec) {
        List<Object> v = new ArrayList<>();
        Cell c = row.cell();
        for (int i = 0; i < c.size(); i++) {
            v.add(c.value(i));
        }
        v.add((long) row.replicate());
        v.add(row.seed());
        v.add(row.status());
        v.add(row.message().isEmpty() ? null : row.message());
        for (int i = 0; i < row.metricCount(); i++) {
            v.add(Double.isNaN(row.metric(i)) ? null : row.metric(i));
        }
        for (int i = row.metricCount(); i < spec.metrics().size(); i++) {
            v.add(null);
        }
        return v;
    }
}
