package org.engram.driver;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.engram.driver.engine.DriverSettings;
import org.engram.driver.engine.Ledger;
import org.engram.driver.engine.RunOptions;
import org.engram.driver.engine.SweepRunner;
import org.engram.jobs.sweep.PreparedSweep;

/**
 * {@code engram bench ledger}: the same sweep computed, then replayed from its ledger, in one process on the same
 * master — and, as the baseline the segment ledger replaced, replayed from the same entries laid out one file per
 * unit. By default the probe: {@code rnn.reinforcement} at N = 100, 10 × 10 (d, a) cells × 98 weight draws
 * = 9,800 units of 4 trials. Prints wall times, files in the ledger and the ratios.
 */
final class LedgerBenchmark {
    private LedgerBenchmark() {
    }

    static void run(File conf, int draws, String master, PrintStream out) throws IOException {
        Path dir = Files.createTempDirectory("engram-ledger-bench-");
        List<String> sets = new ArrayList<>(List.of("grid.n=[100]", "grid.d={from=1.0,to=1.9,step=0.1}",
                "grid.a={from=0.01,to=10,count=10,scale=log}", "replicates.initial-states=4",
                "replicates.weight-draws=" + draws, "ledger.compact-above=1000000"));
        PreparedSweep<?> sweep = DriverSettings.prepare(conf, sets);
        Map<String, String> spark = Map.of("spark.ui.enabled", "false");
        PrintStream quiet = new PrintStream(java.io.OutputStream.nullOutputStream());
        SweepRunner runner = new SweepRunner(quiet);
        // warm-up: Spark's and the job's classes loaded, the JIT warm, in an output of its own
        PreparedSweep<?> small = DriverSettings.prepare(conf, List.of("grid.n=[100]",
                "replicates.weight-draws=1"));
        runner.run(small, new RunOptions(master, spark, dir.resolve("warm-up").toString(), "w", true, false));
        String output = dir.resolve("results").toString();
        out.printf(Locale.ROOT, "ledger benchmark: %s, %d units, %d trials, master %s%n", sweep.sweep().identity().id(),
                sweep.plan().units().size(), sweep.plan().trials(), master);
        double compute = timed(() -> runner.run(sweep, new RunOptions(master, spark, output, "compute", true, false)));
        Path ledgerDir = dir.resolve("results").resolve(sweep.sweep().identity().id()).resolve("ledger");
        Configuration hadoop = new Configuration();
        Ledger ledger = new Ledger(ledgerDir.toUri().toString());
        long segments = ledger.files(hadoop);
        double replay = timed(() -> runner.run(sweep, new RunOptions(master, spark, output, "replay", true, false)));
        // the same entries, one file per unit (the first layout), as the baseline
        Ledger.Scan scan = ledger.scan(hadoop);
        FileSystem fs = FileSystem.getLocal(hadoop).getRaw();
        try (Ledger.Reader reader = new Ledger.Reader(fs)) {
            for (var e : scan.entries().entrySet()) {
                Path p = ledgerDir.resolve(e.getKey().substring(0, 2)).resolve(e.getKey() + Ledger.LEGACY);
                Files.createDirectories(p.getParent());
                Files.write(p, reader.bytes(e.getValue().get(0)));
            }
        }
        for (var p : scan.segments()) {
            fs.delete(p, false);
        }
        long perUnit = scan.entries().size();
        double legacy = timed(() -> runner.run(sweep, new RunOptions(master, spark, output, "per-unit", true, false)));
        double compacting = timed(() -> ledger.compact(hadoop));
        out.printf(Locale.ROOT, "  compute                         %7.1f s   %6d ledger files written%n", compute,
                segments);
        out.printf(Locale.ROOT, "  replay, segment ledger          %7.1f s   %6d files read     %5.1fx faster than "
                + "computing%n", replay, segments, compute / replay);
        out.printf(Locale.ROOT, "  replay, one file per unit       %7.1f s   %6d files read     %5.1fx faster than "
                + "computing (segments: %.1fx faster)%n", legacy, perUnit, compute / legacy, legacy / replay);
        out.printf(Locale.ROOT, "  compaction of the per-unit files %6.1f s   -> 1 segment%n", compacting);
        out.println("  (wall times of whole runs in this process; a run with nothing to compute starts no Spark)");
    }

    private static double timed(Runnable r) {
        long t0 = System.nanoTime();
        r.run();
        return (System.nanoTime() - t0) / 1e9;
    }
}
