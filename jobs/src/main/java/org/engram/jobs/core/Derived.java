package org.engram.jobs.core;

import java.util.List;

/**
 * What a job computes from its aggregated tables on the driver: further tables (e.g. the regime of
 * each (N, d, a) cell, J_D*(N)) and figures to render.
 */
public record Derived(List<DerivedTable> tables, List<Figure> figures) {
    public Derived {
        tables = List.copyOf(tables);
        figures = List.copyOf(figures);
    }

    /** A small table in tidy format: named columns, rows of Long, Double, String or Boolean values. */
    public record DerivedTable(String name, List<String> columns, List<List<Object>> rows) {
        public DerivedTable {
            columns = List.copyOf(columns);
            rows = List.copyOf(rows);
            for (List<Object> r : rows) {
                if (r.size() != columns.size()) {
                    throw new IllegalArgumentException("table " + name + ": row has " + r.size()
                            + " values, expected " + columns.size());
                }
            }
        }
    }
}
