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

    /**
     * A small table in tidy format: named columns, rows of Long, Double, String or Boolean values. The
     * description says what a row is and what its columns mean; it goes into the run's table dictionary
     * (manifest.json and tables.md), so that a table opened in a notebook can be read without the code.
     */
    public record DerivedTable(String name, String description, List<String> columns, List<List<Object>> rows) {
        public DerivedTable {
            if (description == null || description.isBlank()) {
                throw new IllegalArgumentException("table " + name + " has no description");
            }
            columns = List.copyOf(columns);
            rows = List.copyOf(rows);
            for (List<Object> r : rows) {
                if (r.size() != columns.size()) {
                    throw new IllegalArgumentException("table " + name + ": row has " + r.size()
                            + " values, expected " + columns.size());
                }
            }
        }

        /** The value of {@code column} in row {@code row} (from 0): a row read by its column's name. */
        public Object value(int row, String column) {
            int i = columns.indexOf(column);
            if (i < 0) {
                throw new IllegalArgumentException("table " + name + " has no column '" + column + "': " + columns);
            }
            return rows.get(row).get(i);
        }
    }
}
