package org.engram.driver;

import java.io.File;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.engram.driver.bench.HopfieldBenchmark;
import org.engram.driver.bench.MlcmBenchmark;
import org.engram.driver.bench.RapidBenchmark;
import org.engram.driver.bench.RbmBenchmark;
import org.engram.driver.bench.RnnBenchmark;
import org.engram.driver.catalogue.Catalogue;
import org.engram.driver.catalogue.Exports;
import org.engram.driver.engine.Balancer;
import org.engram.driver.engine.Cleaner;
import org.engram.driver.engine.Datasets;
import org.engram.driver.engine.DriverSettings;
import org.engram.driver.engine.Ledger;
import org.engram.driver.engine.RunOptions;
import org.engram.driver.engine.RunResult;
import org.engram.driver.engine.RunStop;
import org.engram.driver.engine.SweepLock;
import org.engram.driver.engine.SweepRunner;
import org.engram.driver.engine.WallTime;
import org.engram.jobs.config.Cell;
import org.engram.jobs.config.Problems;
import org.engram.jobs.config.Schema;
import org.engram.jobs.core.Job;
import org.engram.jobs.core.Plan;
import org.engram.jobs.core.WorkUnit;
import org.engram.jobs.sweep.JobRegistry;
import org.engram.jobs.sweep.PreparedSweep;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** The {@code engram} command line: run, plan, jobs, bench. */
@Command(name = "engram", mixinStandardHelpOptions = true, version = "engram 0.1.0",
        description = "Distributed sweeps for Hebbian, associative-memory and energy-based learning on Spark.",
        subcommands = {Engram.RunCmd.class, Engram.PlanCmd.class, Engram.JobsCmd.class, Engram.ParamsCmd.class, Engram.CleanCmd.class, Engram.UnlockCmd.class,
                CatalogueCommands.RunsCmd.class, CatalogueCommands.ShowCmd.class, CatalogueCommands.TagCmd.class,
                CatalogueCommands.CompareCmd.class, CatalogueCommands.PruneCmd.class,
                CatalogueCommands.SqlCmd.class,
            Engram.LedgerCmd.class, Engram.NightlyCmd.class, Engram.ExportCmd.class, Engram.ReportCmd.class,
                Engram.DataCmd.class, Engram.BenchCmd.class})
public final class Engram implements Callable<Integer> {
    /** Exit code for an invalid configuration (nothing ran). */
    public static final int INVALID_CONFIG = RunStop.INVALID_CONFIG;
    /** Exit code for an input/output failure (disk full, permission denied, a vanished output): nothing published. */
    public static final int IO_FAILURE = RunStop.IO_FAILURE;

    @Override
    public Integer call() {
        CommandLine.usage(this, System.out);
        return 0;
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /**
     * One line for an exception caused by input/output — what was being done and the operating system's reason, with
     * the path — or null when no I/O error is in its cause chain.
     */
    static String ioFailure(Throwable ex) {
        Throwable io = null;
        String doing = null;
        for (Throwable t = ex; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof java.io.UncheckedIOException && doing == null) {
                doing = t.getMessage();
            }
            if (t instanceof java.io.IOException) {
                io = t;
            }
        }
        if (io == null) {
            return null;
        }
        String reason = io.getMessage() == null ? io.getClass().getSimpleName() : io.getMessage().split("\n")[0];
        String what = doing == null ? "I/O failure" : doing.split("\n")[0];
        return what.contains(reason) ? what : what + ": " + reason;
    }

    /** Writes an exception's stack trace to a log file (java.io.tmpdir: the launcher's work/tmp) and returns it. */
    static String traceFile(Throwable ex) {
        try {
            java.nio.file.Path f = java.nio.file.Files.createTempFile("engram-failure-", ".log");
            try (java.io.PrintWriter w = new java.io.PrintWriter(java.nio.file.Files.newBufferedWriter(f))) {
                ex.printStackTrace(w);
            }
            return f.toString();
        } catch (java.io.IOException e) {
            return "(unwritable: " + e.getMessage() + ")";
        }
    }

    public static int execute(String... args) {
        CommandLine cl = new CommandLine(new Engram());
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof RunStop.Stopped st) {
                cmd.getErr().println("engram: " + st.getMessage());
                return st.reason().exitCode();
            }
            if (ex instanceof Problems.InvalidConfig ic) {
                cmd.getErr().println(ic.getMessage());
                return INVALID_CONFIG;
            }
            if (ex instanceof IllegalArgumentException) {
                cmd.getErr().println("engram: " + ex.getMessage());
                return INVALID_CONFIG;
            }
            String io = ioFailure(ex);
            if (io != null) {
                cmd.getErr().println("engram: " + io + " (nothing was published; stack trace in " + traceFile(ex) + ")");
                return IO_FAILURE;
            }
            // anything else (a task that failed on every attempt, a lost cluster): one line, the trace in a file
            String what = ex.getMessage() == null ? ex.getClass().getName() : ex.getMessage().split("\n")[0];
            cmd.getErr().println("engram: " + ex.getClass().getSimpleName() + ": " + what + " (nothing was published; "
                    + "stack trace in " + traceFile(ex) + ")");
            return 1;
        });
        cl.setParameterExceptionHandler((ex, arguments) -> {
            CommandLine cmd = ex.getCommandLine();
            cmd.getErr().println("engram: " + ex.getMessage());
            if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
                String near = org.engram.jobs.config.Section.nearest(u.getUnmatched().get(0),
                        cmd.getSubcommands().keySet());
                if (near != null) {
                    cmd.getErr().println("did you mean '" + near + "'?");
                }
            }
            cmd.getErr().println("(engram " + (cmd.getCommandName().equals("engram") ? "" : cmd.getCommandName() + " ")
                    + "--help lists what it takes)");
            return INVALID_CONFIG;
        });
        return cl.execute(args);
    }

    /** Options shared by run and plan. */
    static class SweepArgs {
        @Parameters(index = "0", paramLabel = "<conf>", description = "sweep configuration file (HOCON)")
        File conf;

        @Option(names = "--set", paramLabel = "key=value", description = "override any configuration key (repeatable)")
        List<String> sets = new ArrayList<>();

        PreparedSweep<?> prepare() {
            return DriverSettings.prepare(conf, sets);
        }
    }

    @Command(name = "run", mixinStandardHelpOptions = true, description = "Run a sweep and write its tables and plots.")
    static final class RunCmd implements Callable<Integer> {
        @CommandLine.Mixin
        SweepArgs sweep = new SweepArgs();

        @Option(names = "--master", description = "Spark master (default: spark-submit's, else the conf's spark.master)")
        String master;

        @Option(names = "--conf", paramLabel = "spark.key=value", description = "Spark setting passed through (repeatable)")
        List<String> sparkConf = new ArrayList<>();

        @Option(names = "--output", description = "results root (default: the conf's sweep.output)")
        String output;

        @Option(names = "--run-id", description = "run id (default: UTC time and config hash)")
        String runId;

        @Option(names = "--quiet", description = "no progress lines")
        boolean quiet;

        @Option(names = "--force", description = "recompute every trial, even those the ledger holds")
        boolean force;

        @Option(names = "--no-fetch", description = "stop when a dataset is missing instead of fetching it first "
                + "(also: ENGRAM_NO_FETCH=1)")
        boolean noFetch;

        @Option(names = "--wait", description = "when another run writes the same sweep output, wait for it instead of "
                + "refusing")
        boolean waitForLock;

        @Option(names = "--name", description = "a name for the run (engram runs lists it; engram tag changes it)")
        String name;

        @Option(names = "--tag", description = "a tag for the run (repeatable; 'keep' protects it from engram prune)")
        List<String> tags = new ArrayList<>();

        @Option(names = "--note", description = "a note recorded with the run")
        String note;

        @Override
        public Integer call() throws Exception {
            PreparedSweep<?> p = sweep.prepare();
            Map<String, String> sc = new LinkedHashMap<>();
            for (String kv : sparkConf) {
                int eq = kv.indexOf('=');
                if (eq <= 0 || !kv.startsWith("spark.")) {
                    throw new IllegalArgumentException("--conf takes spark.key=value, found '" + kv + "'");
                }
                sc.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
            RunStop stop = new RunStop();
            RunResult r;
            try (AutoCloseable signals = stop.onSignals(System.err)) {
                r = new SweepRunner(System.out).run(p, new RunOptions(master, sc, output, runId, quiet, force,
                        noFetch || "1".equals(System.getenv("ENGRAM_NO_FETCH")), waitForLock,
                        new RunOptions.RunLabels(name, Catalogue.checkedTags(tags), note)), stop);
            }
            if (r.failedTrials() > 0) {
                System.err.printf("engram: %d of %d trials FAILED in %d cells; see %s/failures.csv%n", r.failedTrials(),
                        r.trials(), r.cellsWithFailures(), r.outputDir());
            }
            return r.exitCode();
        }
    }

    @Command(name = "plan", mixinStandardHelpOptions = true,
            description = "Show what a sweep would run (cells, replicates, tasks, cost, output); runs nothing.")
    static final class PlanCmd implements Callable<Integer> {
        @CommandLine.Mixin
        SweepArgs sweep = new SweepArgs();

        @Option(names = "--cores", description = "cores to plan partitions for (default: this machine's)")
        int cores = Runtime.getRuntime().availableProcessors();

        @Override
        public Integer call() {
            PreparedSweep<?> p = sweep.prepare();
            print(p, cores, System.out);
            return 0;
        }
    }

    static void print(PreparedSweep<?> p, int cores, PrintStream out) {
        Plan<?> plan = p.plan();
        int partitions = Math.max(1, Math.min(plan.units().size(), cores * DriverSettings.of(p.sweep()).spark().tasksPerCore()));
        List<List<WorkUnit>> bins = Balancer.balance(plan.units(), partitions);
        out.printf("sweep        %s (job %s)%n", p.sweep().identity().id(), p.sweep().job().id());
        out.printf("source       %s%n", p.sweep().source());
        out.printf("cells        %d%n", plan.cells().size());
        int show = Math.min(plan.cells().size(), 5);
        for (int i = 0; i < show; i++) {
            out.printf("               %s%n", plan.cells().get(i).key());
        }
        if (plan.cells().size() > show) {
            Cell last = plan.cells().get(plan.cells().size() - 1);
            out.printf("               ... %s%n", last.key());
        }
        out.printf("replicates   %d per cell%n", plan.replicates());
        out.printf("trials       %d%n", plan.trials());
        out.printf("tables       %s%n", plan.tables().stream().map(t -> t.name()).toList());
        org.engram.driver.engine.Stages adaptive = org.engram.driver.engine.Stages.of(p);
        if (adaptive != null) {
            List<String> lines = adaptive.outlook();
            for (int i = 0; i < lines.size(); i++) {
                out.printf("%s %s%n", i == 0 ? "adaptive    " : "            ", lines.get(i));
            }
        }
        out.printf("tasks        %d work units in %d partitions for %d cores (cost imbalance %.2f)%n",
                plan.units().size(), bins.size(), cores, Balancer.imbalance(bins));
        double max = plan.units().stream().mapToDouble(WorkUnit::cost).max().orElse(0);
        out.printf(Locale.ROOT, "cost         %.3g %s in all; largest unit %.3g (%.1f%%)%n", plan.cost(), plan.costUnit(),
                max, 100 * max / Math.max(plan.cost(), 1e-300));
        out.printf("output       %s/%s/<run-id>/%n", p.sweep().output(), p.sweep().identity().id());
        out.printf("master       %s%n", DriverSettings.of(p.sweep()).spark().master());
        for (String line : Datasets.status(plan)) {
            out.println("data         " + line);
        }
        java.nio.file.Path records = WallTime.records(p.sweep().source());
        WallTime.Rate rate = WallTime.rate(p.sweep().job().id(), p.sweep().output(), records, adaptive != null);
        out.println("estimate     " + (rate == null ? WallTime.none(p.sweep().job().id(), p.sweep().output(), records)
                : WallTime.estimate(rate, plan.cost(), max, plan.costUnit(), cores))
                + (adaptive == null ? "" : " (round 0)"));
        if (adaptive != null && rate != null) {
            out.println("             " + WallTime.estimate(rate, adaptive.expectedCost(), max, plan.costUnit(), cores)
                    + " (expected in all)");
        }
    }

    @Command(name = "clean", mixinStandardHelpOptions = true, description = "Remove what interrupted runs left under an "
            + "output root (hidden .inprogress folders, temporary ledger files), except in sweeps a live run holds.")
    static final class CleanCmd implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "<output>", description = "results root, any Hadoop URI (e.g. results)")
        String output;

        @Override
        public Integer call() throws Exception {
            org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(output);
            org.apache.hadoop.fs.FileSystem fs = org.engram.export.fs.HadoopFiles.fs(root,
                    new org.apache.hadoop.conf.Configuration());
            Cleaner.clean(fs, fs.makeQualified(root), System.out);
            return 0;
        }
    }

    @Command(name = "unlock", mixinStandardHelpOptions = true, description = "Break a sweep's lock by hand: shows its "
            + "holder and asks first. For a lock whose holder is gone but that is not yet judged stale (another host's, "
            + "or dated in the future).")
    static final class UnlockCmd implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "<sweep folder>", description = "a sweep folder <output>/<sweep-id>, any "
                + "Hadoop URI")
        String folder;

        @Option(names = "--yes", description = "do not ask")
        boolean yes;

        @Override
        public Integer call() throws Exception {
            org.apache.hadoop.fs.Path base = new org.apache.hadoop.fs.Path(folder);
            org.apache.hadoop.fs.FileSystem fs = org.engram.export.fs.HadoopFiles.fs(base,
                    new org.apache.hadoop.conf.Configuration());
            org.apache.hadoop.fs.Path lock = new org.apache.hadoop.fs.Path(fs.makeQualified(base), SweepLock.NAME);
            if (!fs.exists(lock)) {
                System.out.println("engram unlock: " + base + " is not locked (no " + SweepLock.NAME + ")");
                return 0;
            }
            org.apache.hadoop.fs.FileStatus st = fs.getFileStatus(lock);
            String holder = SweepLock.holder(fs, lock);
            long age = (System.currentTimeMillis() - st.getModificationTime()) / 1000;
            System.out.printf("engram unlock: %s is held by %s; last touched %d s ago%s%n", base, holder, age,
                    SweepLock.aliveOnThisHost(holder) ? " — its process is ALIVE on this host" : "");
            if (!yes && !CatalogueCommands.confirmed("unlock", "break it?", "break the lock of " + base)) {
                System.out.println("engram unlock: left as it is");
                return 1;
            }
            fs.delete(lock, false);
            System.out.println("engram unlock: removed " + lock);
            return 0;
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true, description = "Write what a finished run can be "
            + "opened as: --notebook writes notebook.ipynb (loads the tables with pandas, redraws the figures).")
    static final class ExportCmd implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "<run-dir>", description = "a run folder <output>/<sweep-id>/<run-id>")
        String runDir;

        @Option(names = "--notebook", description = "write notebook.ipynb into the run folder")
        boolean notebook;

        @Override
        public Integer call() {
            if (!notebook) {
                System.err.println("engram export: nothing to export; say what: --notebook");
                return INVALID_CONFIG;
            }
            System.out.println("[engram] notebook: " + Exports.notebook(runDir, new org.apache.hadoop.conf.Configuration()));
            return 0;
        }
    }

    @Command(name = "report", mixinStandardHelpOptions = true, description = "Write a static HTML index of every run "
            + "under a results folder: job, date, config hash, code version, status, counts, failures, links, plots, "
            + "nightly change reports.")
    static final class ReportCmd implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "<results>", description = "results root, any Hadoop URI (e.g. results)")
        String results;

        @Option(names = "--out", description = "where to write it, in the results folder (default: <results>/index.html)")
        String out;

        @Override
        public Integer call() throws Exception {
            System.out.println("[engram] report: " + Exports.report(results, out,
                    new org.apache.hadoop.conf.Configuration()));
            return 0;
        }
    }

    @Command(name = "ledger", mixinStandardHelpOptions = true, description = "Inspect or compact sweep ledgers.",
            subcommands = {LedgerCmd.CompactCmd.class, LedgerCmd.ListCmd.class})
    static final class LedgerCmd implements Callable<Integer> {
        @Override
        public Integer call() {
            CommandLine.usage(this, System.out);
            return 0;
        }

        @Command(name = "list", mixinStandardHelpOptions = true, description = "A sweep's ledger: its segments, the "
                + "entries that verify, their size, and what is damaged or unsealed.")
        static final class ListCmd implements Callable<Integer> {
            @Parameters(index = "0", paramLabel = "<sweep folder>", description = "a sweep folder (results/<sweep-id>), "
                    + "any Hadoop URI")
            String folder;

            @Override
            public Integer call() throws Exception {
                org.apache.hadoop.conf.Configuration conf = new org.apache.hadoop.conf.Configuration();
                org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(folder, "ledger");
                org.apache.hadoop.fs.FileSystem fs = org.engram.export.fs.HadoopFiles.fs(dir, conf);
                if (!fs.exists(dir)) {
                    throw new IllegalArgumentException("ledger list: no ledger under " + folder);
                }
                Ledger.Scan scan = new Ledger(fs.makeQualified(dir).toString()).scan(conf);
                long bytes = 0;
                for (org.apache.hadoop.fs.Path p : scan.segments()) {
                    long size = fs.getFileStatus(p).getLen();
                    bytes += size;
                    long here = scan.entries().values().stream().filter(l -> l.stream().anyMatch(x -> x.file()
                            .equals(p))).count();
                    System.out.printf("segment  %s  %,d bytes, %d entries%s%n", p.getName(), size, here,
                            scan.unsealed().contains(p) ? " (cut short)" : "");
                }
                for (org.apache.hadoop.fs.Path p : scan.legacy()) {
                    bytes += fs.getFileStatus(p).getLen();
                }
                System.out.printf("engram ledger list: %s: %d segments, %d first-layout files, %d entries that verify, "
                        + "%,d bytes; %d damaged records, %d segments cut short%n", folder, scan.segments().size(),
                        scan.legacy().size(), scan.entries().size(), bytes, scan.damaged().size(),
                        scan.unsealed().size());
                return 0;
            }
        }

        @Command(name = "compact", mixinStandardHelpOptions = true, description = "Fold a sweep's ledger (segments and "
                + "entries of the first, one-file-per-unit layout) into one verified segment, under the sweep's lock. "
                + "Given an output root, every sweep under it.")
        static final class CompactCmd implements Callable<Integer> {
            @Parameters(index = "0", paramLabel = "<folder>", description = "a sweep folder (results/<sweep-id>) or an "
                    + "output root, any Hadoop URI")
            String folder;

            @Option(names = "--wait", description = "wait for a run holding the sweep instead of refusing")
            boolean waitForLock;

            @Override
            public Integer call() throws Exception {
                org.apache.hadoop.conf.Configuration conf = new org.apache.hadoop.conf.Configuration();
                org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(folder);
                org.apache.hadoop.fs.FileSystem fs = org.engram.export.fs.HadoopFiles.fs(root, conf);
                root = fs.makeQualified(root);
                if (!fs.exists(root)) {
                    throw new IllegalArgumentException("ledger compact: " + root + " does not exist");
                }
                List<org.apache.hadoop.fs.Path> sweeps = new ArrayList<>();
                if (fs.exists(new org.apache.hadoop.fs.Path(root, "ledger"))) {
                    sweeps.add(root);
                } else {
                    for (org.apache.hadoop.fs.FileStatus st : fs.listStatus(root)) {
                        if (st.isDirectory() && fs.exists(new org.apache.hadoop.fs.Path(st.getPath(), "ledger"))) {
                            sweeps.add(st.getPath());
                        }
                    }
                }
                if (sweeps.isEmpty()) {
                    throw new IllegalArgumentException("ledger compact: no ledger under " + root
                            + " (give a sweep folder results/<sweep-id> or an output root)");
                }
                for (org.apache.hadoop.fs.Path base : sweeps) {
                    try (SweepLock lock = SweepLock.acquire(fs, base, "ledger-compact", waitForLock, System.out)) {
                        long t0 = System.nanoTime();
                        Ledger.Compaction c = new Ledger(new org.apache.hadoop.fs.Path(base, "ledger").toString())
                                .compact(conf);
                        System.out.printf("engram ledger compact: %s: %d files -> %d entries in one segment (%d dropped: "
                                + "corrupt, truncated or misfiled), %.1f s%n", base, c.filesBefore(), c.entries(),
                                c.dropped(), (System.nanoTime() - t0) / 1e9);
                    }
                }
                return 0;
            }
        }
    }

    @Command(name = "jobs", mixinStandardHelpOptions = true, description = "List the jobs Engram can run.")
    static final class JobsCmd implements Callable<Integer> {
        @Override
        public Integer call() {
            int width = JobRegistry.standard().ids().stream().mapToInt(String::length).max().orElse(0);
            for (Job<?> j : JobRegistry.standard().all()) {
                System.out.printf("%-" + width + "s  %s%n", j.id(), j.description());
            }
            return 0;
        }
    }

    @Command(name = "params", mixinStandardHelpOptions = true,
            description = "Every parameter of a job: its key, type, bounds, grid role, default and meaning.")
    static final class ParamsCmd implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "<job>", description = "a job id (see engram jobs)")
        String job;

        @Override
        public Integer call() {
            Job<?> j = JobRegistry.standard().find(job);
            if (j == null) {
                System.err.println("engram: unknown job '" + job + "'; known jobs: " + JobRegistry.standard().ids());
                return INVALID_CONFIG;
            }
            Schema<?> schema = Schema.of(Schema.settingsOf(j.getClass(), Job.class).asSubclass(Record.class));
            com.typesafe.config.Config ref = org.engram.jobs.sweep.SweepLoader.reference().resolve();
            String path = "jobs.\"" + j.id().replace(".", "\".\"") + "\"";
            schema.describe(ref.hasPath(path) ? ref.getConfig(path) : com.typesafe.config.ConfigFactory.empty())
                    .forEach(System.out::println);
            // what an adaptive sweep can use (docs/reference/adaptive.md)
            for (org.engram.jobs.core.Boundary<?> b : j.boundaries()) {
                System.out.println("boundary " + b.name() + ": " + b.doc() + " (sweep.adaptive.boundary = " + b.name()
                        + ")");
            }
            if (j.budget() != null) {
                System.out.println("budget " + j.budget() + ": runs continue from checkpoints (sweep.halving)");
            }
            return 0;
        }
    }

    @Command(name = "nightly", mixinStandardHelpOptions = true,
            description = "Run every sweep of a folder incrementally and report changes against each sweep's last run.")
    static final class NightlyCmd implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "<dir>", description = "folder of sweep confs")
        File dir;

        @Option(names = "--master", description = "Spark master (default: spark-submit's, else each conf's)")
        String master;

        @Option(names = "--output", description = "results root for every sweep (default: each conf's sweep.output)")
        String output;

        @Option(names = "--report", description = "report path; {stamp} is replaced (default: results/nightly/{stamp}.md)")
        String report = "results/nightly/{stamp}.md";

        @Option(names = "--fail-on-change", description = "exit with 4 when a cell's CI no longer overlaps last run's")
        boolean failOnChange;

        @Override
        public Integer call() {
            List<org.engram.driver.catalogue.Nightly.Outcome> outcomes = new org.engram.driver.catalogue.Nightly(System.out).run(dir,
                    new RunOptions(master, Map.of(), output, null, false, false), report);
            boolean bad = outcomes.stream().anyMatch(o -> !o.status().equals("ok"));
            boolean changed = outcomes.stream().flatMap(o -> o.comparisons().stream()).anyMatch(c -> !c.flagged().isEmpty());
            return bad ? 3 : failOnChange && changed ? 4 : 0;
        }
    }

    @Command(name = "data", mixinStandardHelpOptions = true, description = "Fetch and list datasets.",
            subcommands = {DataCmd.FetchCmd.class, DataCmd.ListCmd.class})
    static final class DataCmd implements Callable<Integer> {
        @Override
        public Integer call() {
            CommandLine.usage(this, System.out);
            return 0;
        }

        @Command(name = "fetch", mixinStandardHelpOptions = true,
                description = "Put a dataset's checked IDX files and dataset.json under <dir>/<name>/.")
        static final class FetchCmd implements Callable<Integer> {
            @Parameters(index = "0", description = "fashion-mnist | mnist")
            String name;

            @Option(names = "--dir", description = "data root, any Hadoop URI (default: data in the Engram checkout)")
            String dir = org.engram.jobs.config.EngramHome.resolve("data");

            @Option(names = "--offline", description = "do not try the canonical download")
            boolean offline;

            @Override
            public Integer call() throws Exception {
                new org.engram.driver.data.Fetcher(System.out, new org.apache.hadoop.conf.Configuration())
                        .fetch(name, dir, offline);
                return 0;
            }
        }

        @Command(name = "list", mixinStandardHelpOptions = true, description = "Known datasets and what is fetched.")
        static final class ListCmd implements Callable<Integer> {
            @Option(names = "--dir", description = "data root (default: data in the Engram checkout)")
            String dir = org.engram.jobs.config.EngramHome.resolve("data");

            @Override
            public Integer call() {
                var conf = new org.apache.hadoop.conf.Configuration();
                for (var e : new java.util.TreeMap<>(org.engram.driver.data.DatasetCatalog.ALL).values()) {
                    String state;
                    try {
                        state = "fetched: " + org.engram.driver.data.DatasetStore.describe(dir, e.name(), conf)
                                .path("source").asText();
                    } catch (IllegalArgumentException ex) {
                        state = "not fetched";
                    }
                    System.out.printf("%-15s %s%n%15s %s%n", e.name(), e.description(), "", state);
                }
                return 0;
            }
        }
    }

    @Command(name = "bench", mixinStandardHelpOptions = true,
            description = "Kernel benchmarks that print throughput and ratios against a baseline run in the same process.")
    static final class BenchCmd implements Callable<Integer> {
        @Parameters(index = "0", description = "which benchmark: rnn | rbm | rapid | mlcm | hopfield | ledger")
        String which;

        @Option(names = "--ledger-draws", description = "ledger: weight draws of the rnn.reinforcement probe, 100 units "
                + "each (default 98: 9,800 units)")
        int ledgerDraws = 98;

        @Option(names = "--ledger-conf", description = "ledger: the sweep (default conf/quick/rnn.reinforcement.conf)")
        File ledgerConf = new File("conf/quick/rnn.reinforcement.conf");

        @Option(names = "--master", description = "ledger: Spark master (default local[2])")
        String master = "local[2]";

        @Option(names = "--images", description = "rbm: IDX images (default: Debian's Fashion-MNIST training set)")
        String images = "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz";

        @Option(names = "--hidden", split = ",", description = "rbm: hidden units (default 100,500)")
        List<Integer> hidden = new ArrayList<>(List.of(100, 500));

        @Option(names = "--epochs", description = "rbm: timed epochs per variant: the best counts for s/epoch, the "
                + "median of paired epochs for ratios, with a confidence interval from 6 on (default 8)")
        int epochs = 8;

        @Option(names = "--no-numpy", description = "rbm: skip the NumPy comparison")
        boolean noNumpy;

        @Option(names = "--mnist", description = "rapid: MNIST IDX training images (default data/mnist/train-images-idx3-ubyte.gz)")
        String mnist = "data/mnist/train-images-idx3-ubyte.gz";

        @Option(names = "--repeats", description = "rapid: timed repeats per measurement (default 5)")
        int repeats = 5;

        @Option(names = "--no-torch", description = "rapid: skip the PyTorch comparison")
        boolean noTorch;

        @Option(names = "--sizes", split = ",", description = "network sizes (default 10000,102400,409600)")
        List<Integer> sizes = new ArrayList<>(List.of(10_000, 102_400, 409_600));

        @Option(names = "--hopfield-sizes", split = ",", description = "hopfield: N (default 1000,10000)")
        List<Integer> hopfieldSizes = new ArrayList<>(List.of(1000, 10_000));

        @Option(names = "--mlcm-n", description = "mlcm: spins per layer (default 1000)")
        int mlcmN = 1000;

        @Option(names = "--mlcm-layers", description = "mlcm: layers (default 5)")
        int mlcmLayers = 5;

        @Option(names = "--mlcm-batch", description = "mlcm: minibatch (default 100)")
        int mlcmBatch = 100;

        @Option(names = "--seconds", description = "minimum seconds per measurement (default 3)")
        double seconds = 3;

        @Override
        public Integer call() throws Exception {
            switch (which) {
                case "rnn" -> RnnBenchmark.run(sizes, seconds, System.out);
                case "rbm" -> RbmBenchmark.run(java.nio.file.Path.of(images), hidden, epochs, !noNumpy, System.out);
                case "rapid" -> RapidBenchmark.run(java.nio.file.Path.of(mnist), repeats, !noTorch, System.out);
                case "mlcm" -> MlcmBenchmark.run(mlcmN, mlcmLayers, mlcmBatch, seconds, System.out);
                case "hopfield" -> HopfieldBenchmark.run(hopfieldSizes, seconds, System.out);
                case "ledger" -> LedgerBenchmark.run(ledgerConf, ledgerDraws, master, System.out);
                default -> throw new IllegalArgumentException("unknown benchmark '" + which + "'; available: rnn, rbm, "
                        + "rapid, mlcm, hopfield, ledger");
            }
            return 0;
        }
    }
}
