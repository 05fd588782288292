package org.engram.driver.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.typesafe.config.ConfigRenderOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.util.DoubleAccumulator;
import org.apache.spark.util.LongAccumulator;
import org.engram.driver.output.Manifest;
import org.engram.driver.output.Provenance;
import org.engram.driver.output.TableDictionary;
import org.engram.export.CsvTables;
import org.engram.export.FigureData;
import org.engram.export.Notebook;
import org.engram.export.ParquetTables;
import org.engram.export.TidyTable;
import org.engram.export.WideTable;
import org.engram.export.fs.HadoopFiles;
import org.engram.jobs.config.Cell;
import org.engram.jobs.core.Aggregate;
import org.engram.jobs.core.Derived;
import org.engram.jobs.core.Figure;
import org.engram.jobs.core.Moments;
import org.engram.jobs.core.Plan;
import org.engram.jobs.core.TableSpec;
import org.engram.jobs.core.WorkUnit;
import org.engram.jobs.sweep.LoadedSweep;
import org.engram.jobs.sweep.PreparedSweep;
import scala.Tuple2;

/**
 * Runs a prepared sweep on Spark: balances work units into partitions by estimated cost, runs them
 * as tasks, aggregates exact mergeable moments with {@code reduceByKey} (the driver receives a few
 * numbers per cell, never the trial rows), and writes everything under
 * {@code <output>/<sweep-id>/<run-id>/} — first into a hidden in-progress folder that is renamed into
 * place at the end, so a reader never sees a half-written run.
 */
public final class SweepRunner {
    public static final String MANIFEST_FORMAT = Manifest.FORMAT;
    private static final DateTimeFormatter RUN_ID = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS").withZone(ZoneOffset.UTC);

    private final PrintStream console;
    /** How long a stopped run waits for its cancelled tasks to seal their finished units. */
    static final long TASK_DRAIN_MILLIS = 60_000;

    public SweepRunner(PrintStream console) {
        this.console = console;
    }

    /** The Spark settings of a run, in {@link SparkResolution}'s order: what preflight checks and the run uses. */
    public static SparkResolution spark(LoadedSweep s, RunOptions opt) {
        return SparkResolution.of(s, DriverSettings.of(s).spark(), opt);
    }

    private static double imbalance(List<List<UnitTask>> bins) {
        List<List<WorkUnit>> units = new ArrayList<>();
        for (List<UnitTask> b : bins) {
            units.add(b.stream().map(UnitTask::unit).toList());
        }
        return Balancer.imbalance(units);
    }

    /**
     * The datasets a plan reads, checked before any work starts: {@code described} for the manifest, and
     * {@code identity} — per (root, name), the dataset's splits and checksums — for the ledger, which keys
     * units by what their data is, not by where it lies.
     */
    record DataCheck(List<Object> described, Map<String, String> identity) {
        /** What a unit reads, by content; "" for a unit that reads no dataset. */
        String of(WorkUnit u) {
            if (!(u instanceof org.engram.jobs.data.DataCache.NeedsData nd)) {
                return "";
            }
            return nd.datasets().stream().map(n -> identity.get(n.root() + "/" + n.name())).distinct().sorted()
                    .collect(java.util.stream.Collectors.joining("\n"));
        }

        /** All of the plan's datasets by content; "" when it reads none. */
        String all() {
            return identity.values().stream().distinct().sorted().collect(java.util.stream.Collectors.joining("\n"));
        }
    }

    /** Every dataset the plan's units read must be fetched and well described, before any work starts. */
    static DataCheck checkData(Plan<?> plan, Configuration conf) {
        List<Object> described = new ArrayList<>();
        Map<String, String> identity = new LinkedHashMap<>();
        for (WorkUnit u : plan.units()) {
            if (u instanceof org.engram.jobs.data.DataCache.NeedsData nd) {
                for (org.engram.jobs.data.DataCache.Need need : nd.datasets()) {
                    String where = need.root() + "/" + need.name();
                    if (!identity.containsKey(where)) {
                        com.fasterxml.jackson.databind.JsonNode d =
                                org.engram.driver.data.DatasetStore.describe(need.root(), need.name(), conf);
                        if (need.name().equals(org.engram.driver.data.DatasetCatalog.MNIST.name())
                                && d.path("subset").asBoolean(false)) {
                            throw new IllegalArgumentException("dataset 'mnist' under " + need.root() + " is only the "
                                    + "10,000-digit subset fetched before full MNIST was available: fetch it with "
                                    + "deploy/engram data fetch mnist --dir " + need.root() + " (the subset is kept as "
                                    + "dataset mnist-subset), or name mnist-subset in the sweep");
                        }
                        Map<String, Object> m = new LinkedHashMap<>();
                        m.put("name", need.name());
                        m.put("root", need.root());
                        m.put("source", d.path("source").asText());
                        m.put("subset", d.path("subset").asBoolean());
                        m.put("splits", d.path("splits"));
                        m.put("sha256", d.path("sha256"));
                        described.add(m);
                        identity.put(where, need.name() + " " + d.path("splits") + " " + d.path("sha256"));
                        // every file the plan reads is checked here, on the driver, before a task starts (present,
                        // checksum, IDX shape, count): a damaged dataset stops the run, it does not fail every trial;
                        // every split, as units name the one they train on and may validate on another
                        for (java.util.Iterator<String> it = d.path("splits").fieldNames(); it.hasNext(); ) {
                            org.engram.driver.data.DatasetStore.load(need.root(), need.name(), it.next(), conf);
                        }
                    }
                }
            }
        }
        return new DataCheck(described, identity);
    }

    /**
     * Runs the sweep in five named stages: {@link #openOutput output folder}, {@link #replayPlan ledger
     * replay}, {@link #execute Spark execution}, {@link #aggregate aggregation} and {@link #write writing}.
     */
    public RunResult run(PreparedSweep<?> prepared, RunOptions opt) {
        return run(prepared, opt, new RunStop());
    }

    /**
     * Runs the sweep; {@code stop} may ask it to end early (a signal, a lost lock): finished units are sealed in the
     * ledger, nothing is published, and {@link RunStop.Stopped} says how many trials the ledger holds.
     */
    public RunResult run(PreparedSweep<?> prepared, RunOptions opt, RunStop stop) {
        LoadedSweep s = prepared.sweep();
        // the driver's Hadoop configuration before Spark exists: checks, fetching, the data check, the lock
        Configuration driverConf = new Configuration();
        SparkResolution resolved = spark(s, opt);
        Preflight.check(s, resolved, opt, driverConf);
        // an adaptive sweep's section is checked with the rest, before any work
        Stages adaptive = Stages.of(prepared);
        if (!opt.noFetch()) {
            Datasets.fetchMissing(prepared.plan(), driverConf, console);
        }
        DataCheck data = checkData(prepared.plan(), driverConf);
        Instant started = Instant.now();
        String effectiveJson = s.effective().root().render(ConfigRenderOptions.concise().setJson(true));
        String runId = opt.runId() != null ? opt.runId() : s.runId() != null ? s.runId()
                : RUN_ID.format(started) + "-" + Provenance.sha256(effectiveJson).substring(0, 8);
        String output = opt.output() != null ? opt.output() : s.output();
        Path base = new Path(output, s.identity().id());
        FileSystem lockFs = HadoopFiles.fs(base, driverConf);
        try {
            if (lockFs.exists(new Path(base, runId))) {
                throw new IllegalArgumentException("output " + lockFs.makeQualified(new Path(base, runId))
                        + " already exists; choose another --run-id");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + base, e);
        }
        SparkConf sconf = resolved.sparkConf();
        MasterCheck.reachable(sconf.get("spark.master"), DriverSettings.of(s).spark().masterTimeout());
        stop.check();
        try (SweepLock lock = SweepLock.acquire(lockFs, lockFs.makeQualified(base), runId, opt.waitForLock(), console);
             LazySpark spark = new LazySpark(sconf, stop, DriverSettings.of(s).spark().masterTimeout())) {
            lock.onLost(() -> stop.request(new RunStop.Reason(lock.lost(), RunStop.IO_FAILURE, false)));
            Cleaner.Leftovers left = Cleaner.find(lockFs, lockFs.makeQualified(base));
            if (left.count() > 0) {
                console.printf("[engram] found %d leftovers of interrupted runs under %s (%d in-progress folders, %d "
                        + "temporary files); engram clean %s removes them%n", left.count(), base, left.folders().size(),
                        left.files().size(), output);
            }
            // the Hadoop configuration Spark would give (spark.hadoop.* applied), before Spark starts — if it does
            Configuration hconf = org.apache.spark.deploy.SparkHadoopUtil.get().newConfiguration(sconf);
            Output out = openOutput(hconf, output, s.identity().id(), runId);
            Engine engine = null;
            RoundLog rounds = new RoundLog();
            try {
                engine = engine(prepared, out, data, hconf);
                if (adaptive != null) {
                    Path checkpoints = out.fs().makeQualified(new Path(out.base(), "checkpoints"));
                    Rounds r = rounds(adaptive, engine, spark, data, opt, hconf, stop, checkpoints, rounds);
                    stage("aggregating", opt);
                    Results results = aggregate(r.whole(), r.exec().collected(), adaptive, r.last());
                    stop.check();
                    RunResult result = write(spark.current(), sconf, hconf, r.whole(), out, r.replay(), r.exec(),
                            results, data, effectiveJson, runId, started, opt, stop);
                    compactIfDue(engine.ledger(), DriverSettings.of(s).ledger(), hconf);
                    if (adaptive.checkpoints()) {
                        try {
                            out.fs().delete(checkpoints, true); // the sweep ended: its rungs' training state goes
                        } catch (IOException e) {
                            console.printf("[engram] warning: cannot remove the checkpoints %s: %s%n", checkpoints,
                                    e.getMessage());
                        }
                    }
                    return result;
                }
                Replay replay = replayPlan(prepared, engine, data, opt.force(), hconf);
                stop.check();
                // Spark starts only when something is left to compute
                JavaSparkContext sc = replay.toRun().isEmpty() ? null : spark.start(engine);
                replay = replay.balanced(sc == null ? 1 : sc.defaultParallelism() * DriverSettings.of(s).spark().tasksPerCore());
                if (sc == null) {
                    console.printf("[engram] %s: %d cells × %d replicates = %d trials in %d units, all replayed from "
                                    + "the ledger: Spark not started%n", s.identity().id(), prepared.plan().cells().size(),
                            prepared.plan().replicates(), prepared.plan().trials(), prepared.plan().units().size());
                } else {
                    console.printf("[engram] %s: %d cells × %d replicates = %d trials in %d units, %d partitions on %s "
                                    + "(%d cores), imbalance %.2f%n", s.identity().id(), prepared.plan().cells().size(),
                            prepared.plan().replicates(), prepared.plan().trials(), prepared.plan().units().size(),
                            replay.bins().size(), sc.master(), sc.defaultParallelism(), imbalance(replay.bins()));
                }
                console.printf("[engram] writing to %s%n", out.finalDir());
                Execution exec = execute(sc, prepared, replay, engine, opt.quiet(), stop);
                stop.check();
                stage("aggregating", opt);
                Results results = aggregate(prepared, exec.collected(), null, null);
                stop.check();
                RunResult result = write(sc, sconf, hconf, prepared, out, replay, exec, results, data, effectiveJson,
                        runId, started, opt, stop);
                compactIfDue(engine.ledger(), DriverSettings.of(s).ledger(), hconf);
                return result;
            } catch (Exception | Error e) {
                // nothing is published: the in-progress folder and this run's unsealed ledger files go (the sealed
                // segments keep what finished); Spark's own exceptions are caught too
                abandon(out, engine, hconf);
                if (stop.requested()) {
                    throw stopped(stop.reason(), prepared, engine, data, hconf, rounds);
                }
                throw e;
            }
        }
    }

    /** Prints the stage after the computation, so that a run is never silent between 100% and done. */
    private void stage(String name, RunOptions opt) {
        if (!opt.quiet()) {
            console.printf("[engram] %s%n", name);
        }
    }

    /** Removes what a run that publishes nothing leaves: its in-progress folder and its unsealed ledger segments. */
    static void abandon(Output out, Engine engine, Configuration hconf) {
        try {
            out.fs().delete(out.tmpDir(), true);
        } catch (IOException | RuntimeException ignored) {
            // engram clean removes it later
        }
        if (engine != null) {
            engine.ledger().removeUnsealed(engine.runner().runTag(), hconf);
        }
    }

    /**
     * The rounds an adaptive sweep has planned so far, and how many of their trials it replayed from the ledger: what
     * a stop counts against (the sweep's first plan is only its first round).
     */
    static final class RoundLog {
        final List<PreparedSweep<?>> plans = new ArrayList<>();
        long replayed;
    }

    /**
     * The stop's line with what the ledger now holds of the plan — of a grid run, or of the rounds an adaptive sweep
     * has planned so far: what a rerun replays.
     */
    private static RunStop.Stopped stopped(RunStop.Reason why, PreparedSweep<?> prepared, Engine engine, DataCheck data,
                                           Configuration hconf, RoundLog rounds) {
        String held = "";
        if (engine != null) {
            try {
                Ledger.Scan scan = engine.ledger().scan(hconf);
                boolean adaptive = !rounds.plans.isEmpty();
                List<PreparedSweep<?>> plans = adaptive ? rounds.plans : List.of(prepared);
                java.util.Set<String> counted = new java.util.HashSet<>();
                long trials = 0;
                long planned = 0;
                for (PreparedSweep<?> plan : plans) {
                    planned += plan.plan().trials();
                    for (WorkUnit u : plan.plan().units()) {
                        String key = Ledger.key(prepared.job().id(), engine.codeVersion(), u, data.of(u));
                        if (scan.entries().containsKey(key) && counted.add(key)) {
                            trials += u.trials();
                        }
                    }
                }
                long before = adaptive ? rounds.replayed : engine.counters().trialsReused().value();
                String of = adaptive ? planned + " planned in " + (plans.size() == 1 ? "round 0"
                        : "rounds 0–" + (plans.size() - 1)) : planned + " planned";
                held = ": " + trials + " trials recorded (" + Math.max(0, trials - before) + " by this run, " + of
                        + "), rerun to resume";
            } catch (RuntimeException e) {
                held = ": the ledger could not be read (" + e.getMessage() + "); rerun to resume";
            }
        }
        return new RunStop.Stopped(new RunStop.Reason(why.message() + held, why.exitCode(), why.signal()));
    }

    /** Where a run writes: its final folder and the hidden in-progress folder it is written into first. */
    record Output(FileSystem fs, Path base, Path finalDir, Path tmpDir) {
    }

    /** Stage 1, the output folder: refuses an existing run folder and starts an empty in-progress one. */
    static Output openOutput(Configuration hconf, String output, String sweepId, String runId) {
        Path base = new Path(output, sweepId);
        Path finalDir = new Path(base, runId);
        Path tmpDir = new Path(base, "." + runId + ".inprogress");
        FileSystem fs = HadoopFiles.fs(finalDir, hconf);
        finalDir = fs.makeQualified(finalDir);
        tmpDir = fs.makeQualified(tmpDir);
        try {
            if (fs.exists(finalDir)) {
                throw new IllegalArgumentException("output " + finalDir + " already exists; choose another --run-id");
            }
            fs.delete(tmpDir, true);
            fs.mkdirs(tmpDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + tmpDir, e);
        }
        return new Output(fs, base, finalDir, tmpDir);
    }

    /** What the run's stages share: the ledger, the job's code version, the task function and its counters. */
    record Engine(Ledger ledger, String codeVersion, PartitionRunner runner, PartitionRunner.Counters counters,
                  ProgressListener listener) {
        /**
         * The engine of round {@code round} of an adaptive sweep: the same ledger and listener, counters of its own (the
         * round's progress counts its own plan), its ledger segments and raw parts named by the round.
         */
        Engine round(int round, String checkpoints) {
            PartitionRunner.Counters c = freshCounters();
            return new Engine(ledger, codeVersion, runner.round(round, c, checkpoints), c, listener);
        }

        /** Fresh counters, not yet registered with Spark. */
        static PartitionRunner.Counters freshCounters() {
            return new PartitionRunner.Counters(new LongAccumulator(), new LongAccumulator(), new LongAccumulator(),
                    new DoubleAccumulator(), new CellProgress(), new BlasAccumulator());
        }

        /** Registers the counters and the listener with a Spark context that has just started. */
        void register(JavaSparkContext sc) {
            registerCounters(sc);
            sc.sc().addSparkListener(listener);
        }

        /** Registers the counters with a running Spark context (a later round's; the listener is the first's). */
        void registerCounters(JavaSparkContext sc) {
            sc.sc().register(counters.trialsDone(), Progress.TRIALS);
            sc.sc().register(counters.trialsFailed(), Progress.FAILED);
            sc.sc().register(counters.trialsReused(), "trials reused");
            sc.sc().register(counters.costDone(), Progress.COST);
            sc.sc().register(counters.cellsDone(), Progress.CELLS);
            sc.sc().register(counters.blas(), "blas");
        }
    }

    /** The Spark context of a run, started only when the run has something to compute. */
    static final class LazySpark implements AutoCloseable {
        private final SparkConf conf;
        private final RunStop stop;
        private final double masterTimeout;
        private JavaSparkContext sc;

        LazySpark(SparkConf conf, RunStop stop, double masterTimeout) {
            this.conf = conf;
            this.stop = stop;
            this.masterTimeout = masterTimeout;
        }

        JavaSparkContext start(Engine engine) {
            if (sc == null) {
                sc = MasterCheck.start(conf, masterTimeout);
                engine.register(sc);
                stop.attach(sc);
            }
            return sc;
        }

        /**
         * Starts Spark for a round of an adaptive sweep, or registers the round's counters with the context an earlier
         * round started: every round runs in one Spark application.
         */
        JavaSparkContext startRound(Engine first, Engine round) {
            if (sc == null) {
                start(first);
            }
            if (round.counters() != first.counters()) {
                round.registerCounters(sc);
            }
            return sc;
        }

        /** The running context, or null before anything was computed. */
        JavaSparkContext current() {
            return sc;
        }

        @Override
        public void close() {
            if (sc != null) {
                stop.attach(null);
                sc.close();
            }
        }
    }

    /**
     * The ledger of the sweep, the function a task runs and the counters it adds to — made before Spark starts (the
     * driver's replay counts into them); {@link Engine#register} hands them to Spark when it does.
     */
    Engine engine(PreparedSweep<?> prepared, Output out, DataCheck data, Configuration hconf) {
        LoadedSweep s = prepared.sweep();
        Plan<?> plan = prepared.plan();
        Ledger ledger = new Ledger(out.fs().makeQualified(new Path(out.base(), "ledger")).toString());
        String codeVersion = Ledger.codeVersion(prepared.job());
        PartitionRunner.Counters counters = Engine.freshCounters();
        ProgressListener listener = new ProgressListener();
        Map<String, TableSpec> tables = new LinkedHashMap<>();
        for (TableSpec t : plan.tables()) {
            tables.put(t.name(), t);
        }
        Map<String, String> hadoop = new HashMap<>();
        hconf.forEach(e -> hadoop.put(e.getKey(), e.getValue()));
        // state shared by many units (training trajectories), per code version, beside the ledger
        // (and per data content, when the plan reads datasets)
        String stateVersion = data.all().isEmpty() ? codeVersion
                : Provenance.sha256(codeVersion + "\n" + data.all());
        String shared = out.fs().makeQualified(new Path(new Path(out.base(), "shared"), stateVersion.substring(0, 16)))
                .toString();
        PartitionRunner runner = new PartitionRunner(new PartitionRunner.Setup(tables,
                new Path(out.tmpDir(), "raw").toString(), hadoop, ledger, shared, data.identity(), counters,
                DriverSettings.of(s).ledger().sealSeconds(), java.util.UUID.randomUUID().toString().substring(0, 8),
                "part-", null));
        return new Engine(ledger, codeVersion, runner, counters, listener);
    }

    /**
     * What the ledger held of a plan — replayed on the driver: the partial aggregates of the units whose entries
     * verified, and their trials — and the units still to compute, balanced into partitions.
     */
    record Replay(Ledger ledger, String codeVersion, List<UnitTask> toRun, List<List<UnitTask>> bins, long reusable,
                  Map<AggKey, Stat> replayed) {
        /** The units to compute balanced by estimated cost into at most {@code maxPartitions} partitions. */
        Replay balanced(int maxPartitions) {
            int partitions = Math.max(1, Math.min(toRun.size(), maxPartitions));
            List<List<UnitTask>> b = toRun.isEmpty() ? List.of()
                    : Balancer.balance(toRun, t -> t.unit().cost(), t -> t.unit().key(), partitions);
            return new Replay(ledger, codeVersion, toRun, b, reusable, replayed);
        }
    }

    /**
     * Stage 2, ledger replay: each unit's key; the entries the ledger holds for it, read and verified (checksum, the
     * key the entry names, the trials it holds against those the unit owes), the first that verifies replayed on the
     * driver; the rest balanced into partitions to compute. Entries that do not verify are reported with their count
     * and computed again (their units' new entries supersede them).
     */
    Replay replayPlan(PreparedSweep<?> prepared, Engine engine, DataCheck data, boolean force, Configuration hconf) {
        Plan<?> plan = prepared.plan();
        Ledger ledger = engine.ledger();
        long t0 = System.nanoTime();
        Ledger.Scan scan = force ? null : ledger.scan(hconf);
        FileSystem fs = HadoopFiles.fs(new Path(ledger.dir()), hconf);
        // the plan in contiguous chunks, one per driver core, each verified and replayed by a thread of its own
        List<WorkUnit> units = plan.units();
        int chunks = Math.max(1, Math.min(Math.min(8, Runtime.getRuntime().availableProcessors()),
                units.size() / 256));
        List<ReplayChunk> done = java.util.stream.IntStream.range(0, chunks).parallel()
                .mapToObj(c -> replayChunk(prepared, engine, data, scan, fs, units.subList(
                        (int) ((long) units.size() * c / chunks), (int) ((long) units.size() * (c + 1) / chunks)), c))
                .toList();
        List<UnitTask> toRun = new ArrayList<>();
        Map<AggKey, Stat> replayed = new HashMap<>();
        long reusable = 0;
        long damagedUnits = 0;
        long damagedTrials = 0;
        for (ReplayChunk c : done) {
            toRun.addAll(c.toRun());
            c.replayer().stats().forEach((k, v) -> replayed.merge(k, v, Stat::merge));
            c.replayer().publish();
            reusable += c.reusable();
            damagedUnits += c.damagedUnits();
            damagedTrials += c.damagedTrials();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (scan != null && !scan.unsealed().isEmpty()) {
            console.printf("[engram] warning: %d ledger segments are cut short (truncated or damaged, e.g. %s): the "
                    + "entries before the damage are used%n", scan.unsealed().size(), scan.unsealed().get(0));
        }
        if (damagedUnits > 0) {
            console.printf("[engram] warning: %d ledger entries (%d trials) did not verify (corrupt, truncated or "
                    + "misfiled): computing them again; their new entries supersede them%n", damagedUnits, damagedTrials);
        }
        if (Provenance.slurmRestarts() > 0) {
            console.printf("[engram] Slurm job %s was requeued %d time(s): resuming from the ledger %s%n",
                    System.getenv("SLURM_JOB_ID"), Provenance.slurmRestarts(), ledger.dir());
        }
        if (reusable > 0) {
            console.printf("[engram] the ledger holds %d of %d trials (verified and replayed in %.1f s, %d ledger files): "
                    + "computing the other %d%n", reusable, plan.trials(), seconds, scan.files(), plan.trials() - reusable);
        }
        return new Replay(ledger, engine.codeVersion(), toRun, List.of(), reusable, replayed);
    }

    /** One chunk of the plan after the replay: what it replayed, what is left to compute, what did not verify. */
    private record ReplayChunk(PartitionRunner.Replayer replayer, List<UnitTask> toRun, long reusable,
                               long damagedUnits, long damagedTrials) {
    }

    private static ReplayChunk replayChunk(PreparedSweep<?> prepared, Engine engine, DataCheck data, Ledger.Scan scan,
                                           FileSystem fs, List<WorkUnit> units, int part) {
        List<UnitTask> toRun = new ArrayList<>();
        long reusable = 0;
        long damagedUnits = 0;
        long damagedTrials = 0;
        PartitionRunner.Replayer replayer = engine.runner().replayer(part);
        try (replayer; Ledger.Reader reader = new Ledger.Reader(fs)) {
            for (WorkUnit u : units) {
                UnitTask task = new UnitTask(u, Ledger.key(prepared.job().id(), engine.codeVersion(), u, data.of(u)));
                List<Ledger.Location> at = scan == null ? null : scan.entries().get(task.key());
                List<org.engram.jobs.core.TrialRow> rows = at == null ? null : reader.verified(task.key(), u, at);
                if (rows != null) {
                    replayer.add(u, rows);
                    reusable += u.trials();
                } else {
                    toRun.add(task);
                    if (at != null || scan != null && scan.damaged().contains(task.key())) {
                        damagedUnits++;
                        damagedTrials += u.trials();
                    }
                }
            }
        }
        return new ReplayChunk(replayer, toRun, reusable, damagedUnits, damagedTrials);
    }

    /**
     * What the rounds of an adaptive sweep gave: the whole plan, every round's partitions, the merged aggregates, and
     * the last round's own aggregates.
     */
    record Rounds(PreparedSweep<?> whole, Replay replay, Execution exec, List<Aggregate> last) {
    }

    /**
     * Runs an adaptive sweep's rounds in one Spark application: each round's plan is replayed from the ledger and the
     * rest computed, as a grid run is; the aggregates of the rounds so far decide the next ({@link Stages}). Training
     * state a halving sweep keeps for its next rung lies in {@code checkpoints} and is removed when the sweep ends.
     */
    Rounds rounds(Stages stages, Engine engine, LazySpark spark, DataCheck data, RunOptions opt, Configuration hconf,
                  RunStop stop, Path checkpoints, RoundLog log) {
        LoadedSweep s = stages.whole().sweep();
        Map<AggKey, Stat> merged = new HashMap<>();
        List<List<UnitTask>> bins = new ArrayList<>();
        List<UnitTask> toRun = new ArrayList<>();
        LongAccumulator done = new LongAccumulator();
        LongAccumulator failed = new LongAccumulator();
        LongAccumulator reused = new LongAccumulator();
        BlasAccumulator blas = new BlasAccumulator();
        List<Aggregate> last = List.of();
        PreparedSweep<?> round = stages.start();
        console.printf("[engram] %s%n", stages.opening());
        for (int k = 0; round != null; k++) {
            Engine e = engine.round(k, stages.checkpoints() ? checkpoints.toString() : null);
            Replay replay = replayPlan(round, e, data, opt.force(), hconf);
            log.plans.add(round);
            log.replayed += replay.reusable();
            stop.check();
            JavaSparkContext sc = replay.toRun().isEmpty() ? spark.current() : spark.startRound(engine, e);
            replay = replay.balanced(sc == null ? 1 : sc.defaultParallelism() * DriverSettings.of(s).spark().tasksPerCore());
            Plan<?> p = round.plan();
            console.printf("[engram] round %d: %d cells, %d trials in %d units (%d replayed from the ledger)%n", k,
                    p.cells().size(), p.trials(), p.units().size(), replay.reusable());
            Execution ex = execute(sc, round, replay, e, opt.quiet(), stop, k);
            stop.check();
            last = aggregates(p, ex.collected());
            stages.output(k, ex.collected()).forEach(t -> merged.merge(t._1(), t._2(), Stat::merge));
            bins.addAll(replay.bins());
            toRun.addAll(replay.toRun());
            done.add(ex.trialsDone().value());
            failed.add(ex.trialsFailed().value());
            reused.add(ex.trialsReused().value());
            blas.merge(ex.blas());
            round = stages.next(last, () -> aggregates(stages.whole().plan(), tuples(merged)));
        }
        console.printf("[engram] %s%n", stages.closing());
        return new Rounds(stages.whole(), new Replay(engine.ledger(), engine.codeVersion(), toRun, bins, log.replayed,
                Map.of()), new Execution(tuples(merged), done, failed, reused, blas), last);
    }

    private static List<Tuple2<AggKey, Stat>> tuples(Map<AggKey, Stat> m) {
        List<Tuple2<AggKey, Stat>> out = new ArrayList<>(m.size());
        m.forEach((k, v) -> out.add(new Tuple2<>(k, v)));
        return out;
    }

    /** What the Spark stage gave back, with the replay's: the partial aggregates, and the counters. */
    record Execution(List<Tuple2<AggKey, Stat>> collected, LongAccumulator trialsDone, LongAccumulator trialsFailed,
                     LongAccumulator trialsReused, BlasAccumulator blas) {
    }

    /**
     * Stage 3, Spark execution: one task per partition runs its units and returns partial aggregates, merged here
     * with the replayed units' (no Spark job when everything was replayed).
     */
    Execution execute(JavaSparkContext sc, PreparedSweep<?> prepared, Replay replay, Engine engine, boolean quiet,
                      RunStop stop) {
        return execute(sc, prepared, replay, engine, quiet, stop, -1);
    }

    /** Stage 3 for round {@code round} of an adaptive sweep (its progress lines name it; -1: a grid run). */
    Execution execute(JavaSparkContext sc, PreparedSweep<?> prepared, Replay replay, Engine engine, boolean quiet,
                      RunStop stop, int round) {
        LoadedSweep s = prepared.sweep();
        Plan<?> plan = prepared.plan();
        PartitionRunner.Counters c = engine.counters();
        Progress progress = new Progress(console, plan, c.trialsDone(), c.trialsFailed(), c.costDone(), c.cellsDone(),
                DriverSettings.of(s).spark().progressSeconds(), quiet, engine.listener(), c.trialsReused());
        if (round >= 0) {
            progress.inRound(round);
        }
        progress.start();
        List<List<UnitTask>> bins = replay.bins();
        Map<AggKey, Stat> merged = new HashMap<>(replay.replayed());
        try {
            if (!bins.isEmpty()) {
                JavaRDD<List<UnitTask>> rdd = sc.parallelize(bins, bins.size());
                List<Tuple2<AggKey, Stat>> computed = rdd.mapPartitionsWithIndex(engine.runner(), false)
                        .mapToPair(t -> t)
                        .reduceByKey(Stat::merge, Math.max(1, Math.min(bins.size(), sc.defaultParallelism())))
                        .collect();
                for (Tuple2<AggKey, Stat> t : computed) {
                    merged.merge(t._1(), t._2(), Stat::merge);
                }
            }
        } catch (Exception e) {
            if (stop.requested()) {
                // the cancelled tasks stop after their current unit and seal what they finished: wait for them
                engine.listener().awaitIdle(TASK_DRAIN_MILLIS);
                stop.check();
            }
            throw e;
        } finally {
            progress.stop();
        }
        List<Tuple2<AggKey, Stat>> collected = new ArrayList<>(merged.size());
        merged.forEach((k, v) -> collected.add(new Tuple2<>(k, v)));
        return new Execution(collected, c.trialsDone(), c.trialsFailed(), c.trialsReused(), c.blas());
    }

    /** Folds the ledger into one segment when a run leaves it with more files than {@code ledger.compact-above}. */
    void compactIfDue(Ledger ledger, DriverSettings.Ledger settings, Configuration hconf) {
        int files = ledger.files(hconf);
        if (files <= settings.compactAbove()) {
            return;
        }
        long t0 = System.nanoTime();
        Ledger.Compaction c = ledger.compact(hconf);
        console.printf("[engram] ledger compacted: %d files -> 1 segment of %d entries (%d dropped) in %.1f s%n",
                c.filesBefore(), c.entries(), c.dropped(), (System.nanoTime() - t0) / 1e9);
    }

    /** The run's numbers: aggregates in output order, the job's derived tables and figures, tidy tables. */
    record Results(List<Aggregate> aggregates, Derived derived, List<TidyTable> aggregated, List<TidyTable> wide,
                   TableDictionary dictionary) {
    }

    /** Stage 4, aggregation (on the driver, from a few numbers per cell). */
    static Results aggregate(PreparedSweep<?> prepared, List<Tuple2<AggKey, Stat>> collected, Stages stages,
                             List<Aggregate> last) {
        Plan<?> plan = prepared.plan();
        List<Aggregate> aggregates = aggregates(plan, collected);
        Derived derived = stages == null ? prepared.derive(aggregates) : stages.derived(aggregates, last);
        List<TidyTable> aggregated = tidy(plan, aggregates);
        List<TidyTable> wide = aggregated.stream().map(WideTable::of).toList();
        return new Results(aggregates, derived, aggregated, wide, TableDictionary.of(plan, aggregated, wide, aggregates,
                derived));
    }

    /** Stage 5, writing: tables, failures, derived tables, plots, the dictionary and the manifest, then the commit. */
    private RunResult write(JavaSparkContext sc, SparkConf sconf, Configuration hconf, PreparedSweep<?> prepared,
                            Output out, Replay replay, Execution exec,
                            Results r, DataCheck data, String effectiveJson, String runId, Instant started,
                            RunOptions opt, RunStop stop) {
        LoadedSweep s = prepared.sweep();
        Plan<?> plan = prepared.plan();
        Path tmpDir = out.tmpDir();
        List<String> files = new ArrayList<>();
        stage("writing tables", opt);
        writeTables(plan, r.aggregated(), r.wide(), tmpDir, hconf, files);
        writeFailures(r.aggregates(), plan, tmpDir, hconf, files);
        for (Derived.DerivedTable t : r.derived().tables()) {
            TidyTable tt = TidyTable.infer(t.name(), t.columns(), t.rows());
            CsvTables.write(tt, new Path(tmpDir, "derived/" + t.name() + ".csv"), hconf);
            ParquetTables.write(tt, new Path(tmpDir, "derived/" + t.name() + ".parquet"), hconf);
            files.add("derived/" + t.name() + ".csv");
            files.add("derived/" + t.name() + ".parquet");
        }
        stop.check();
        if (!r.derived().figures().isEmpty()) {
            stage("drawing figures", opt);
        }
        for (Figure f : r.derived().figures()) {
            FigureData.write(f, tmpDir, hconf);
            files.addAll(FigureData.files(f));
        }
        HadoopFiles.write(new Path(tmpDir, "tables.md"), hconf, r.dictionary().markdown(s.identity().id(), s.job().id()));
        files.add("tables.md");
        long done = exec.trialsDone().value();
        long reused = exec.trialsReused().value();
        long failed = exec.trialsFailed().value();
        long cellsWithFailures = r.aggregates().stream().filter(a -> a.metric().equals(firstMetric(plan, a.table()))
                && a.table().equals(plan.tables().get(0).name()) && a.failed() > 0).count();
        Instant finished = Instant.now();
        double seconds = (finished.toEpochMilli() - started.toEpochMilli()) / 1000.0;
        if (DriverSettings.of(s).export().notebook()) {
            files.add(Notebook.FILE);
        }
        Manifest manifest = manifest(s, plan, runId, out.finalDir().toString(), effectiveJson, sc, sconf, started,
                finished, replay, done, failed, reused, r, exec.blas(), files, opt.labels(), data);
        try {
            removeLeftovers(out.fs(), tmpDir);
            ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            com.fasterxml.jackson.databind.JsonNode tree = json.valueToTree(manifest);
            HadoopFiles.write(new Path(tmpDir, "manifest.json"), hconf, json.writeValueAsString(tree) + "\n");
            if (DriverSettings.of(s).export().notebook()) {
                stage("notebook", opt);
                HadoopFiles.write(new Path(tmpDir, Notebook.FILE), hconf, Notebook.of(tree));
            }
            stop.check();
            HadoopFiles.commit(out.fs(), tmpDir, out.finalDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot commit " + out.finalDir(), e);
        }
        console.printf("[engram] done in %.1f s: %d trials (%d reused from the ledger), %d failed (%d cells with "
                + "failures) -> %s%n", seconds, done, reused, failed, cellsWithFailures, out.finalDir());
        return new RunResult(out.finalDir().toString(), done, failed, plan.cells().size(), cellsWithFailures, seconds,
                reused);
    }

    /** Deletes temporary files of task attempts that died before renaming theirs into place. */
    static void removeLeftovers(FileSystem fs, Path dir) throws IOException {
        for (Path p : Cleaner.temporaryFiles(fs, dir)) {
            fs.delete(p, false);
        }
    }

    private static String firstMetric(Plan<?> plan, String table) {
        return plan.table(table).metrics().get(0);
    }

    /** Aggregates in output order: tables in plan order, cells in grid order (then by value), metrics in order. */
    static List<Aggregate> aggregates(Plan<?> plan, List<Tuple2<AggKey, Stat>> collected) {
        Map<String, Stat> cellStats = new HashMap<>();
        for (Tuple2<AggKey, Stat> t : collected) {
            if (t._1().metric == AggKey.CELL) {
                cellStats.put(t._1().table + "\u0000" + t._1().cell, t._2());
            }
        }
        List<String> tableOrder = plan.tables().stream().map(TableSpec::name).toList();
        List<Aggregate> out = new ArrayList<>();
        for (Tuple2<AggKey, Stat> t : collected) {
            AggKey k = t._1();
            if (k.metric == AggKey.CELL) {
                continue;
            }
            Stat cs = cellStats.get(k.table + "\u0000" + k.cell);
            Stat ms = t._2();
            out.add(new Aggregate(k.table, ms.cell, plan.table(k.table).metrics().get(k.metric), cs.trials, cs.failed,
                    cs.firstFailure, ms.moments));
        }
        out.sort(Comparator.<Aggregate>comparingInt(a -> tableOrder.indexOf(a.table()))
                .thenComparing(Aggregate::cell, SweepRunner::compareCells)
                .thenComparingInt(a -> plan.table(a.table()).metrics().indexOf(a.metric())));
        return out;
    }

    static int compareCells(Cell a, Cell b) {
        int c = Integer.compare(a.index(), b.index());
        if (c != 0) {
            return c;
        }
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            Object x = a.value(i);
            Object y = b.value(i);
            c = x instanceof Number nx && y instanceof Number ny
                    ? Double.compare(nx.doubleValue(), ny.doubleValue()) : x.toString().compareTo(y.toString());
            if (c != 0) {
                return c;
            }
        }
        return a.key().compareTo(b.key());
    }

    static final List<String> STAT_COLUMNS = List.of("metric", "trials", "failed", "count", "mean", "std", "sem",
            "ci95_low", "ci95_high", "min", "max");

    /** Aggregated tables in tidy long format: one row per (cell, metric). */
    static List<TidyTable> tidy(Plan<?> plan, List<Aggregate> aggregates) {
        List<TidyTable> out = new ArrayList<>();
        for (TableSpec spec : plan.tables()) {
            List<Aggregate> rows = aggregates.stream().filter(a -> a.table().equals(spec.name())).toList();
            if (rows.isEmpty()) {
                continue;
            }
            Cell first = rows.get(0).cell();
            List<TidyTable.Column> cols = new ArrayList<>();
            for (int i = 0; i < first.size(); i++) {
                cols.add(new TidyTable.Column(first.name(i), TidyTable.typeOf(first.value(i))));
            }
            cols.add(new TidyTable.Column("metric", TidyTable.Type.STRING));
            cols.add(new TidyTable.Column("trials", TidyTable.Type.LONG));
            cols.add(new TidyTable.Column("failed", TidyTable.Type.LONG));
            cols.add(new TidyTable.Column("count", TidyTable.Type.LONG));
            for (String c : STAT_COLUMNS.subList(4, STAT_COLUMNS.size())) {
                cols.add(new TidyTable.Column(c, TidyTable.Type.DOUBLE));
            }
            List<List<Object>> data = new ArrayList<>();
            for (Aggregate a : rows) {
                List<Object> r = new ArrayList<>();
                for (int i = 0; i < a.cell().size(); i++) {
                    r.add(a.cell().value(i));
                }
                Moments m = a.moments();
                double[] ci = m.ci95();
                r.add(a.metric());
                r.add(a.trials());
                r.add(a.failed());
                r.add(m.count());
                r.add(m.mean());
                r.add(m.std());
                r.add(m.sem());
                r.add(ci[0]);
                r.add(ci[1]);
                r.add(m.min());
                r.add(m.max());
                data.add(r);
            }
            out.add(new TidyTable(spec.name(), cols, data));
        }
        return out;
    }

    private static void writeTables(Plan<?> plan, List<TidyTable> aggregated, List<TidyTable> wide, Path dir,
                                    Configuration hconf, List<String> files) {
        for (TidyTable t : aggregated) {
            CsvTables.write(t, new Path(dir, "aggregated/" + t.name() + ".csv"), hconf);
            ParquetTables.write(t, new Path(dir, "aggregated/" + t.name() + ".parquet"), hconf);
            files.add("aggregated/" + t.name() + ".csv");
            files.add("aggregated/" + t.name() + ".parquet");
        }
        for (TidyTable t : wide) {
            String file = "aggregated/" + t.name() + WideTable.SUFFIX;
            CsvTables.write(t, new Path(dir, file), hconf);
            files.add(file);
        }
        for (TableSpec spec : plan.tables()) {
            files.add("raw/" + spec.name() + "/part-*.parquet");
        }
    }

    private static void writeFailures(List<Aggregate> aggregates, Plan<?> plan, Path dir, Configuration hconf,
                                      List<String> files) {
        // one line per (table, cell) with failures, with the message of its lowest failed replicate
        List<List<Object>> rows = new ArrayList<>();
        for (Aggregate a : aggregates) {
            if (a.failed() > 0 && a.metric().equals(firstMetric(plan, a.table()))) {
                rows.add(new ArrayList<>(List.of(a.table(), a.cell().key(), a.trials(), a.failed(),
                        String.valueOf(a.firstFailure()))));
            }
        }
        TidyTable t = new TidyTable("failures", List.of(new TidyTable.Column("table", TidyTable.Type.STRING),
                new TidyTable.Column("cell", TidyTable.Type.STRING), new TidyTable.Column("trials", TidyTable.Type.LONG),
                new TidyTable.Column("failed", TidyTable.Type.LONG),
                new TidyTable.Column("first_failure", TidyTable.Type.STRING)), rows);
        CsvTables.write(t, new Path(dir, "failures.csv"), hconf);
        files.add("failures.csv");
    }

    private static Manifest manifest(LoadedSweep s, Plan<?> plan, String runId, String outputDir,
                                     String effectiveJson, JavaSparkContext sc, SparkConf sconf, Instant started,
                                     Instant finished, Replay replay, long trials, long failed, long reused,
                                     Results r, BlasAccumulator blas, List<String> files, RunOptions.RunLabels labels,
                                     DataCheck data) {
        Object config;
        try {
            config = new ObjectMapper().readTree(effectiveJson);
        } catch (IOException e) {
            config = effectiveJson;
        }
        Map<String, Object> rt = Provenance.runtime();
        // a run that replayed everything never started Spark: its master is the one it would have used
        rt.put("spark_version", org.apache.spark.package$.MODULE$.SPARK_VERSION());
        rt.put("spark_master", sc != null ? sc.master() : sconf.get("spark.master"));
        rt.put("default_parallelism", sc != null ? sc.defaultParallelism() : null);
        rt.put("spark_started", sc != null);
        rt.put("blas_driver", Provenance.blas());
        rt.put("numerics", Provenance.numerics());
        rt.put("blas_executors", new ArrayList<>(blas.value()));
        Map<String, Manifest.CellFailures> perCell = new LinkedHashMap<>();
        for (Aggregate a : r.aggregates()) {
            if (a.failed() > 0 && a.metric().equals(firstMetric(plan, a.table()))) {
                perCell.put(a.table() + ":" + a.cell().key(), new Manifest.CellFailures(a.failed(), a.trials(),
                        a.firstFailure()));
            }
        }
        // what the plan's cost model says this run computed: engram plan turns it into a rate per core
        Manifest.Counts counts = new Manifest.Counts(plan.cells().size(), plan.replicates(), plan.units().size(),
                replay.bins().size(), trials, failed, perCell, reused, trials - reused, plan.cost(),
                replay.bins().stream().flatMap(List::stream).mapToDouble(t -> t.unit().cost()).sum(), plan.costUnit());
        return new Manifest(Manifest.FORMAT, s.identity().id(), s.job().id(), s.job().description(), runId,
                s.source(), failed == 0 ? Manifest.COMPLETE : Manifest.COMPLETE_WITH_FAILURES, outputDir, config,
                Provenance.sha256(effectiveJson), new Manifest.Code(Provenance.gitCommit(), Provenance.jarSha256(),
                replay.codeVersion()), rt, started.toString(), finished.toString(),
                (finished.toEpochMilli() - started.toEpochMilli()) / 1000.0, counts, List.copyOf(files), labels.name(),
                labels.tags(), labels.note(), replay.ledger().dir(), data.described(), r.dictionary().entries(),
                r.derived().figures().stream().map(FigureData::describe).toList());
    }
}
