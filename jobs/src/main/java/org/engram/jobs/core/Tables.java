package org.engram.jobs.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.engram.jobs.config.Cell;

/** Lookups over aggregated rows that jobs use to derive their tables and figures. */
public final class Tables {
    private Tables() {
    }

    /** One metric's aggregates (by a handle its table gave out), read by cell. */
    public static Column metric(List<Aggregate> all, Metric metric) {
        return new Column(metric, all);
    }

    /** Distinct values of a numeric cell parameter, ascending. */
    public static double[] distinct(List<Cell> cells, String name, Predicate<Cell> filter) {
        return cells.stream().filter(filter).mapToDouble(c -> c.getDouble(name)).distinct().sorted().toArray();
    }

    public static double mean(Aggregate a) {
        return a == null ? Double.NaN : a.moments().mean();
    }

    /**
     * Lower and upper end of the 95% CI of the mean (NaN when fewer than two values): Wilson's for a proportion,
     * Student's t otherwise ({@link Moments#ci95}).
     */
    public static double[] ci(Aggregate a) {
        if (a == null) {
            return new double[] {Double.NaN, Double.NaN};
        }
        return a.moments().ci95();
    }

    /**
     * The 95% CI intersected with [min, max], the range the quantity cannot leave (an accuracy's [0, 1], say):
     * with few seeds the t-interval can reach past it; the true mean cannot.
     */
    public static double[] ci(Aggregate a, double min, double max) {
        double[] ci = ci(a);
        return new double[] {Math.max(min, ci[0]), Math.min(max, ci[1])};
    }

    /**
     * A human label for a cell among {@code all}: only the dimensions whose value differs between the cells, as
     * "name value" pairs ("hidden 100, variant td"), leaving out {@code except} (the figure's x axis); "" when nothing
     * differs. For legends, instead of a raw cell key.
     */
    public static String label(Cell cell, List<Cell> all, String... except) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cell.size(); i++) {
            String name = cell.name(i);
            if (java.util.Arrays.asList(except).contains(name)) {
                continue; // the figure's axis
            }
            Object v = cell.value(i);
            boolean varies = all.stream().anyMatch(o -> o.has(name) && !java.util.Objects.equals(o.get(name), v));
            if (varies) {
                sb.append(sb.length() == 0 ? "" : ", ").append(symbol(name)).append(" = ").append(Cell.format(v));
            }
        }
        return sb.toString();
    }

    /** The symbols the papers and the figures' axes use for grid parameters: beta → β, n → N, nv → N_v, … */
    private static final java.util.Map<String, String> SYMBOLS = java.util.Map.ofEntries(
            java.util.Map.entry("alpha", "α"), java.util.Map.entry("beta", "β"), java.util.Map.entry("gamma", "γ"),
            java.util.Map.entry("delta", "δ"), java.util.Map.entry("sigma", "σ"), java.util.Map.entry("lambda", "λ"),
            java.util.Map.entry("tau", "τ"), java.util.Map.entry("mu", "μ"), java.util.Map.entry("epsilon", "ε"),
            java.util.Map.entry("eps0", "ε0"), java.util.Map.entry("n", "N"), java.util.Map.entry("nv", "N_v"),
            java.util.Map.entry("nh", "N_h"), java.util.Map.entry("jd", "J_D"), java.util.Map.entry("t", "T"),
            java.util.Map.entry("tau-xi", "τ_Ξ"), java.util.Map.entry("hidden", "M"));

    /** A grid parameter as figures name it: its symbol where it has one, else its name. */
    public static String symbol(String name) {
        return SYMBOLS.getOrDefault(name, name);
    }

    public static List<Object> row(Object... values) {
        return new ArrayList<>(List.of(values));
    }

    /**
     * A per-epoch curve of one cell: the mean over seeds of a metric whose rows are the cell plus {@code epoch=e}
     * (e = 0 … epochs − 1, drawn at e + 1), with its 95% CI clipped to the metric's range [min, max], times
     * {@code scale}.
     */
    public static Figure.Series epochSeries(Column curve, Cell c, int epochs, double scale, double min,
                                            double max, String label) {
        double[] x = new double[epochs];
        double[] y = new double[epochs];
        double[] lo = new double[epochs];
        double[] hi = new double[epochs];
        for (int e = 0; e < epochs; e++) {
            Aggregate a = curve.get(Trials.extend(c, "epoch", (long) e));
            x[e] = e + 1;
            y[e] = scale * mean(a);
            double[] ci = ci(a, min, max);
            lo[e] = scale * ci[0];
            hi[e] = scale * ci[1];
        }
        return new Figure.Series(label, x, y, lo, hi);
    }
}
