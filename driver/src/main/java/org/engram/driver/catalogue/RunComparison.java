package org.engram.driver.catalogue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.engram.export.CsvTables;
import org.engram.export.Plots;
import org.engram.export.TidyTable;
import org.engram.export.WideTable;
import org.engram.export.fs.HadoopFiles;
import org.engram.jobs.core.Figure;

/**
 * {@code engram compare <run> <run>}: two runs of one job, cell by cell — per (table, cell, metric) both means with
 * their 95% intervals and whether the intervals overlap, the cells only one run has, the settings that differ — as a
 * table ({@code compare.csv}), a page ({@code compare.html}) and each curve figure with both runs overlaid.
 */
public final class RunComparison {
    /** One (table, cell, metric): both runs' mean and interval (NaN where a run lacks it). */
    record Row(String table, String cell, String metric, double[] a, double[] b) {
        String in() {
            return a == null ? "b only" : b == null ? "a only" : "both";
        }

        Boolean overlap() {
            return a == null || b == null ? null : Nightly.overlap(a, b);
        }
    }

    public record Result(Catalogue.Run a, Catalogue.Run b, Map<String, String[]> settings, List<Row> rows,
                  List<String> figures) {
        long apart() {
            return rows.stream().filter(r -> Boolean.FALSE.equals(r.overlap())).count();
        }

        /** Per table: rows whose intervals overlap, rows apart, rows only in a, only in b. */
        Map<String, long[]> perTable() {
            Map<String, long[]> per = new LinkedHashMap<>();
            for (Row row : rows) {
                long[] c = per.computeIfAbsent(row.table(), k -> new long[4]);
                c[row.a() == null ? 3 : row.b() == null ? 2 : Boolean.FALSE.equals(row.overlap()) ? 1 : 0]++;
            }
            return per;
        }
    }

    private RunComparison() {
    }

    public static Result compare(Configuration conf, Catalogue.Run a, Catalogue.Run b, Path out) {
        if (!a.job().equals(b.job())) {
            throw new IllegalArgumentException("compare: " + a.runId() + " is a run of " + a.job() + " and " + b.runId()
                    + " of " + b.job() + ": compare two runs of one job");
        }
        Map<String, String[]> settings = Catalogue.diff(Catalogue.flatten(a.manifest().path("config")),
                Catalogue.flatten(b.manifest().path("config")));
        FileSystem fs = HadoopFiles.fs(a.dir(), conf);
        List<Row> rows = new ArrayList<>();
        try {
            for (String table : tables(fs, a.dir(), b.dir())) {
                Map<String, double[]> ka = read(fs, new Path(a.dir(), "aggregated/" + table + ".csv"));
                Map<String, double[]> kb = read(fs, new Path(b.dir(), "aggregated/" + table + ".csv"));
                java.util.Set<String> keys = new java.util.LinkedHashSet<>(ka.keySet());
                keys.addAll(kb.keySet());
                for (String k : keys) {
                    // Nightly's key: the cell's parameters "n=100,d=1.0," then the metric
                    int cut = k.lastIndexOf(',');
                    rows.add(new Row(table, cut < 0 ? "" : k.substring(0, cut).replace(",", ", "),
                            k.substring(cut + 1), ka.get(k), kb.get(k)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the runs' tables", e);
        }
        List<String> figures = overlay(conf, a, b, out);
        Result r = new Result(a, b, settings, rows, figures);
        write(conf, r, out);
        return r;
    }

    /** The aggregated tables both runs may have (long form, the wall-clock timing table left out). */
    private static List<String> tables(FileSystem fs, Path... dirs) throws IOException {
        java.util.Set<String> names = new java.util.TreeSet<>();
        for (Path d : dirs) {
            Path agg = new Path(d, "aggregated");
            if (!fs.exists(agg)) {
                continue;
            }
            for (FileStatus st : fs.listStatus(agg)) {
                String n = st.getPath().getName();
                if (n.endsWith(".csv") && !n.endsWith(WideTable.SUFFIX) && !n.equals(Nightly.TIMING)) {
                    names.add(n.substring(0, n.length() - 4));
                }
            }
        }
        return new ArrayList<>(names);
    }

    /** (cell parameters + metric) → {mean, ci95_low, ci95_high}, as the nightly comparison reads them; empty when absent. */
    private static Map<String, double[]> read(FileSystem fs, Path csv) throws IOException {
        return fs.exists(csv) ? Nightly.read(fs, csv) : Map.of();
    }

    /** Each curve figure both runs drew, redrawn with both runs' series (labelled by run); returns their files. */
    private static List<String> overlay(Configuration conf, Catalogue.Run a, Catalogue.Run b, Path out) {
        List<String> files = new ArrayList<>();
        Map<String, JsonNode> inB = new LinkedHashMap<>();
        b.manifest().path("figures").forEach(f -> inB.put(f.path("name").asText(), f));
        FileSystem fs = HadoopFiles.fs(a.dir(), conf);
        for (JsonNode f : a.manifest().path("figures")) {
            String name = f.path("name").asText();
            if (!f.path("kind").asText().equals("curves") || !inB.containsKey(name)) {
                continue;
            }
            try {
                List<Figure.Series> series = new ArrayList<>(series(fs, new Path(a.dir(), f.path("data").asText()),
                        label(a)));
                series.addAll(series(fs, new Path(b.dir(), inB.get(name).path("data").asText()), label(b)));
                Figure.Curves c = new Figure.Curves(name, f.path("title").asText() + " — " + label(a) + " vs "
                        + label(b), f.path("x_label").asText(), f.path("log_x").asBoolean(), f.path("y_label").asText(),
                        f.path("log_y").asBoolean(), series);
                HadoopFiles.write(new Path(out, name + ".png"), conf, Plots.png(c));
                files.add(name + ".png");
            } catch (IOException | RuntimeException e) {
                // a figure that cannot be read back is left out of the overlay; the tables are compared regardless
            }
        }
        return files;
    }

    static String label(Catalogue.Run r) {
        return r.name() != null ? r.name() : r.runId();
    }

    private static List<Figure.Series> series(FileSystem fs, Path csv, String run) throws IOException {
        Map<String, List<CSVRecord>> bySeries = new LinkedHashMap<>();
        try (InputStreamReader r = new InputStreamReader(fs.open(csv), StandardCharsets.UTF_8)) {
            for (CSVRecord rec : CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(r)) {
                bySeries.computeIfAbsent(rec.get("series"), k -> new ArrayList<>()).add(rec);
            }
        }
        List<Figure.Series> out = new ArrayList<>();
        for (List<CSVRecord> pts : bySeries.values()) {
            int n = pts.size();
            double[] x = new double[n];
            double[] y = new double[n];
            double[] lo = new double[n];
            double[] hi = new double[n];
            for (int i = 0; i < n; i++) {
                x[i] = num(pts.get(i).get("x"));
                y[i] = num(pts.get(i).get("y"));
                lo[i] = num(pts.get(i).get("ci95_low"));
                hi[i] = num(pts.get(i).get("ci95_high"));
            }
            out.add(new Figure.Series(run + ": " + pts.get(0).get("label"), x, y, lo, hi,
                    Boolean.parseBoolean(pts.get(0).get("dashed"))));
        }
        return out;
    }

    private static double num(String s) {
        return s.isEmpty() || s.equals("NaN") ? Double.NaN : Double.parseDouble(s);
    }

    private static void write(Configuration conf, Result r, Path out) {
        List<TidyTable.Column> cols = new ArrayList<>();
        for (String c : List.of("table", "cell", "metric", "in")) {
            cols.add(new TidyTable.Column(c, TidyTable.Type.STRING));
        }
        for (String run : List.of("a", "b")) {
            for (String c : List.of("mean_", "ci95_low_", "ci95_high_")) {
                cols.add(new TidyTable.Column(c + run, TidyTable.Type.DOUBLE));
            }
        }
        cols.add(new TidyTable.Column("overlap", TidyTable.Type.STRING));
        List<List<Object>> data = new ArrayList<>();
        for (Row row : r.rows()) {
            List<Object> d = new ArrayList<>(List.of(row.table(), row.cell(), row.metric(), row.in()));
            for (double[] v : new double[][] {row.a(), row.b()}) {
                for (int i = 0; i < 3; i++) {
                    d.add(v == null ? Double.NaN : v[i]);
                }
            }
            d.add(row.overlap() == null ? "" : row.overlap().toString());
            data.add(d);
        }
        CsvTables.write(new TidyTable("compare", cols, data), new Path(out, "compare.csv"), conf);
        HadoopFiles.write(new Path(out, "compare.html"), conf, html(r));
    }

    private static String esc(String s) {
        return org.jsoup.nodes.Entities.escape(s == null ? "" : s);
    }

    private static String fmt(double[] v) {
        return v == null ? "—" : String.format(Locale.ROOT, "%.6g [%.6g, %.6g]", v[0], v[1], v[2]);
    }

    /** The comparison as a page: the settings that differ, each table's summary, the rows apart, the figures. */
    static String html(Result r) {
        StringBuilder b = new StringBuilder("<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>");
        String a = label(r.a());
        String bb = label(r.b());
        b.append(esc(a)).append(" vs ").append(esc(bb)).append("</title><style>body{font-family:sans-serif;margin:2em}"
                + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px;font-size:13px}"
                + ".apart{background:#fde0dc}img{max-width:100%}</style></head><body>\n");
        b.append("<h1>").append(esc(r.a().job())).append(": <span class=\"a\">").append(esc(a))
                .append("</span> vs <span class=\"b\">").append(esc(bb)).append("</span></h1>\n");
        b.append("<p>a: ").append(esc(r.a().sweep() + "/" + r.a().runId())).append(" · b: ")
                .append(esc(r.b().sweep() + "/" + r.b().runId())).append("</p>\n<h2>Settings that differ</h2>\n");
        if (r.settings().isEmpty()) {
            b.append("<p>none</p>\n");
        } else {
            b.append("<table id=\"settings\"><tr><th>setting</th><th>a</th><th>b</th></tr>\n");
            r.settings().forEach((k, v) -> b.append("<tr><td>").append(esc(k)).append("</td><td>").append(esc(v[0]))
                    .append("</td><td>").append(esc(v[1])).append("</td></tr>\n"));
            b.append("</table>\n");
        }
        b.append("<h2>Tables</h2>\n<table id=\"summary\"><tr><th>table</th><th>rows in both</th><th>intervals apart"
                + "</th><th>only in a</th><th>only in b</th></tr>\n");
        Map<String, long[]> per = r.perTable();
        per.forEach((t, c) -> b.append("<tr><td>").append(esc(t)).append("</td><td>").append(c[0] + c[1])
                .append("</td><td>").append(c[1]).append("</td><td>").append(c[2]).append("</td><td>").append(c[3])
                .append("</td></tr>\n"));
        b.append("</table>\n<h2>Cells whose 95% intervals do not overlap, and cells of one run only</h2>\n");
        b.append("<table id=\"rows\"><tr><th>table</th><th>cell</th><th>metric</th><th>a</th><th>b</th></tr>\n");
        for (Row row : r.rows()) {
            if (Boolean.TRUE.equals(row.overlap())) {
                continue;
            }
            b.append("<tr class=\"apart\"><td>").append(esc(row.table())).append("</td><td>").append(esc(row.cell()))
                    .append("</td><td>").append(esc(row.metric())).append("</td><td>").append(fmt(row.a()))
                    .append("</td><td>").append(fmt(row.b())).append("</td></tr>\n");
        }
        b.append("</table>\n<p>Every row: <a href=\"compare.csv\">compare.csv</a></p>\n");
        if (!r.figures().isEmpty()) {
            b.append("<h2>Figures, both runs</h2>\n");
            for (String f : r.figures()) {
                b.append("<figure><img src=\"").append(esc(f)).append("\" alt=\"").append(esc(f))
                        .append("\"></figure>\n");
            }
        }
        return b.append("</body></html>\n").toString();
    }

    /** The console's summary: settings, each table's counts, and the first rows apart. */
    public static void print(Result r, Path out, PrintStream console) {
        console.printf("engram compare: %s (a) vs %s (b), job %s%n", label(r.a()), label(r.b()), r.a().job());
        console.printf("settings that differ: %s%n", r.settings().isEmpty() ? "none" : "");
        r.settings().forEach((k, v) -> console.printf("  %s: %s -> %s%n", k, v[0], v[1]));
        Map<String, long[]> per = r.perTable();
        per.forEach((t, c) -> console.printf("table %s: %d (cell, metric) rows in both, %d with intervals apart, %d only "
                + "in a, %d only in b%n", t, c[0] + c[1], c[1], c[2], c[3]));
        r.rows().stream().filter(x -> Boolean.FALSE.equals(x.overlap())).limit(10).forEach(x -> console.printf(
                "  apart: %s %s %s: %s -> %s%n", x.table(), x.cell(), x.metric(), fmt(x.a()), fmt(x.b())));
        if (r.apart() > 10) {
            console.printf("  … %d more in compare.csv%n", r.apart() - 10);
        }
        console.printf("written: %s/compare.csv, compare.html%s%n", out, r.figures().isEmpty() ? ""
                : " and " + r.figures().size() + " overlaid figures");
    }
}
