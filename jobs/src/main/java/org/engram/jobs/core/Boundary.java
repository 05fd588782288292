package org.engram.jobs.core;

import java.util.List;
import java.util.function.Function;
import org.engram.jobs.config.Cell;

/**
 * A boundary an adaptive sweep can refine: a reading of each cell's aggregates as a side (a label — a regime,
 * "above" or "below" a threshold) and whether that side is decided (its confidence interval clears the rule) or
 * would change with more replicates. Cells whose neighbours are on another side are where the sweep refines; an
 * undecided cell gets more replicates first, when the sweep asks for them.
 *
 * <p>A job declares its boundaries in {@link Job#boundaries()} (named in {@code sweep.adaptive.boundary}); any
 * metric can also be cut at a threshold from the conf alone ({@link #threshold}).
 *
 * @param name   what {@code sweep.adaptive.boundary} calls it
 * @param doc    one line for {@code engram params}
 * @param reader the sides of the cells, from a run's settings and aggregates (read once per round)
 * @param <S>    the job's settings record
 */
public record Boundary<S extends Record>(String name, String doc, Reader<S> reader) {
    /** A cell's side: its label, and whether more replicates could still move it to another. */
    public record Side(String label, boolean decided) {
        /** Every trial of the cell failed: a side of its own, decided (more replicates would fail the same way). */
        public static final Side FAILED = new Side("failed", true);
    }

    /** Reads the sides of a run's cells. */
    @FunctionalInterface
    public interface Reader<S extends Record> {
        /** The side of each cell of the run, from its aggregates ({@code settings}: the sweep's, for its rules). */
        Function<Cell, Side> read(S settings, List<Aggregate> aggregates);
    }

    /** The side of {@code cell} against {@code at} on one metric: above (mean ≥ at) or below, decided when the CI clears it. */
    public static Side threshold(Column column, Cell cell, double at) {
        Aggregate a = column.get(cell);
        double mean = Tables.mean(a);
        if (Double.isNaN(mean)) {
            return Side.FAILED;
        }
        double[] ci = Tables.ci(a);
        // one value gives no interval: decided only by the sweep's cap on replicates
        boolean decided = !Double.isNaN(ci[0]) && (ci[0] >= at || ci[1] < at);
        return new Side(mean >= at ? "above" : "below", decided);
    }

    /** The boundary where {@code metric}'s mean crosses {@code at}. */
    public static <S extends Record> Boundary<S> threshold(Metric metric, double at) {
        return new Boundary<>(metric.name() + " = " + at, "where the mean of " + metric.table() + "." + metric.name()
                + " crosses " + at, (settings, aggregates) -> {
                    Column c = Tables.metric(aggregates, metric);
                    return cell -> threshold(c, cell, at);
                });
    }
}
