package org.engram.export;

import java.util.List;

/**
 * A table ready to export: column names with their types and rows of values (Long, Double, String,
 * Boolean or null). CSV and Parquet are written from the same object so the two always agree.
 */
public record TidyTable(String name, List<Column> columns, List<List<Object>> rows) {
    /** Column value types. */
    public enum Type { LONG, DOUBLE, STRING, BOOLEAN }

    public record Column(String name, Type type) {
    }

    public TidyTable {
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
    }

    /** Infers column types from the first non-null value of each column (STRING when all are null). */
    public static TidyTable infer(String name, List<String> names, List<List<Object>> rows) {
        List<Column> cols = new java.util.ArrayList<>();
        for (int c = 0; c < names.size(); c++) {
            Type t = Type.STRING;
            for (List<Object> r : rows) {
                Object v = r.get(c);
                if (v != null) {
                    t = typeOf(v);
                    break;
                }
            }
            cols.add(new Column(names.get(c), t));
        }
        return new TidyTable(name, cols, rows);
    }

    public static Type typeOf(Object v) {
        if (v instanceof Long || v instanceof Integer) {
            return Type.LONG;
        }
        if (v instanceof Double || v instanceof Float) {
            return Type.DOUBLE;
        }
        if (v instanceof Boolean) {
            return Type.BOOLEAN;
        }
        return Type.STRING;
    }
}
