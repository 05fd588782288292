package org.engram.export;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The wide summary of an aggregated (long) table: one row per cell with its parameters, {@code trials}, and per
 * metric three columns, {@code <metric>} (the mean over replicates), {@code <metric>_ci95_low} and
 * {@code <metric>_ci95_high}, metrics in the table's order. What a spreadsheet or {@code df.pivot} user wants.
 */
public final class WideTable {
    /** A wide summary sits beside its long table: {@code aggregated/<table>.wide.csv}. */
    public static final String SUFFIX = ".wide.csv";

    private WideTable() {
    }

    /** The wide form of a long aggregated table (same name; the columns before {@code metric} are the cell's). */
    public static TidyTable of(TidyTable aggregated) {
        List<String> names = aggregated.columns().stream().map(TidyTable.Column::name).toList();
        int metric = names.indexOf("metric");
        if (metric < 0) {
            throw new IllegalArgumentException("table " + aggregated.name() + " has no 'metric' column");
        }
        int trials = names.indexOf("trials");
        int mean = names.indexOf("mean");
        int lo = names.indexOf("ci95_low");
        int hi = names.indexOf("ci95_high");
        List<String> metrics = new ArrayList<>();
        Map<List<Object>, Map<String, List<Object>>> cells = new LinkedHashMap<>();
        Map<List<Object>, Object> trialsOf = new LinkedHashMap<>();
        for (List<Object> row : aggregated.rows()) {
            List<Object> key = row.subList(0, metric);
            String m = (String) row.get(metric);
            if (!metrics.contains(m)) {
                metrics.add(m);
            }
            cells.computeIfAbsent(key, k -> new LinkedHashMap<>()).put(m, List.of(row.get(mean), row.get(lo),
                    row.get(hi)));
            trialsOf.putIfAbsent(key, row.get(trials));
        }
        List<TidyTable.Column> cols = new ArrayList<>(aggregated.columns().subList(0, metric));
        cols.add(new TidyTable.Column("trials", TidyTable.Type.LONG));
        for (String m : metrics) {
            cols.add(new TidyTable.Column(m, TidyTable.Type.DOUBLE));
            cols.add(new TidyTable.Column(m + "_ci95_low", TidyTable.Type.DOUBLE));
            cols.add(new TidyTable.Column(m + "_ci95_high", TidyTable.Type.DOUBLE));
        }
        List<List<Object>> rows = new ArrayList<>();
        for (Map.Entry<List<Object>, Map<String, List<Object>>> e : cells.entrySet()) {
            List<Object> r = new ArrayList<>(e.getKey());
            r.add(trialsOf.get(e.getKey()));
            for (String m : metrics) {
                List<Object> v = e.getValue().get(m);
                if (v == null) {
                    r.add(Double.NaN);
                    r.add(Double.NaN);
                    r.add(Double.NaN);
                } else {
                    r.addAll(v);
                }
            }
            rows.add(r);
        }
        return new TidyTable(aggregated.name(), cols, rows);
    }
}
