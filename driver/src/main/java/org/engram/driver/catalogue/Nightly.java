package org.engram.driver.catalogue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
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
import org.engram.driver.engine.DriverSettings;
import org.engram.driver.engine.RunOptions;
import org.engram.driver.engine.RunResult;
import org.engram.driver.engine.SweepRunner;
import org.engram.export.WideTable;
import org.engram.export.fs.HadoopFiles;
import org.engram.jobs.config.Problems;
import org.engram.jobs.sweep.PreparedSweep;

/**
 * {@code engram nightly <dir>}: runs every sweep of a folder incrementally (the ledger replays what
 * earlier nights computed), then compares each sweep's aggregated tables with its previous run:
 * cells whose 95% confidence intervals no longer overlap are flagged, new and vanished cells listed (the
 * wall-clock timing table is left out: it moves with the host's load, not with the science).
 * The report is Markdown, written next to the results.
 */
public final class Nightly {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    /** How one table changed between two runs. */
    public record Comparison(String table, int cells, List<String> flagged, List<String> added, List<String> vanished) {
    }

    /** The outcome of one sweep of the night. */
    public record Outcome(String conf, String sweep, String status, RunResult result, String previous,
                          List<Comparison> comparisons) {
    }

    private final PrintStream console;
    private final Configuration hconf = new Configuration();

    public Nightly(PrintStream console) {
        this.console = console;
    }

    /** Runs the night; returns the outcomes (the report is written to {@code report}). */
    public List<Outcome> run(File dir, RunOptions base, String report) {
        File[] confs = dir.listFiles((d, n) -> n.endsWith(".conf"));
        if (confs == null || confs.length == 0) {
            throw new IllegalArgumentException("no .conf files in " + dir);
        }
        Arrays.sort(confs);
        String stamp = STAMP.format(Instant.now());
        List<Outcome> outcomes = new ArrayList<>();
        for (File conf : confs) {
            console.printf("[nightly] %s%n", conf);
            try {
                PreparedSweep<?> p = DriverSettings.prepare(conf, List.of());
                String runId = "nightly-" + stamp;
                RunOptions opt = new RunOptions(base.master(), base.sparkConf(), base.output(), runId, base.quiet(),
                        base.force());
                RunResult r = new SweepRunner(console).run(p, opt);
                Path current = new Path(r.outputDir());
                Path previous = previousRun(current);
                List<Comparison> comparisons = previous == null ? List.of() : compare(previous, current);
                outcomes.add(new Outcome(conf.getPath(), p.sweep().identity().id(),
                        r.failedTrials() == 0 ? "ok" : "trials failed", r, previous == null ? null : previous.toString(),
                        comparisons));
            } catch (Problems.InvalidConfig e) {
                outcomes.add(new Outcome(conf.getPath(), "?", "invalid configuration: " + e.getMessage(), null, null,
                        List.of()));
            } catch (RuntimeException e) {
                outcomes.add(new Outcome(conf.getPath(), "?", "error: " + e, null, null, List.of()));
            }
        }
        HadoopFiles.write(new Path(report.replace("{stamp}", stamp)), hconf, markdown(stamp, outcomes));
        console.printf("[nightly] report: %s%n", report.replace("{stamp}", stamp));
        return outcomes;
    }

    /** The most recently finished earlier run of the same sweep (by manifest time), or null. */
    Path previousRun(Path current) {
        FileSystem fs = HadoopFiles.fs(current, hconf);
        try {
            String best = null;
            Path bestPath = null;
            for (FileStatus st : fs.listStatus(current.getParent())) {
                Path p = st.getPath();
                if (!st.isDirectory() || p.getName().startsWith(".") || p.getName().equals("ledger")
                        || p.getName().equals(current.getName())) {
                    continue;
                }
                Path manifest = new Path(p, "manifest.json");
                if (!fs.exists(manifest)) {
                    continue;
                }
                JsonNode m;
                try (InputStream in = fs.open(manifest)) {
                    m = new ObjectMapper().readTree(in);
                }
                String finished = m.path("finished").asText("");
                if (best == null || finished.compareTo(best) > 0) {
                    best = finished;
                    bestPath = p;
                }
            }
            return bestPath;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + current.getParent(), e);
        }
    }

    /** The wall-clock table (KH and MLCM jobs): host load moves it every night, so it is not compared. */
    public static final String TIMING = org.engram.jobs.core.TableSpec.TIMING + ".csv";

    /** The timing table and its wide summary: wall clock, the only tables that differ from run to run. */
    public static boolean wallClock(String csv) {
        return csv.equals(TIMING) || csv.equals(org.engram.jobs.core.TableSpec.TIMING + WideTable.SUFFIX);
    }

    /** Compares every aggregated CSV table of two runs but {@link #TIMING}. */
    public List<Comparison> compare(Path before, Path after) {
        FileSystem fs = HadoopFiles.fs(after, hconf);
        List<Comparison> out = new ArrayList<>();
        try {
            for (FileStatus st : fs.listStatus(new Path(after, "aggregated"))) {
                String name = st.getPath().getName();
                // the wide summaries repeat the long tables
                if (!name.endsWith(".csv") || name.endsWith(WideTable.SUFFIX) || name.equals(TIMING)) {
                    continue;
                }
                Path old = new Path(before, "aggregated/" + name);
                Map<String, double[]> a = fs.exists(old) ? read(fs, old) : Map.of();
                Map<String, double[]> b = read(fs, st.getPath());
                out.add(compare(name.substring(0, name.length() - 4), a, b));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** Flags (cell, metric) rows whose 95% intervals do not overlap; a missing CI counts as the mean alone. */
    public static Comparison compare(String table, Map<String, double[]> before, Map<String, double[]> after) {
        List<String> flagged = new ArrayList<>();
        List<String> added = new ArrayList<>();
        List<String> vanished = new ArrayList<>();
        for (Map.Entry<String, double[]> e : after.entrySet()) {
            double[] x = before.get(e.getKey());
            if (x == null) {
                added.add(e.getKey());
            } else if (!overlap(x, e.getValue())) {
                flagged.add(String.format(Locale.ROOT, "%s: %.6g [%.6g, %.6g] -> %.6g [%.6g, %.6g]", e.getKey(),
                        x[0], x[1], x[2], e.getValue()[0], e.getValue()[1], e.getValue()[2]));
            }
        }
        for (String k : before.keySet()) {
            if (!after.containsKey(k)) {
                vanished.add(k);
            }
        }
        return new Comparison(table, after.size(), flagged, added, vanished);
    }

    public static boolean overlap(double[] a, double[] b) {
        double alo = Double.isNaN(a[1]) ? a[0] : a[1];
        double ahi = Double.isNaN(a[2]) ? a[0] : a[2];
        double blo = Double.isNaN(b[1]) ? b[0] : b[1];
        double bhi = Double.isNaN(b[2]) ? b[0] : b[2];
        if (Double.isNaN(alo) || Double.isNaN(blo)) {
            return Double.isNaN(alo) == Double.isNaN(blo);
        }
        return alo <= bhi && blo <= ahi;
    }

    /** (cell parameters + metric) → {mean, ci95_low, ci95_high}. */
    static Map<String, double[]> read(FileSystem fs, Path csv) throws IOException {
        Map<String, double[]> out = new LinkedHashMap<>();
        try (InputStreamReader r = new InputStreamReader(fs.open(csv), StandardCharsets.UTF_8)) {
            var parser = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(r);
            List<String> header = parser.getHeaderNames();
            int metric = header.indexOf("metric");
            for (CSVRecord rec : parser) {
                StringBuilder key = new StringBuilder();
                for (int i = 0; i < metric; i++) {
                    key.append(header.get(i)).append('=').append(rec.get(i)).append(',');
                }
                key.append(rec.get("metric"));
                out.put(key.toString(), new double[] {Double.parseDouble(rec.get("mean")),
                        Double.parseDouble(rec.get("ci95_low")), Double.parseDouble(rec.get("ci95_high"))});
            }
        }
        return out;
    }

    static String markdown(String stamp, List<Outcome> outcomes) {
        StringBuilder sb = new StringBuilder("# Engram nightly " + stamp + "\n\n");
        sb.append("| conf | sweep | status | trials | reused | failed | compared with | flagged | new | vanished |\n");
        sb.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for (Outcome o : outcomes) {
            RunResult r = o.result();
            int flagged = o.comparisons().stream().mapToInt(c -> c.flagged().size()).sum();
            int added = o.comparisons().stream().mapToInt(c -> c.added().size()).sum();
            int vanished = o.comparisons().stream().mapToInt(c -> c.vanished().size()).sum();
            sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %d | %d | %d |%n", o.conf(),
                    o.sweep(), o.status().replace('\n', ' ').replace("|", "\\|"), r == null ? "-" : r.trials(),
                    r == null ? "-" : r.reusedTrials(), r == null ? "-" : r.failedTrials(),
                    o.previous() == null ? "(first run)" : o.previous(), flagged, added, vanished));
        }
        for (Outcome o : outcomes) {
            for (Comparison c : o.comparisons()) {
                if (c.flagged().isEmpty() && c.added().isEmpty() && c.vanished().isEmpty()) {
                    continue;
                }
                sb.append("\n## ").append(o.sweep()).append(" — ").append(c.table()).append("\n");
                list(sb, "CIs no longer overlap", c.flagged());
                list(sb, "new cells", c.added());
                list(sb, "vanished cells", c.vanished());
            }
        }
        return sb.toString();
    }

    private static void list(StringBuilder sb, String title, List<String> items) {
        if (items.isEmpty()) {
            return;
        }
        sb.append("\n").append(title).append(" (").append(items.size()).append("):\n\n");
        items.stream().limit(100).forEach(i -> sb.append("- ").append(i).append('\n'));
        if (items.size() > 100) {
            sb.append("- ... ").append(items.size() - 100).append(" more\n");
        }
    }
}
