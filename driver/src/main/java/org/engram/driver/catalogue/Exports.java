package org.engram.driver.catalogue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.engram.driver.catalogue.Catalogue;
import org.engram.export.Notebook;
import org.engram.export.Report;
import org.engram.export.fs.HadoopFiles;

/**
 * {@code engram export <run> --notebook} (a run's notebook from its manifest) and {@code engram report <results>}
 * (the HTML index of every run under a results root), through Hadoop FileSystem like every other output.
 */
public final class Exports {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Failures listed per run in the report; the rest are in the run's failures.csv. */
    static final int FAILURES_SHOWN = 5;

    private Exports() {
    }

    /** Writes {@code notebook.ipynb} into a finished run folder; returns its path. */
    public static Path notebook(String runDir, Configuration hconf) {
        Path dir = new Path(runDir);
        FileSystem fs = HadoopFiles.fs(dir, hconf);
        Path manifest = new Path(dir, "manifest.json");
        JsonNode m;
        try {
            m = read(fs, manifest);
        } catch (FileNotFoundException e) {
            throw new IllegalArgumentException("no manifest.json in " + runDir + ": not a finished run folder "
                    + "(a run folder is <output>/<sweep-id>/<run-id>)");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + manifest, e);
        }
        Path target = new Path(dir, Notebook.FILE);
        HadoopFiles.write(target, hconf, Notebook.of(m));
        return fs.makeQualified(target);
    }

    /**
     * Writes the report of every run under {@code results} (folders {@code <sweep>/<run>} with a manifest.json, and
     * the hidden in-progress folders of runs that did not finish) to {@code out} (default
     * {@code <results>/index.html}); nightly reports are the Markdown files of {@code <results>/nightly}.
     */
    public static Path report(String results, String out, Configuration hconf) throws IOException {
        Path root = new Path(results);
        FileSystem fs = HadoopFiles.fs(root, hconf);
        if (!fs.exists(root) || !fs.getFileStatus(root).isDirectory()) {
            throw new IllegalArgumentException("results folder " + results + " does not exist or is not a folder");
        }
        root = fs.makeQualified(root);
        List<Report.Run> runs = new ArrayList<>();
        List<Report.Nightly> nightlies = new ArrayList<>();
        for (FileStatus sweep : sorted(fs.listStatus(root))) {
            String name = sweep.getPath().getName();
            if (!sweep.isDirectory() || name.startsWith(".")) {
                continue;
            }
            if (name.equals("nightly")) {
                for (FileStatus md : sorted(fs.listStatus(sweep.getPath()))) {
                    String n = md.getPath().getName();
                    if (md.isFile() && n.endsWith(".md")) {
                        nightlies.add(new Report.Nightly(n.substring(0, n.length() - 3), "nightly/" + n,
                                text(fs, md.getPath())));
                    }
                }
                continue;
            }
            for (FileStatus run : sorted(fs.listStatus(sweep.getPath()))) {
                String r = run.getPath().getName();
                if (!run.isDirectory() || r.equals("ledger")) {
                    continue;
                }
                Path manifest = new Path(run.getPath(), "manifest.json");
                if (fs.exists(manifest)) {
                    JsonNode m = read(fs, manifest);
                    runs.add(new Report.Run(name + "/" + r, m, failures(fs, new Path(run.getPath(), "failures.csv")),
                            overrides(m)));
                } else if (r.startsWith(".") && r.endsWith(".inprogress")) {
                    runs.add(new Report.Run(name + "/" + r, null, List.of(), List.of()));
                }
            }
        }
        // the comparisons engram compare wrote under <results>/compare/<a>-vs-<b>/
        List<String> comparisons = new ArrayList<>();
        Path compare = new Path(root, "compare");
        if (fs.exists(compare)) {
            for (FileStatus c : sorted(fs.listStatus(compare))) {
                if (c.isDirectory() && fs.exists(new Path(c.getPath(), "compare.html"))) {
                    comparisons.add("compare/" + c.getPath().getName() + "/compare.html");
                }
            }
        }
        Path target = out == null ? new Path(root, Report.FILE) : new Path(out);
        if (out != null && !fs.makeQualified(target.getParent()).equals(root)) {
            throw new IllegalArgumentException("--out " + out + " must be in the results folder " + results
                    + " (the report links to the runs relative to itself)");
        }
        HadoopFiles.write(target, hconf, Report.html("Engram results: " + results, runs, nightlies, comparisons,
                Instant.now()));
        return target;
    }

    /** A run's overrides, one line each: its --sets, then the settings that differ from its shipped conf. */
    static List<String> overrides(JsonNode manifest) {
        Catalogue.Overrides o = Catalogue.overrides(manifest, false); // the report shows --sets and conf differences
        List<String> out = new ArrayList<>();
        o.sets().forEach(x -> out.add("--set " + x));
        if (o.fromShipped() != null) {
            o.fromShipped().forEach((k, v) -> out.add(k + " = " + v[1] + " (the conf: " + v[0] + ")"));
        }
        return out;
    }

    private static List<FileStatus> sorted(FileStatus[] st) {
        List<FileStatus> l = new ArrayList<>(Arrays.asList(st));
        l.sort(Comparator.comparing(s -> s.getPath().getName()));
        return l;
    }

    private static JsonNode read(FileSystem fs, Path p) throws IOException {
        try (InputStream in = fs.open(p)) {
            return JSON.readTree(in);
        }
    }

    private static String text(FileSystem fs, Path p) throws IOException {
        try (InputStream in = fs.open(p)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The first failures of a run, one line each: table, cell, failed of trials, first message. */
    private static List<String> failures(FileSystem fs, Path csv) throws IOException {
        if (!fs.exists(csv)) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        try (InputStreamReader r = new InputStreamReader(fs.open(csv), StandardCharsets.UTF_8)) {
            long total = 0;
            for (CSVRecord rec : CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(r)) {
                total++;
                if (out.size() < FAILURES_SHOWN) {
                    out.add(rec.get("table") + " " + rec.get("cell") + ": " + rec.get("failed") + " of "
                            + rec.get("trials") + " trials failed, first: " + rec.get("first_failure"));
                }
            }
            if (total > FAILURES_SHOWN) {
                out.add("… " + (total - FAILURES_SHOWN) + " more cells in failures.csv");
            }
        }
        return out;
    }
}
