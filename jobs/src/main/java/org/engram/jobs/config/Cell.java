package org.engram.jobs.config;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One point of a sweep's grid: named parameter values in grid order, with a canonical key
 * ({@code n=1000,d=1.1,a=0.5}) from which trial seeds derive. Values are {@link Long}, {@link Double}
 * or {@link String}; doubles print in their shortest exact form so the key never depends on locale.
 */
public final class Cell implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int index;
    private final String[] names;
    private final Object[] values;
    private final String key;

    public Cell(int index, String[] names, Object[] values) {
        if (names.length != values.length) {
            throw new IllegalArgumentException("a cell needs one value per name: " + names.length + " names, "
                    + values.length + " values");
        }
        this.index = index;
        this.names = names.clone();
        this.values = values.clone();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < names.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(names[i]).append('=').append(format(values[i]));
        }
        this.key = sb.toString();
    }

    public static String format(Object v) {
        if (v instanceof Double d) {
            double x = d;
            if (x == Math.rint(x) && Math.abs(x) < 1e15) {
                return Long.toString((long) x);
            }
            return Double.toString(x);
        }
        return String.valueOf(v);
    }

    /** Position of the cell in grid order (the order of every output table). */
    public int index() {
        return index;
    }

    public String key() {
        return key;
    }

    public String[] names() {
        return names.clone();
    }

    public int size() {
        return names.length;
    }

    public String name(int i) {
        return names[i];
    }

    public Object value(int i) {
        return values[i];
    }

    public boolean has(String name) {
        return position(name) >= 0;
    }

    /**
     * This cell without one coordinate (itself when it has none of that name): what cells that differ only in that
     * parameter share — the group of a curve drawn along it.
     */
    public Cell without(String name) {
        int k = position(name);
        if (k < 0) {
            return this;
        }
        String[] n = new String[names.length - 1];
        Object[] v = new Object[values.length - 1];
        for (int i = 0, j = 0; i < names.length; i++) {
            if (i != k) {
                n[j] = names[i];
                v[j++] = values[i];
            }
        }
        return new Cell(index, n, v);
    }

    private int position(String name) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    public Object get(String name) {
        int p = position(name);
        if (p < 0) {
            throw new IllegalArgumentException("cell " + key + " has no parameter '" + name + "'");
        }
        return values[p];
    }

    public double getDouble(String name) {
        return ((Number) get(name)).doubleValue();
    }

    public int getInt(String name) {
        return Math.toIntExact(Math.round(getDouble(name)));
    }

    /** A cell with only the named parameters (e.g. the (n) of an (n, jd) cell), for derived tables. */
    public Cell project(int newIndex, String... keep) {
        Object[] v = new Object[keep.length];
        for (int i = 0; i < keep.length; i++) {
            v[i] = get(keep[i]);
        }
        return new Cell(newIndex, keep, v);
    }

    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < names.length; i++) {
            m.put(names[i], values[i]);
        }
        return m;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cell c && c.index == index && c.key.equals(key);
    }

    @Override
    public int hashCode() {
        return Objects.hash(index, key);
    }

    @Override
    public String toString() {
        return key;
    }
}
