package org.engram.driver;

import java.io.PrintStream;
import java.util.Locale;
import org.apache.spark.util.DoubleAccumulator;
import org.apache.spark.util.LongAccumulator;
import org.engram.jobs.core.Plan;

/**
 * Prints cells done / total, trials, failures and an ETA while a sweep runs. Accumulators reach the
 * driver as tasks finish; the ETA extrapolates elapsed time by the estimated cost still to do.
 */
final class Progress {
    static final String TRIALS = "trials done";
    static final String FAILED = "trials failed";
    static final String COST = "cost done";
    static final String CELLS = "cells";

    private final PrintStream out;
    private final Plan<?> plan;
    private final LongAccumulator trials;
    private final LongAccumulator failed;
    private final DoubleAccumulator cost;
    private final CellProgress cells;
    private final long periodMillis;
    private final boolean quiet;
    private final ProgressListener running;
    private Thread thread;
    private long start;

    Progress(PrintStream out, Plan<?> plan, LongAccumulator trials, LongAccumulator failed, DoubleAccumulator cost,
             CellProgress cells, double seconds, boolean quiet, ProgressListener running) {
        this.running = running;
        this.out = out;
        this.plan = plan;
        this.trials = trials;
        this.failed = failed;
        this.cost = cost;
        this.cells = cells;
        this.periodMillis = (long) (seconds * 1000);
        this.quiet = quiet;
    }

    void start() {
        start = System.nanoTime();
        if (quiet) {
            return;
        }
        thread = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Thread.sleep(periodMillis);
                    out.println(line());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "engram-progress");
        thread.setDaemon(true);
        thread.start();
    }

    String line() {
        double elapsed = (System.nanoTime() - start) / 1e9;
        double done = Math.min(plan.cost(), cost.value() + running.partial(COST));
        double total = plan.cost();
        String eta = done > 0 ? clock(elapsed * (total - done) / done) : "--:--";
        long trialCount = Math.min(plan.trials(), trials.value() + (long) running.partial(TRIALS));
        long failedCount = failed.value() + (long) running.partial(FAILED);
        java.util.Map<String, Long> perCell = cells.value();
        running.partialCells(CELLS).forEach((k, n) -> perCell.merge(k, n, Long::sum));
        long cellsDone = perCell.values().stream().filter(n -> n >= plan.replicates()).count();
        return String.format(Locale.ROOT, "[engram] cells %d/%d, trials %d/%d, failed %d, elapsed %s, ETA %s",
                Math.min(cellsDone, plan.cells().size()), plan.cells().size(), trialCount, plan.trials(), failedCount,
                clock(elapsed), eta);
    }

    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60)
                : String.format(Locale.ROOT, "%02d:%02d", s / 60, s % 60);
    }

    void stop() {
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (!quiet) {
            out.println(line());
        }
    }
}
