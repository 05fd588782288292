package org.engram.jobs.unlearning;

import com.typesafe.config.Config;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.engram.jobs.config.Cell;
import org.engram.jobs.config.Problems;
import org.engram.jobs.core.Aggregate;
import org.engram.jobs.core.Column;
import org.engram.jobs.core.Figure;
import org.engram.jobs.core.Tables;

/** What the unlearning-paper jobs share: the loading check, cell-key grouping and curve helpers. */
final class Hopfields {
    private Hopfields() {
    }

    /** P = round(αN). */
    static int patterns(double alpha, int n) {
        return (int) Math.round(alpha * n);
    }

    /** Reports a cell whose loading stores no pattern (α·N < 1), by key. */
    static void checkLoading(Config conf, Cell c, int size, double alpha, Problems problems) {
        if (alpha * size < 1 - 1e-9) {
            problems.at(conf, "grid.alpha", "α·N = " + alpha + " × " + size + " < 1 stores no pattern "
                    + "(cell " + c.key() + ")");
        }
    }

    /** The largest x (xs ascending) such that y ≥ threshold there and at every smaller x; NaN if the first fails. */
    static double lastAbove(double[] xs, double[] ys, double threshold) {
        double last = Double.NaN;
        for (int i = 0; i < xs.length && ys[i] >= threshold; i++) {
            last = xs[i];
        }
        return last;
    }

    /**
     * Curves of one metric of a per-checkpoint table whose last cell coordinate is the x value: one series per cell
     * without that coordinate, x sorted.
     */
    static List<Figure.Series> lastCoordinateSeries(Column column, String labelPrefix) {
        Map<String, TreeMap<Double, Aggregate>> byCell = new LinkedHashMap<>();
        List<Cell> cells = new ArrayList<>();
        String xName = null;
        for (Aggregate a : column.all()) {
            Cell c = a.cell();
            xName = c.name(c.size() - 1);
            double x = ((Number) c.value(c.size() - 1)).doubleValue();
            byCell.computeIfAbsent(c.without(xName).key(), k -> new TreeMap<>()).put(x, a);
            cells.add(c);
        }
        List<Figure.Series> out = new ArrayList<>();
        for (Map.Entry<String, TreeMap<Double, Aggregate>> e : byCell.entrySet()) {
            int size = e.getValue().size();
            double[] x = new double[size];
            double[] y = new double[size];
            double[] lo = new double[size];
            double[] hi = new double[size];
            int i = 0;
            for (Map.Entry<Double, Aggregate> p : e.getValue().entrySet()) {
                x[i] = p.getKey();
                y[i] = Tables.mean(p.getValue());
                double[] ci = Tables.ci(p.getValue());
                lo[i] = ci[0];
                hi[i] = ci[1];
                i++;
            }
            // a human label naming only what differs between the curves ('rule unlearning, alpha 0.05')
            String label = Tables.label(e.getValue().firstEntry().getValue().cell(), cells, xName);
            out.add(new Figure.Series(labelPrefix + (label.isEmpty() ? column.metric().name() : label), x, y, lo, hi));
        }
        return out;
    }
}
