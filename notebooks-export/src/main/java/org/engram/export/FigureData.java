package org.engram.export;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.engram.export.fs.HadoopFiles;
import org.engram.jobs.core.Figure;

/**
 * A figure's data as tables beside its PNG, so that a notebook, R or a plotting tool redraws it without Engram:
 * <ul>
 *   <li>curves: {@code plots/<name>.csv}, one row per point: {@code series} (0, 1, … in drawing order),
 *   {@code label}, {@code dashed}, {@code x}, {@code y}, {@code ci95_low}, {@code ci95_high} (NaN where no band);</li>
 *   <li>heatmaps: {@code plots/<name>.csv}, one row per cell: {@code x}, {@code y}, {@code z}, {@code label} (the
 *   text written on the cell, e.g. the regime); {@code plots/<name>.matrix.csv}, the matrix form that
 *   {@code imshow} / {@code pcolormesh} take (first column the y values, header the x values, z[row][col]); and
 *   {@code plots/<name>.overlays.csv} ({@code series}, {@code label}, {@code x}, {@code y}) when lines are drawn
 *   over it.</li>
 * </ul>
 * {@link #describe} is the figure's entry in the manifest ({@code "figures"}): titles, axis labels and scales.
 */
public final class FigureData {
    public static final List<String> CURVE_COLUMNS = List.of("series", "label", "dashed", "x", "y", "ci95_low",
            "ci95_high");
    public static final List<String> HEATMAP_COLUMNS = List.of("x", "y", "z", "label");
    public static final List<String> TILE_COLUMNS = List.of("x_low", "x_high", "y_low", "y_high", "label");
    public static final List<String> OVERLAY_COLUMNS = List.of("series", "label", "x", "y");

    private FigureData() {
    }

    /** The long table of a figure's points (curves) or cells (heatmap). */
    public static TidyTable points(Figure f) {
        List<List<Object>> rows = new ArrayList<>();
        if (f instanceof Figure.Heatmap h) {
            for (int r = 0; r < h.ys().length; r++) {
                for (int c = 0; c < h.xs().length; c++) {
                    String label = h.labels() == null || h.labels().length == 0 || h.labels()[r][c] == null
                            ? "" : h.labels()[r][c];
                    rows.add(List.of(h.xs()[c], h.ys()[r], h.z()[r][c], label));
                }
            }
            return new TidyTable(f.name(), columns(HEATMAP_COLUMNS, TidyTable.Type.DOUBLE, TidyTable.Type.DOUBLE,
                    TidyTable.Type.DOUBLE, TidyTable.Type.STRING), rows);
        }
        if (f instanceof Figure.Tiles t) {
            for (Figure.Tile x : t.tiles()) {
                rows.add(List.of(x.xLow(), x.xHigh(), x.yLow(), x.yHigh(), x.label()));
            }
            return new TidyTable(f.name(), columns(TILE_COLUMNS, TidyTable.Type.DOUBLE, TidyTable.Type.DOUBLE,
                    TidyTable.Type.DOUBLE, TidyTable.Type.DOUBLE, TidyTable.Type.STRING), rows);
        }
        return seriesTable(f.name(), ((Figure.Curves) f).series(), true);
    }

    /** The lines drawn over a heatmap or tiles, or null when there are none (or the figure has none). */
    public static TidyTable overlays(Figure f) {
        List<Figure.Series> lines = f instanceof Figure.Heatmap h ? h.overlays()
                : f instanceof Figure.Tiles t ? t.lines() : List.of();
        if (lines.isEmpty()) {
            return null;
        }
        return seriesTable(f.name() + ".overlays", lines, false);
    }

    private static TidyTable seriesTable(String name, List<Figure.Series> series, boolean bands) {
        List<List<Object>> rows = new ArrayList<>();
        for (int s = 0; s < series.size(); s++) {
            Figure.Series one = series.get(s);
            for (int i = 0; i < one.x().length; i++) {
                List<Object> row = new ArrayList<>(List.of((long) s, one.label()));
                if (bands) {
                    row.add(one.dashed());
                }
                row.add(one.x()[i]);
                row.add(one.y()[i]);
                if (bands) {
                    row.add(one.lower() == null ? Double.NaN : one.lower()[i]);
                    row.add(one.upper() == null ? Double.NaN : one.upper()[i]);
                }
                rows.add(row);
            }
        }
        return bands
                ? new TidyTable(name, columns(CURVE_COLUMNS, TidyTable.Type.LONG, TidyTable.Type.STRING,
                TidyTable.Type.BOOLEAN, TidyTable.Type.DOUBLE, TidyTable.Type.DOUBLE, TidyTable.Type.DOUBLE,
                TidyTable.Type.DOUBLE), rows)
                : new TidyTable(name, columns(OVERLAY_COLUMNS, TidyTable.Type.LONG, TidyTable.Type.STRING,
                TidyTable.Type.DOUBLE, TidyTable.Type.DOUBLE), rows);
    }

    private static List<TidyTable.Column> columns(List<String> names, TidyTable.Type... types) {
        List<TidyTable.Column> out = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            out.add(new TidyTable.Column(names.get(i), types[i]));
        }
        return out;
    }

    /**
     * A heatmap as a matrix: header {@code "<y label> \ <x label>"} then the x values; each row the y value then
     * z[row][col] ({@code pandas.read_csv(f, index_col=0)} gives the frame {@code pcolormesh} draws).
     */
    public static String matrixCsv(Figure.Heatmap h) {
        StringWriter w = new StringWriter();
        try (CSVPrinter p = new CSVPrinter(w, CSVFormat.RFC4180.builder().setRecordSeparator('\n').get())) {
            List<Object> header = new ArrayList<>();
            header.add(h.yLabel() + " \\ " + h.xLabel());
            for (double x : h.xs()) {
                header.add(CsvTables.format(x));
            }
            p.printRecord(header);
            for (int r = 0; r < h.ys().length; r++) {
                List<Object> row = new ArrayList<>();
                row.add(CsvTables.format(h.ys()[r]));
                for (double z : h.z()[r]) {
                    row.add(CsvTables.format(z));
                }
                p.printRecord(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    /** The files a figure is written to, relative to the run folder: the PNG first, then its data. */
    public static List<String> files(Figure f) {
        List<String> out = new ArrayList<>(List.of(file(f, ".png"), file(f, ".svg"), file(f, ".csv")));
        if (f instanceof Figure.Heatmap h) {
            out.add(file(f, ".matrix.csv"));
        }
        if (overlays(f) != null) {
            out.add(file(f, ".overlays.csv"));
        }
        return out;
    }

    private static String file(Figure f, String suffix) {
        return "plots/" + f.name() + suffix;
    }

    /** Writes the figure's PNG and its data files (those of {@link #files}) under the run folder {@code dir}. */
    public static void write(Figure f, Path dir, Configuration hconf) {
        HadoopFiles.write(new Path(dir, file(f, ".png")), hconf, Plots.png(f));
        HadoopFiles.write(new Path(dir, file(f, ".svg")), hconf, Plots.svg(f));
        CsvTables.write(points(f), new Path(dir, file(f, ".csv")), hconf);
        if (f instanceof Figure.Heatmap h) {
            HadoopFiles.write(new Path(dir, file(f, ".matrix.csv")), hconf, matrixCsv(h));
        }
        TidyTable overlays = overlays(f);
        if (overlays != null) {
            CsvTables.write(overlays, new Path(dir, file(f, ".overlays.csv")), hconf);
        }
    }

    /** The figure's manifest entry: what to draw and how to label it. */
    public static Map<String, Object> describe(Figure f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", f.name());
        m.put("png", file(f, ".png"));
        m.put("svg", file(f, ".svg"));
        m.put("data", file(f, ".csv"));
        m.put("kind", f instanceof Figure.Heatmap ? "heatmap" : f instanceof Figure.Tiles ? "tiles" : "curves");
        m.put("title", f.title());
        m.put("x_label", f.xLabel());
        m.put("y_label", f.yLabel());
        m.put("log_x", f.logX());
        if (f instanceof Figure.Heatmap h) {
            m.put("z_label", h.zLabel());
            m.put("log_y", false);
            m.put("legend", h.legend() == null ? "" : h.legend());
            m.put("matrix", file(f, ".matrix.csv"));
            m.put("overlays", h.overlays().isEmpty() ? null : file(f, ".overlays.csv"));
            m.put("columns", HEATMAP_COLUMNS);
        } else if (f instanceof Figure.Tiles t) {
            m.put("log_y", t.logY());
            m.put("legend", t.legend() == null ? "" : t.legend());
            m.put("overlays", t.lines().isEmpty() ? null : file(f, ".overlays.csv"));
            m.put("columns", TILE_COLUMNS);
        } else {
            Figure.Curves c = (Figure.Curves) f;
            m.put("log_y", c.logY());
            m.put("integer_x", c.series().stream().allMatch(FigureData::integral));
            m.put("columns", CURVE_COLUMNS);
        }
        return m;
    }

    private static boolean integral(Figure.Series s) {
        for (double x : s.x()) {
            if (!Double.isNaN(x) && x != Math.rint(x)) {
                return false;
            }
        }
        return true;
    }
}
