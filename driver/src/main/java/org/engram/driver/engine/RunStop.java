package org.engram.driver.engine;

import org.apache.spark.api.java.JavaSparkContext;

/**
 * A request that a run stop early — a signal (SIGINT, SIGTERM) or a lock it could no longer renew — and what it does:
 * running Spark jobs are cancelled (tasks stop between units and seal the units they finished), and the run's stages
 * check it between them. The run then releases its lock, removes its in-progress folder and ends with one line and
 * the request's exit code.
 */
public final class RunStop {
    /** Exit code for an invalid configuration (nothing ran). */
    public static final int INVALID_CONFIG = 2;
    /** Exit code for an input/output failure (disk full, permission denied, a vanished output): nothing published. */
    public static final int IO_FAILURE = 5;

    /** Why a run stops: the line it prints first, its exit code, and whether it was asked to (a signal). */
    public record Reason(String message, int exitCode, boolean signal) {
    }

    /** Thrown by {@link #check} once a stop was requested. */
    public static final class Stopped extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient Reason reason;

        Stopped(Reason reason) {
            super(reason.message());
            this.reason = reason;
        }

        public Reason reason() {
            return reason;
        }
    }

    /** A signal this soon after the first is the same request delivered twice, not "again: exit now". */
    static final long REPEAT_NANOS = 3_000_000_000L;
    private volatile long signalledAt;
    private volatile Reason reason;
    private volatile JavaSparkContext sc;

    /** Asks the run to stop; the first request wins. Cancels the running Spark jobs, if any. */
    synchronized void request(Reason r) {
        if (reason != null) {
            return;
        }
        reason = r;
        cancel();
    }

    /** The Spark context whose jobs a request cancels (null: none running). */
    synchronized void attach(JavaSparkContext context) {
        this.sc = context;
        if (reason != null) {
            cancel();
        }
    }

    private void cancel() {
        JavaSparkContext s = sc;
        if (s != null) {
            try {
                s.cancelAllJobs();
            } catch (RuntimeException ignored) {
                // a context already stopping has nothing left to cancel
            }
        }
    }

    Reason reason() {
        return reason;
    }

    boolean requested() {
        return reason != null;
    }

    /** Throws {@link Stopped} when a stop was requested: called between the run's stages. */
    void check() {
        Reason r = reason;
        if (r != null) {
            throw new Stopped(r);
        }
    }

    /**
     * Handles SIGINT and SIGTERM for the length of a run: the first asks it to stop (exit 130 / 143); another, 3 s or
     * more later, ends the process at once. Returns what restores the JVM's own handlers.
     */
    public AutoCloseable onSignals(java.io.PrintStream err) {
        java.util.List<Runnable> restore = new java.util.ArrayList<>();
        for (String[] s : new String[][] {{"INT", "130"}, {"TERM", "143"}}) {
            try {
                sun.misc.Signal sig = new sun.misc.Signal(s[0]);
                int code = Integer.parseInt(s[1]);
                sun.misc.SignalHandler previous = sun.misc.Signal.handle(sig, x -> {
                    long now = System.nanoTime();
                    if (requested() && reason().signal() && now - signalledAt < REPEAT_NANOS) {
                        return; // the same stop, delivered twice (Slurm signals every process, and the job script too)
                    }
                    if (requested() && reason().signal()) {
                        err.println("engram: SIG" + s[0] + " again: exiting now (units not sealed are computed again "
                                + "next time)");
                        Runtime.getRuntime().halt(code);
                    }
                    err.println("[engram] SIG" + s[0] + ": stopping — sealing finished units (SIG" + s[0]
                            + " again to exit at once)");
                    signalledAt = now;
                    request(new Reason("interrupted", code, true));
                });
                restore.add(() -> sun.misc.Signal.handle(sig, previous));
            } catch (IllegalArgumentException unavailable) {
                // a JVM started with -Xrs, or a platform without the signal: its default stays
            }
        }
        return () -> restore.forEach(Runnable::run);
    }
}
