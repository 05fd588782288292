package org.engram.driver;

import java.io.PrintStream;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.engram.driver.catalogue.Catalogue;
import org.engram.driver.catalogue.Prune;
import org.engram.driver.catalogue.RunComparison;
import org.engram.driver.catalogue.RunsSql;
import org.engram.driver.engine.MasterCheck;
import org.engram.export.fs.HadoopFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code engram runs}, {@code show} and {@code tag}: a results root as a catalogue of runs. */
final class CatalogueCommands {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

    private CatalogueCommands() {
    }

    /** A date (2026-12-01) or an instant (2026-12-01T10:00:00Z), as the start of that day in UTC for a date. */
    static Instant instant(String s, String option) {
        try {
            return s.length() <= 10 ? LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant() : Instant.parse(s);
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException(option + " '" + s + "': a date 2026-12-01 or an instant "
                    + "2026-12-01T10:00:00Z");
        }
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s / 60) % 60)
                : s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60) : s + "s";
    }

    /** The listing's lines: a header, then one run a line. */
    static List<String> table(List<Catalogue.Run> runs) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"started (UTC)", "sweep", "run", "job", "name", "tags", "took", "status", "cells",
            "trials computed/reused/failed"});
        for (Catalogue.Run r : runs) {
            rows.add(new String[] {WHEN.format(r.started()), r.sweep(), r.runId(), r.job(), r.name() == null ? "" : r.name(),
                String.join(",", r.tags()), r.manifest() == null ? "" : duration(r.seconds()), r.status(),
                r.manifest() == null ? "" : Long.toString(r.cells()),
                r.manifest() == null ? "" : r.computed() + "/" + r.reused() + "/" + r.failed()});
        }
        return aligned(rows);
    }

    /**
     * Asks at the terminal before a command removes something; without a terminal nothing can be asked, and the
     * command stops (exit 2) saying that {@code --yes} does it.
     */
    static boolean confirmed(String command, String question, String what) {
        java.io.Console console = System.console();
        if (console == null) {
            throw new IllegalArgumentException(command + ": not a terminal, so nothing was asked: add --yes to " + what);
        }
        String answer = console.readLine(question + " [y/N] ");
        return answer != null && answer.trim().toLowerCase(Locale.ROOT).startsWith("y");
    }

    /** Rows as columns padded to their widest cell. */
    static List<String> aligned(List<String[]> rows) {
        int[] width = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        List<String> out = new ArrayList<>();
        for (String[] row : rows) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                b.append(i == row.length - 1 ? row[i] : String.format("%-" + width[i] + "s  ", row[i]));
            }
            out.add(b.toString().stripTrailing());
        }
        return out;
    }

    @Command(name = "runs", mixinStandardHelpOptions = true, description = "List the runs under a results root, newest "
            + "first: sweep, run id, job, name, tags, start, duration, status, cells, trials computed / reused / failed.")
    static final class RunsCmd implements Callable<Integer> {
        @Parameters(index = "0", arity = "0..1", paramLabel = "<root>", description = "results root, any Hadoop URI "
                + "(default: the one engram run writes to)")
        String root;

        @Option(names = "--job", description = "only runs of this job")
        String job;

        @Option(names = "--sweep", description = "only runs of this sweep")
        String sweep;

        @Option(names = "--tag", description = "only runs with this tag (repeatable: all of them)")
        List<String> tags = new ArrayList<>();

        @Option(names = "--status", description = "only runs of this status: complete, complete-with-failures, "
                + "in progress, interrupted")
        String status;

        @Option(names = "--since", description = "only runs started on or after this date (2026-12-01) or instant")
        String since;

        @Option(names = "--until", description = "only runs started before this date or instant")
        String until;

        @Override
        public Integer call() {
            String r = root == null ? Catalogue.defaultRoot() : root;
            Path p = new Path(r);
            FileSystem fs = HadoopFiles.fs(p, new Configuration());
            Instant from = since == null ? null : instant(since, "--since");
            Instant to = until == null ? null : instant(until, "--until");
            List<Catalogue.Run> runs = Catalogue.list(fs, fs.makeQualified(p)).stream()
                    .filter(x -> job == null || x.job().equals(job))
                    .filter(x -> sweep == null || x.sweep().equals(sweep))
                    .filter(x -> x.tags().containsAll(tags))
                    .filter(x -> status == null || x.status().equals(status))
                    .filter(x -> from == null || !x.started().isBefore(from))
                    .filter(x -> to == null || x.started().isBefore(to)).toList();
            if (runs.isEmpty()) {
                System.out.println("engram runs: no runs under " + r + (job == null && sweep == null && tags.isEmpty()
                        && status == null && since == null && until == null ? "" : " match"));
                return 0;
            }
            table(runs).forEach(System.out::println);
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one run: name, tags, note, counts, "
            + "provenance, and what it overrode — every --set, and every setting that differs from its shipped conf "
            + "and from reference.conf.")
    static final class ShowCmd implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "<run>", description = "a run id or a run folder")
        String run;

        @Option(names = "--root", description = "results root to look the run id up in (default: engram run's)")
        String root;

        @Override
        public Integer call() {
            Catalogue.Run r = Catalogue.find(new Configuration(), root == null ? Catalogue.defaultRoot() : root, run);
            print(r, System.out);
            return 0;
        }
    }

    static void print(Catalogue.Run r, PrintStream out) {
        var m = r.manifest();
        out.printf("run          %s%n", r.runId());
        out.printf("sweep        %s (job %s)%n", r.sweep(), r.job());
        out.printf("folder       %s%n", r.dir());
        if (r.name() != null) {
            out.printf("name         %s%n", r.name());
        }
        out.printf("tags         %s%n", r.tags().isEmpty() ? "-" : String.join(", ", r.tags()));
        if (r.note() != null) {
            out.printf("note         %s%n", r.note());
        }
        out.printf("status       %s; started %s UTC, took %s%n", r.status(), WHEN.format(r.started()),
                duration(r.seconds()));
        out.printf("counts       %d cells, %d trials: %d computed, %d reused from the ledger, %d failed%n", r.cells(),
                r.trials(), r.computed(), r.reused(), r.failed());
        out.printf("source       %s%n", m.path("source").asText());
        out.printf("config       sha256 %s%n", m.path("config_sha256").asText());
        out.printf("code         git %s, jar %s, job code %s%n", m.at("/code/git_commit").asText(),
                abbrev(m.at("/code/jar_sha256").asText()), abbrev(m.at("/code/job_code_version").asText()));
        var rt = m.path("runtime");
        out.printf("runtime      Spark %s on %s, Java %s, %s, host %s%s%n", rt.path("spark_version").asText(),
                rt.path("spark_master").asText(), rt.path("java_version").asText(), rt.path("blas_driver").asText(),
                rt.path("host").asText(), rt.has("slurm") ? ", Slurm job " + rt.at("/slurm/job_id").asText()
                        + " (restarts " + rt.at("/slurm/restart_count").asText() + ")" : "");
        for (var d : m.path("datasets")) {
            out.printf("dataset      %s under %s (%s)%n", d.path("name").asText(), d.path("root").asText(),
                    d.path("source").asText());
        }
        Catalogue.Overrides o = Catalogue.overrides(m);
        out.printf("--set        %s%n", o.sets().isEmpty() ? "none" : String.join("  ", o.sets()));
        differences("vs the conf", o.shippedConf() == null ? null : o.fromShipped(), o.shippedConf(), out);
        differences("vs reference", o.fromReference(), "reference.conf", out);
    }

    private static String abbrev(String s) {
        return s.length() > 12 ? s.substring(0, 12) : s;
    }

    private static void differences(String title, Map<String, String[]> diff, String against, PrintStream out) {
        if (diff == null) {
            out.printf("%-12s (%s)%n", title, against == null ? "the conf file is no longer there" : "not readable");
            return;
        }
        out.printf("%-12s %s: %s%n", title, against, diff.isEmpty() ? "no difference" : diff.size() + " settings");
        diff.forEach((k, v) -> out.printf("               %s = %s  (was %s)%n", k, v[1], v[0]));
    }

    @Command(name = "tag", mixinStandardHelpOptions = true, description = "Add tags to a run (and remove, name or "
            + "annotate it); the tag 'keep' protects it from engram prune.")
    static final class TagCmd implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "<run>", description = "a run id or a run folder")
        String run;

        @Parameters(index = "1..*", paramLabel = "<tag>", description = "tags to add")
        List<String> add = new ArrayList<>();

        @Option(names = "--remove", description = "a tag to remove (repeatable)")
        List<String> remove = new ArrayList<>();

        @Option(names = "--name", description = "the run's name ('' removes it)")
        String name;

        @Option(names = "--note", description = "the run's note ('' removes it)")
        String note;

        @Option(names = "--root", description = "results root to look the run id up in (default: engram run's)")
        String root;

        @Override
        public Integer call() {
            Configuration conf = new Configuration();
            Catalogue.Run r = Catalogue.find(conf, root == null ? Catalogue.defaultRoot() : root, run);
            Catalogue.Run after = Catalogue.relabel(conf, r, name, add, remove, note);
            System.out.printf("engram tag: %s/%s: tags %s%s%s%n", after.sweep(), after.runId(),
                    after.tags().isEmpty() ? "-" : String.join(", ", after.tags()),
                    after.name() == null ? "" : ", name '" + after.name() + "'",
                    after.note() == null ? "" : ", note '" + after.note() + "'");
            return 0;
        }
    }

    @Command(name = "compare", mixinStandardHelpOptions = true, description = "Compare two runs of one job cell by "
            + "cell: both means with their 95%% intervals and whether they overlap, cells only in one run, the settings "
            + "that differ; written as compare.csv, compare.html and overlaid figures.")
    static final class CompareCmd implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "<run-a>", description = "a run id or a run folder")
        String a;

        @Parameters(index = "1", paramLabel = "<run-b>", description = "a run id or a run folder")
        String b;

        @Option(names = "--root", description = "results root to look run ids up in (default: engram run's)")
        String root;

        @Option(names = "--out", description = "where to write (default: <root>/compare/<a>-vs-<b>)")
        String out;

        @Override
        public Integer call() {
            Configuration conf = new Configuration();
            String r = root == null ? Catalogue.defaultRoot() : root;
            Catalogue.Run ra = Catalogue.find(conf, r, a);
            Catalogue.Run rb = Catalogue.find(conf, r, b);
            Path dir = out != null ? new Path(out) : new Path(new Path(ra.dir().getParent().getParent(), "compare"),
                    ra.runId() + "-vs-" + rb.runId());
            RunComparison.Result res = RunComparison.compare(conf, ra, rb, dir);
            RunComparison.print(res, dir, System.out);
            return 0;
        }
    }

    @Command(name = "prune", mixinStandardHelpOptions = true, description = "Remove old runs: keep the newest N per "
            + "sweep and/or those started after a date; never a run tagged 'keep', never one in progress; ledgers only "
            + "with --ledgers, and only of sweeps with no run left. Shows what it would remove and asks.")
    static final class PruneCmd implements Callable<Integer> {
        @Parameters(index = "0", arity = "0..1", paramLabel = "<root>", description = "results root (default: engram "
                + "run's)")
        String root;

        @Option(names = "--keep", description = "keep the newest N runs of each sweep")
        Integer keep;

        @Option(names = "--older-than", description = "remove only runs started before this date (2026-12-01) or "
                + "instant")
        String olderThan;

        @Option(names = "--sweep", description = "only this sweep")
        String sweep;

        @Option(names = "--ledgers", description = "also remove the ledger (and shared state) of a sweep none of whose "
                + "runs is kept")
        boolean ledgers;

        @Option(names = "--dry-run", description = "show what would be removed; remove nothing")
        boolean dryRun;

        @Option(names = "--yes", description = "do not ask")
        boolean yes;

        @Override
        public Integer call() throws Exception {
            if (keep == null && olderThan == null) {
                throw new IllegalArgumentException("prune: say what to keep: --keep N (newest runs per sweep) and/or "
                        + "--older-than DATE");
            }
            if (keep != null && keep < 0) {
                throw new IllegalArgumentException("prune: --keep must be 0 or more, found " + keep);
            }
            Instant before = olderThan == null ? null : instant(olderThan, "--older-than");
            String r = root == null ? Catalogue.defaultRoot() : root;
            Path p = new Path(r);
            FileSystem fs = HadoopFiles.fs(p, new Configuration());
            Prune plan = Prune.plan(Catalogue.list(fs, fs.makeQualified(p)), keep, before, sweep, ledgers);
            if (plan.isEmpty()) {
                System.out.println("engram prune: nothing to remove under " + r);
                return 0;
            }
            plan.describe(System.out);
            if (dryRun) {
                System.out.println("engram prune: dry run, nothing removed");
                return 0;
            }
            if (!yes && !confirmed("prune", "remove them?", "remove the above (or --dry-run to only list it)")) {
                System.out.println("engram prune: nothing removed");
                return 1;
            }
            plan.apply(fs, System.out);
            return 0;
        }
    }

    @Command(name = "sql", mixinStandardHelpOptions = true, description = "Query every run under a results root with "
            + "Spark SQL. Views: runs (one row per run: identity, name, tags, note, status, started, counts, "
            + "provenance, params — every setting, as a map), trials (raw rows), aggregated, and each derived table by "
            + "name; every row carries run_id, sweep, job and table.")
    static final class SqlCmd implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "<query>", description = "a Spark SQL query")
        String query;

        @Option(names = "--root", description = "results root, any Hadoop URI (default: engram run's)")
        String root;

        @Option(names = "--master", description = "Spark master (default local[*])")
        String master = "local[*]";

        @Option(names = "--output", description = "write the result here instead of printing it: a .csv file, or a "
                + ".parquet folder")
        String output;

        @Option(names = "--limit", description = "rows printed at most (default 1000; --output writes all)")
        int limit = 1000;

        @Override
        public Integer call() throws Exception {
            String r = root == null ? Catalogue.defaultRoot() : root;
            Path p = new Path(r);
            FileSystem fs = HadoopFiles.fs(p, new Configuration());
            if (!fs.exists(p)) {
                throw new IllegalArgumentException("sql: no results root " + r);
            }
            MasterCheck.reachable(master, 30);
            try (org.apache.spark.sql.SparkSession spark = org.apache.spark.sql.SparkSession.builder().master(master)
                    .appName("engram sql").config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress",
                            "false").getOrCreate()) {
                List<String> views = RunsSql.register(spark, fs, fs.makeQualified(p));
                org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> result;
                try {
                    result = spark.sql(query);
                } catch (Exception e) {
                    if (e instanceof org.apache.spark.sql.AnalysisException) {
                        throw new IllegalArgumentException("sql: " + e.getMessage().split("\n")[0] + " (views: "
                                + views + ")");
                    }
                    throw e;
                }
                if (output == null) {
                    List<List<String>> rows = RunsSql.rows(result, limit);
                    aligned(rows.stream().map(x -> x.toArray(String[]::new)).toList()).forEach(System.out::println);
                    System.out.printf("(%d rows%s)%n", rows.size() - 1, rows.size() - 1 == limit ? ", --limit" : "");
                } else if (output.endsWith(".parquet")) {
                    result.write().mode("overwrite").parquet(output);
                    System.out.println("engram sql: wrote " + output);
                } else {
                    List<List<String>> rows = RunsSql.rows(result, Integer.MAX_VALUE);
                    StringBuilder csv = new StringBuilder();
                    try (org.apache.commons.csv.CSVPrinter printer = new org.apache.commons.csv.CSVPrinter(csv,
                            org.apache.commons.csv.CSVFormat.RFC4180)) {
                        for (List<String> row : rows) {
                            printer.printRecord(row);
                        }
                    }
                    HadoopFiles.write(new Path(output), new Configuration(), csv.toString());
                    System.out.printf("engram sql: wrote %d rows to %s%n", rows.size() - 1, output);
                }
            }
            return 0;
        }
    }
}
