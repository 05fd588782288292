package org.engram.driver.output;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.engram.export.FigureData;
import org.engram.export.TidyTable;
import org.engram.export.WideTable;
import org.engram.jobs.core.Aggregate;
import org.engram.jobs.core.Derived;
import org.engram.jobs.core.Figure;
import org.engram.jobs.core.Plan;
import org.engram.jobs.core.TableSpec;

/**
 * What every table of a run is: its files, what a row is, its columns. Goes into manifest.json
 * ("tables") and, rendered, into tables.md beside the tables, so that a table opened in a notebook
 * can be read without the code.
 */
public final class TableDictionary {
    static final String AGGREGATED = "aggregated over each cell's replicates: one row per (cell, metric) with trials "
            + "(replicates run), failed, count (finite values), mean, std, sem, ci95_low / ci95_high (the mean's 95% "
            + "interval: Wilson's score interval when every value is 0 or 1 — a proportion — else Student's t), min, max of the metric over the replicates. Each replicate is a raw row: ";
    static final String RAW = "one row per trial (replicate) with the cell's parameters, replicate, seed (derived from "
            + "sweep, cell and replicate), status (ok / failed), message (the failure), and the metrics: ";
    static final String FAILURES = "one row per (table, cell) with failed trials: trials, failed, and the message of "
            + "the lowest failed replicate (empty when nothing failed)";

    static final String WIDE = "the aggregated table's wide summary: one row per cell with its parameters, trials, and "
            + "per metric <metric> (the mean over replicates), <metric>_ci95_low and <metric>_ci95_high (the interval "
            + "of the aggregated table), metrics in order. Each replicate is a raw row: ";

    private final List<Map<String, Object>> entries = new ArrayList<>();

    /** The aggregated and raw tables of the plan (those with rows), the failures table and the derived tables. */
    public static TableDictionary of(Plan<?> plan, List<TidyTable> aggregated, List<TidyTable> wide, List<Aggregate> aggregates,
                              Derived derived) {
        TableDictionary d = new TableDictionary();
        for (TidyTable t : aggregated) {
            d.add(t.name(), "aggregated", List.of("aggregated/" + t.name() + ".csv", "aggregated/" + t.name() + ".parquet"),
                    AGGREGATED + plan.table(t.name()).description() + optional(plan.table(t.name())), names(t.columns()));
        }
        for (TableSpec spec : plan.tables()) {
            Aggregate first = aggregates.stream().filter(a -> a.table().equals(spec.name())).findFirst().orElse(null);
            d.add(spec.name(), "raw", List.of("raw/" + spec.name() + "/part-*.parquet"),
                    RAW + spec.description() + optional(spec) + (first == null ? " (no rows in this run)" : ""),
                    first == null ? List.of() : names(RawRows.columns(first.cell(), spec)));
        }
        d.add("failures", "failures", List.of("failures.csv"), FAILURES,
                List.of("table", "cell", "trials", "failed", "first_failure"));
        for (TidyTable t : wide) {
            d.add(t.name() + ".wide", "wide", List.of("aggregated/" + t.name() + WideTable.SUFFIX), WIDE
                    + plan.table(t.name()).description(), names(t.columns()));
        }
        for (Derived.DerivedTable t : derived.tables()) {
            d.add(t.name(), "derived", List.of("derived/" + t.name() + ".csv", "derived/" + t.name() + ".parquet"),
                    t.description(), t.columns());
        }
        for (Figure f : derived.figures()) {
            d.add(f.name(), "figure", FigureData.files(f), figure(f), f instanceof Figure.Heatmap
                    ? FigureData.HEATMAP_COLUMNS : f instanceof Figure.Tiles ? FigureData.TILE_COLUMNS
                    : FigureData.CURVE_COLUMNS);
        }
        return d;
    }

    /** A figure's entry: what is drawn, with the axes' labels (they carry the symbols and units). */
    private static String figure(Figure f) {
        if (f instanceof Figure.Heatmap h) {
            return "data of the heatmap '" + h.title() + "': one row per cell, x = " + h.xLabel() + ", y = "
                    + h.yLabel() + ", z = " + h.zLabel() + ", label = the text on the cell"
                    + (h.legend() == null || h.legend().isEmpty() ? "" : " (" + h.legend() + ")")
                    + "; the .matrix.csv holds z with the y values down its first column and the x values across its "
                    + "header (what imshow / pcolormesh take)"
                    + (h.overlays().isEmpty() ? "" : "; .overlays.csv the lines drawn over it (series, label, x, y)");
        }
        if (f instanceof Figure.Tiles t) {
            return "data of the figure '" + t.title() + "': one row per computed cell, the rectangle it stands for "
                    + "(x = " + t.xLabel() + ", y = " + t.yLabel() + ", from _low to _high: as large as the lattice "
                    + "was fine where the cell was computed) and its label (" + t.legend() + ")"
                    + (t.lines().isEmpty() ? "" : "; .overlays.csv the boundary drawn over it (segments separated by "
                    + "NaN)");
        }
        Figure.Curves c = (Figure.Curves) f;
        return "data of the plot '" + c.title() + "': one row per point, series (0, 1, … in drawing order) with its "
                + "label, dashed (a theory drawn in the colour of the series before it), x = " + c.xLabel() + ", y = "
                + c.yLabel() + ", ci95_low / ci95_high the band drawn (NaN where none)";
    }

    private static String optional(TableSpec spec) {
        return spec.optional().isEmpty() ? "" : " (NaN where a variant does not measure " + String.join(", ",
                spec.metrics().stream().filter(spec.optional()::contains).toList()) + ")";
    }

    private static List<String> names(List<TidyTable.Column> cols) {
        return cols.stream().map(TidyTable.Column::name).toList();
    }

    private void add(String name, String kind, List<String> files, String description, List<String> columns) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("name", name);
        e.put("kind", kind);
        e.put("files", files);
        e.put("description", description);
        e.put("columns", List.copyOf(columns));
        entries.add(e);
    }

    /** For the manifest: one object per table file set. */
    public List<Map<String, Object>> entries() {
        return entries;
    }

    /** tables.md: a section per table with its files, what a row is, and its columns. */
    @SuppressWarnings("unchecked")
    public String markdown(String sweep, String job) {
        StringBuilder b = new StringBuilder();
        b.append("# Tables of ").append(sweep).append(" (job ").append(job).append(")\n\n");
        b.append("CSV and Parquet hold the same rows. manifest.json has this list under \"tables\", and the run's ")
                .append("configuration, code version, runtime and datasets.\n");
        for (Map<String, Object> e : entries) {
            b.append("\n## ").append(e.get("kind")).append(": ").append(e.get("name")).append("\n\n");
            b.append(String.join(", ", ((List<String>) e.get("files")).stream().map(f -> "`" + f + "`").toList()))
                    .append("\n\n");
            b.append(e.get("description")).append(".\n\n");
            b.append("Columns: ").append(String.join(", ",
                    ((List<String>) e.get("columns")).stream().map(c -> "`" + c + "`").toList())).append("\n");
        }
        return b.toString();
    }
}
