package org.engram.driver.engine;

import java.io.PrintStream;
import java.util.Locale;
import org.apache.spark.util.DoubleAccumulator;
import org.apache.spark.util.LongAccumulator;
import org.engram.jobs.core.Plan;

/**
 * Shows cells done / total, trials, failures, throughput and an ETA while a sweep runs. Accumulators reach the
 * driver as tasks finish and, for running tasks, with every executor heartbeat; work is measured by the plan's cost
 * model — finished trials by their unit's cost share, long units by the fraction they report — and the ETA
 * extrapolates elapsed time by the cost still to do. On a terminal: one updating progress bar (me.tongfei
 * progressbar). Elsewhere (logs, nightly, CI): a line only when something changed, at most every
 * {@link #LOG_SECONDS} seconds ({@code ENGRAM_PROGRESS_LOG_SECONDS}), and a last line at the end.
 */
public final class Progress {
    static final String TRIALS = "trials done";
    static final String FAILED = "trials failed";
    static final String COST = "cost done";
    static final String CELLS = "cells";
    static final double LOG_SECONDS = 30;

    private final PrintStream out;
    private final Plan<?> plan;
    private final LongAccumulator trials;
    private final LongAccumulator failed;
    private final DoubleAccumulator cost;
    private final CellProgress cells;
    private final long periodMillis;
    private final boolean quiet;
    private final ProgressListener running;
    private final LongAccumulator replayed;
    private Thread thread;
    private long start;
    /** What the lines name first: an adaptive sweep's round ("round 2: "), or nothing. */
    private String round = "";
    /** Work done before the clock starts (units replayed from the ledger): not part of the rate the ETA uses. */
    private double startCost;

    Progress(PrintStream out, Plan<?> plan, LongAccumulator trials, LongAccumulator failed, DoubleAccumulator cost,
             CellProgress cells, double seconds, boolean quiet, ProgressListener running, LongAccumulator replayed) {
        this.running = running;
        this.replayed = replayed;
        this.out = out;
        this.plan = plan;
        this.trials = trials;
        this.failed = failed;
        this.cost = cost;
        this.cells = cells;
        this.periodMillis = (long) (seconds * 1000);
        this.quiet = quiet;
    }

    private me.tongfei.progressbar.ProgressBar bar;

    /** Whether progress is a bar (a terminal) or log lines; ENGRAM_PROGRESS=bar|lines overrides. */
    static boolean terminal() {
        String forced = System.getenv("ENGRAM_PROGRESS");
        if (forced != null) {
            return forced.equals("bar");
        }
        return System.console() != null;
    }

    static double logSeconds() {
        try {
            return Double.parseDouble(System.getenv().getOrDefault("ENGRAM_PROGRESS_LOG_SECONDS", "" + LOG_SECONDS));
        } catch (NumberFormatException e) {
            return LOG_SECONDS;
        }
    }

    /** Names the round of an adaptive sweep this progress counts, at the start of every line. */
    Progress inRound(int k) {
        round = "round " + k + ": ";
        return this;
    }

    void start() {
        start = System.nanoTime();
        startCost = cost.value();
        if (quiet) {
            return;
        }
        boolean asBar = terminal();
        if (asBar) {
            bar = new me.tongfei.progressbar.ProgressBarBuilder().setTaskName("work").setInitialMax(100)
                    .setStyle(me.tongfei.progressbar.ProgressBarStyle.ASCII).setUpdateIntervalMillis(1000)
                    .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(out)).hideEta()
                    .setMaxRenderedLength(100).build();
        }
        double logEvery = logSeconds();
        thread = new Thread(() -> {
            String lastCounts = null;
            long lastPrint = 0;
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Thread.sleep(asBar ? 1000 : periodMillis);
                    Snapshot now = snapshot();
                    if (asBar) {
                        bar.stepTo(Math.round(100 * now.fraction()));
                        bar.setExtraMessage(round + now.summary());
                        continue;
                    }
                    long t = System.nanoTime();
                    String counts = now.counts();
                    if (!counts.equals(lastCounts) && (lastCounts == null || (t - lastPrint) / 1e9 >= logEvery)) {
                        out.println(now.line().replaceFirst("^\\[engram\\] ", "[engram] " + round));
                        lastCounts = counts;
                        lastPrint = t;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "engram-progress");
        thread.setDaemon(true);
        thread.start();
    }

    /** What is done at one moment, and the ETA then. */
    record Snapshot(long cells, long cellsTotal, long trials, long trialsTotal, long failed, double elapsed,
                    double fraction, double eta, long replayed) {
        /** Trials done, with those replayed from the ledger (not computed by this run) as their own number. */
        private String trialCounts() {
            return trials + "/" + trialsTotal + (replayed > 0 ? " (" + replayed + " replayed from the ledger, "
                    + (trials - replayed) + " computed now)" : "");
        }

        String counts() {
            return cells + "/" + trials + "/" + failed + "/" + Math.round(fraction * 1000);
        }

        String summary() {
            return String.format(Locale.ROOT, "%s trials, %d failed, %.3g/s, ETA %s", trialCounts(), failed,
                    elapsed > 0 ? (trials - replayed) / elapsed : 0, Double.isNaN(eta) ? "--:--" : clock(eta));
        }

        String line() {
            return String.format(Locale.ROOT, "[engram] cells %d/%d, trials %s, failed %d, %.0f%% of the work, "
                    + "elapsed %s, ETA %s", cells, cellsTotal, trialCounts(), failed, 100 * fraction,
                    clock(elapsed), Double.isNaN(eta) ? "--:--" : clock(eta));
        }
    }

    Snapshot snapshot() {
        double elapsed = (System.nanoTime() - start) / 1e9;
        double done = Math.min(plan.cost(), cost.value() + running.partial(COST));
        double total = plan.cost();
        long trialCount = Math.min(plan.trials(), trials.value() + (long) running.partial(TRIALS));
        long failedCount = failed.value() + (long) running.partial(FAILED);
        java.util.Map<String, Long> perCell = cells.value();
        running.partialCells(CELLS).forEach((k, n) -> perCell.merge(k, n, Long::sum));
        long cellsDone = perCell.values().stream().filter(n -> n >= plan.replicates()).count();
        double fraction = total > 0 ? done / total : 0;
        double computed = total > startCost ? Math.max(0, done - startCost) / (total - startCost) : 1;
        return new Snapshot(Math.min(cellsDone, plan.cells().size()), plan.cells().size(), trialCount, plan.trials(),
                failedCount, elapsed, fraction, fraction >= 1 ? 0 : rate.eta(elapsed, computed),
                replayed == null ? 0 : Math.min(trialCount, replayed.value()));
    }

    private final Rate rate = new Rate();

    /**
     * The ETA: the cost still to do at the rate work has been done lately — measured from the first moment work was
     * seen (start-up, data loading and Spark's own scheduling are not work) over a window of the last half of the
     * time since, at least a minute, so the estimate follows a run whose pace changes. Work replayed from the ledger
     * is not part of it. NaN before any work is measured.
     */
    public static final class Rate {
        private final java.util.ArrayDeque<double[]> samples = new java.util.ArrayDeque<>();
        private double began = Double.NaN;

        public synchronized double eta(double t, double f) {
            if (f <= 0) {
                return Double.NaN;
            }
            if (f >= 1) {
                return 0;
            }
            if (Double.isNaN(began)) {
                began = t;
            }
            samples.addLast(new double[] {t, f});
            double window = Math.max(60, (t - began) / 2);
            // keep one sample at or before the window's start, the reference
            while (samples.size() > 1) {
                java.util.Iterator<double[]> it = samples.iterator();
                it.next();
                if (it.next()[0] > t - window) {
                    break;
                }
                samples.removeFirst();
            }
            double[] ref = samples.peekFirst();
            if (t - ref[0] < 1e-9 || f - ref[1] <= 0) {
                return t * (1 - f) / f; // one sample: elapsed time extrapolated
            }
            return (t - ref[0]) * (1 - f) / (f - ref[1]);
        }
    }

    String line() {
        return snapshot().line();
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
        if (bar != null) {
            Snapshot last = snapshot();
            bar.stepTo(Math.round(100 * last.fraction()));
            bar.setExtraMessage(last.summary());
            bar.close();
        }
        if (!quiet) {
            out.println(line());
        }
    }
}
